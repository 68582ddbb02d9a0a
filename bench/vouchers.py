"""Benchmark case `vouchers`: the budget ledger under concurrent writers. 1,000 claims from
50 threads against one programme whose budget admits 600, beside the same number of bare
conditional UPDATEs on one row (the floor).

    DATABASE_URL=postgres://… .venv/bin/python bench/run.py --vouchers-only
    DATABASE_URL=postgres://… .venv/bin/python -m bench.vouchers [--claims N] [--threads T]

One claim is what an enterprise's voucher costs the ledger: staff approve its application
(`approve_application`: locks, min() of the terms, a conditional UPDATE that reserves the
grant, the voucher's code) and the provider files its claim (`file_claim`: a conditional
UPDATE on the voucher), each a service call with its audit events and notifications, from
its own connection. The budget admits 600 grants, so 400 are refused with a sentence.
Afterwards every claim is confirmed, verified and settled by two threads at once.

Printed: throughput, p50/p95 per claim, accepted/refused, then the floor — N bare
`UPDATE … SET reserved = reserved + x WHERE reserved + spent + x <= budget` on one row from
as many threads — and the ratio; then the invariant check, which must print 0 violations
(reserved + spent ≤ budget, each balance = the sum of its ledger rows, no voucher
over-claimed, no claim settled twice, exactly 600 granted).

PostgreSQL only (SQLite serialises writers: the race would not exist). Each run seeds its
own programme, 100 enterprises and the applications (straight into the tables, not timed).
A benchmark, not a test: it asserts nothing about timing. See bench/README.md.
"""

import argparse
import os
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import log, require_postgresql, setup_django  # noqa: E402

CLAIMS = 1_000
THREADS = 50
ADMITTED = 600
GRANT = Decimal("1000.00")
ENTERPRISES = 100
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def add_arguments(parser):
    parser.add_argument("--claims", type=int, default=CLAIMS, metavar="N",
                        help="voucher case: claims filed (default 1,000)")  # fmt: skip
    parser.add_argument("--threads", type=int, default=THREADS, metavar="T",
                        help="voucher case: concurrent connections (default 50)")  # fmt: skip


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def run_threads(items, threads, work):
    """Run work(item) over `items` from `threads` threads, each with its own connection;
    returns ([(seconds, result)], wall seconds). A result is the value or the exception."""
    from django.db import connections

    lock, queue, out = threading.Lock(), list(reversed(items)), []
    start = threading.Barrier(threads)

    def worker():
        mine = []
        try:
            start.wait()
            while True:
                with lock:
                    if not queue:
                        break
                    item = queue.pop()
                t0 = time.perf_counter()
                try:
                    result = work(item)
                except Exception as exc:  # noqa: BLE001 — a refusal is a result here
                    result = exc
                mine.append((time.perf_counter() - t0, result))
        finally:
            connections.close_all()
            with lock:
                out.extend(mine)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    began = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return out, time.perf_counter() - began


def seed(tag: str, claims: int):
    """A published programme (budget = ADMITTED grants), an approved provider, ENTERPRISES
    verified enterprises with a member each, and `claims` applications awaiting approval."""
    from django.utils import timezone

    from accounts.models import Organisation, OrganisationKind, Region, Role, User
    from registry.choices import MembershipStatus
    from registry.models import Enterprise, Membership
    from registry.uscc import make_uscc
    from vouchers.models import (
        MembershipStatus as Joined,
    )
    from vouchers.models import ProgramProvider, Provider, VoucherApplication, VoucherProgram

    today = timezone.localdate()
    beijing = Region.objects.get(code="110000")
    staff = User.objects.create_user(f"bench-staff-{tag}@bench.cn", "x", full_name="预算",
                                     role=Role.BUREAU, region=beijing)  # fmt: skip
    org = Organisation.objects.create(name=f"压测算力{tag}", kind=OrganisationKind.PROVIDER)
    provider_user = User.objects.create_user(f"bench-provider-{tag}@bench.cn", "x",
                                             full_name="服务商", role=Role.PROVIDER,
                                             organisation=org)  # fmt: skip
    provider = Provider.objects.create(organisation=org, service_kinds=["compute"],
                                       hub_node="ningxia", created_by=staff)  # fmt: skip
    program = VoucherProgram.objects.create(
        kind="compute", name=f"压测算力券{tag}", year=today.year, jurisdiction=beijing,
        budget=GRANT * ADMITTED, subsidy_ratio=Decimal("0.5"), annual_cap=GRANT * ADMITTED,
        contract_cap=GRANT, opens_on=today, closes_on=today, validity_length=6,
        validity_unit="month", settlement_working_days=10, redemption_mode="discount",
        conditions={}, status="published", published_at=timezone.now(), created_by=staff,
    )  # fmt: skip
    ProgramProvider.objects.create(program=program, provider=provider, status=Joined.APPROVED,
                                   applied_by=provider_user)  # fmt: skip
    serial = int(time.time()) % 10_000_000 * 100
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(name=f"压测企业{tag}-{i}", uscc=make_uscc("110000", 80_000_000 + serial + i),
                   region=beijing, industry="03", category="tech",
                   founded_on=today.replace(year=today.year - 10), size="small",
                   contact_name="张敏", contact_phone="01062345678",
                   verification_status="verified")
        for i in range(ENTERPRISES)
    )  # fmt: skip
    members = User.objects.bulk_create(
        User(email=f"bench-{tag}-{i}@bench.cn", full_name=f"成员{i}", role=Role.ENTERPRISE)
        for i in range(ENTERPRISES)
    )
    Membership.objects.bulk_create(
        Membership(user=u, enterprise=e, status=MembershipStatus.ACTIVE, is_admin=True)
        for u, e in zip(members, enterprises, strict=True)
    )
    applications = VoucherApplication.objects.bulk_create(
        VoucherApplication(
            program=program, enterprise=enterprises[i % ENTERPRISES], provider=provider,
            contract_number=f"BENCH-{tag}-{i}", contract_signed_on=today,
            contract_starts_on=today, contract_ends_on=today, contract_amount=GRANT * 2,
            amount_sought=GRANT, items=[], applied_by=members[i % ENTERPRISES],
        )
        for i in range(claims)
    )  # fmt: skip
    return program, staff, provider_user, [a.pk for a in applications]


def violations(program, expected_granted) -> list[str]:
    from vouchers.models import Claim, LedgerEntry, Voucher, VoucherProgram
    from vouchers.selectors import reconciliation, voucher_reconciliation

    program = VoucherProgram.objects.get(pk=program.pk)
    found = []
    if program.reserved < 0 or program.spent < 0:
        found.append("negative balance")
    if program.reserved + program.spent > program.budget:
        found.append("reserved + spent > budget")
    if not all(r["balanced"] for r in reconciliation([program])):
        found.append("programme balances ≠ ledger")
    vouchers = Voucher.objects.filter(program=program)
    found += [f"voucher {r['voucher'].code} ≠ ledger"
              for r in voucher_reconciliation(vouchers) if not r["balanced"]]  # fmt: skip
    found += [f"voucher {v.code} over-claimed" for v in vouchers
              if v.claimed + v.released > v.amount or v.settled > v.claimed]  # fmt: skip
    spends = list(LedgerEntry.objects.filter(program=program, kind="spend")
                  .values_list("claim_id", flat=True))  # fmt: skip
    if len(spends) != len(set(spends)):
        found.append(f"{len(spends) - len(set(spends))} claims settled twice")
    settled = Claim.objects.filter(program=program, status="settled").count()
    if settled != len(spends):
        found.append("settled claims ≠ spend rows")
    if vouchers.count() != expected_granted:
        found.append(f"{vouchers.count()} vouchers granted, expected {expected_granted}")
    return found


def floor(row_pk, claims, threads) -> tuple[list, float, int]:
    """`claims` bare conditional UPDATEs of one programme row from `threads` connections:
    the database's own cost of the ledger move, without Django, locks or audit."""
    from django.db import connections

    from vouchers.models import VoucherProgram

    table = VoucherProgram._meta.db_table
    sql = (f"UPDATE {table} SET reserved = reserved + %s "
           f"WHERE id = %s AND reserved + spent + %s <= budget")  # fmt: skip

    def update(_i):
        with connections["default"].cursor() as cursor:
            cursor.execute(sql, [GRANT, row_pk, GRANT])
            return cursor.rowcount

    timings, wall = run_threads(list(range(claims)), threads, update)
    return timings, wall, sum(1 for _s, r in timings if r == 1)


def measure(claims: int, threads: int) -> int:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.utils import timezone

    from config.errors import DomainError
    from vouchers.models import Claim, VoucherApplication, VoucherProgram
    from vouchers.services import applications as apps
    from vouchers.services import claims as claim_services

    tag = timezone.now().strftime("%H%M%S")
    program, staff, provider_user, ids = seed(tag, claims)
    log(f"\nvoucher case: {claims:,} claims from {threads} threads; the budget admits "
        f"{ADMITTED} grants of {GRANT} yuan (programme {program.pk})")  # fmt: skip

    def claim(application_id):
        application = VoucherApplication.objects.get(pk=application_id)
        voucher = apps.approve_application(application, actor=staff)
        return claim_services.file_claim(
            voucher, actor=provider_user, idempotency_key=f"bench-{application_id}",
            invoice_number=f"INV-{tag}-{application_id}", amount=voucher.amount,
            usage_quantity=Decimal("100"), usage_unit="卡时",
            proof=SimpleUploadedFile("proof.pdf", PDF, content_type="application/pdf"),
        )  # fmt: skip

    timings, wall = run_threads(ids, threads, claim)
    filed = [r for _s, r in timings if isinstance(r, Claim)]
    refused = [r for _s, r in timings if isinstance(r, DomainError)]
    errors = [r for _s, r in timings if isinstance(r, Exception) and not isinstance(r, DomainError)]
    lat = [s for s, _r in timings]
    log(f"claims (approve + file) : {len(timings) / wall:8.1f} /s   p50 "
        f"{percentile(lat, 0.5) * 1000:7.1f} ms   p95 {percentile(lat, 0.95) * 1000:7.1f} ms   "
        f"filed {len(filed)}, refused {len(refused)}, errors {len(errors)}")  # fmt: skip
    for exc in errors[:3]:
        log(f"  error: {exc!r}")

    # Confirm and verify, then settle each claim from two threads at once.
    member = {c.pk: c.enterprise.active_members().first() for c in
              Claim.objects.filter(program=program).select_related("enterprise")}  # fmt: skip
    for c in Claim.objects.filter(program=program):
        with transaction.atomic():
            claim_services.confirm_claim(c, actor=member[c.pk])
            claim_services.verify_claim(c, actor=staff)
    pending = [c.pk for c in Claim.objects.filter(program=program)] * 2
    settle_t, settle_wall = run_threads(
        pending, threads,
        lambda pk: claim_services.settle_claim(Claim.objects.get(pk=pk), actor=staff),
    )  # fmt: skip
    settle_lat = [s for s, _r in settle_t]
    settle_errors = [r for _s, r in settle_t if isinstance(r, Exception)]
    log(f"settlements (each twice): {len(settle_t) / settle_wall:8.1f} /s   p50 "
        f"{percentile(settle_lat, 0.5) * 1000:7.1f} ms   p95 "
        f"{percentile(settle_lat, 0.95) * 1000:7.1f} ms   errors {len(settle_errors)}")  # fmt: skip

    floor_program = VoucherProgram.objects.create(
        **{f.attname: getattr(program, f.attname) for f in VoucherProgram._meta.concrete_fields
           if f.attname not in ("id", "reserved", "spent", "name", "previous_id", "root_id")},
        name=f"压测底线{tag}",
    )  # fmt: skip
    floor_t, floor_wall, accepted = floor(floor_program.pk, claims, threads)
    floor_lat = [s for s, _r in floor_t]
    log(f"floor (bare UPDATE)     : {len(floor_t) / floor_wall:8.1f} /s   p50 "
        f"{percentile(floor_lat, 0.5) * 1000:7.1f} ms   p95 "
        f"{percentile(floor_lat, 0.95) * 1000:7.1f} ms   accepted {accepted}")  # fmt: skip
    ratio = (len(floor_t) / floor_wall) / (len(timings) / wall)
    log(f"ratio floor / claims    : {ratio:.1f}× the throughput; p50 "
        f"{percentile(lat, 0.5) / max(percentile(floor_lat, 0.5), 1e-9):.1f}×")  # fmt: skip
    found = violations(program, min(claims, ADMITTED))
    floor_program.refresh_from_db()
    if floor_program.reserved > floor_program.budget or accepted != min(claims, ADMITTED):
        found.append(f"floor accepted {accepted}")
    if errors or settle_errors:
        found.append(f"{len(errors) + len(settle_errors)} unexpected errors")
    log(f"invariant violations    : {len(found)}")
    for line in found[:10]:
        log(f"  {line}")
    return 1 if found else 0


def run_case(args, *, skip_seed=False) -> int:
    """Migrate (unless --skip-seed) and measure in this process."""
    require_postgresql("voucher case")
    os.environ.setdefault("EMAIL_BACKEND", LOCMEM)
    setup_django()
    from django.conf import settings

    # The services notify by e-mail: keep the bench's mail in memory, whatever ran before.
    settings.MAILERS = {"default": {"BACKEND": LOCMEM}}
    from django.core.management import call_command

    if not skip_seed:
        call_command("migrate", verbosity=0)
    return measure(getattr(args, "claims", CLAIMS), getattr(args, "threads", THREADS))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(p)
    p.add_argument("--skip-seed", action="store_true", help="do not migrate first")
    args = p.parse_args(argv)
    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    return run_case(args, skip_seed=args.skip_seed)


if __name__ == "__main__":
    sys.exit(main())
