"""The budget ledger under concurrent writers on PostgreSQL: approvals and claims from
separate connections (one thread each) against a programme whose budget admits only some
of them. Nothing is overspent, no voucher over-claimed, no claim settled twice, and every
balance equals the sum of its ledger rows.

SQLite serialises writers (IMMEDIATE transactions), so the race does not exist there.
"""

import threading
import traceback
from decimal import Decimal

import pytest
from django.db import connection, connections

from config.errors import DomainError
from tests.factories import enterprise_user, registry_enterprise
from tests.vouchers.factories import apply, file_claim, world
from tests.vouchers.invariants import assert_invariants
from vouchers.models import (
    Claim,
    LedgerEntry,
    Voucher,
    VoucherApplication,
)
from vouchers.services import applications as apps
from vouchers.services import claims

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent writers need PostgreSQL (SQLite serialises every write)",
    ),
]
THREADS = 50  # connections at once (PostgreSQL's default max_connections is 100)
ENTERPRISES = 6
PER_ENTERPRISE = 10  # 60 applications of 100,000 each; the budget admits 10.5
CLAIMS_PER_VOUCHER = 5  # of 30% each: 3 fit


def run_threads(jobs, threads=THREADS):
    """Run the callables from `threads` threads (each its own connection, all released at
    once, taking jobs from a shared queue); returns (results in job order, unexpected
    errors). A DomainError is a result (a refusal)."""
    start = threading.Barrier(min(threads, len(jobs)))
    lock, queue = threading.Lock(), list(enumerate(jobs))[::-1]
    results, errors = [None] * len(jobs), []

    def worker():
        try:
            start.wait()
            while True:
                with lock:
                    if not queue:
                        return
                    i, job = queue.pop()
                try:
                    results[i] = job()
                except DomainError as exc:
                    results[i] = exc
                except Exception:
                    errors.append(traceback.format_exc())
        finally:
            connections.close_all()

    pool = [threading.Thread(target=worker) for _ in range(min(threads, len(jobs)))]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return results, errors


def test_concurrent_approvals_and_claims_never_overspend():
    w = world(
        budget=Decimal("1050000.00"),
        subsidy_ratio=Decimal("0.5000"),
        contract_cap=Decimal("100000.00"),
        annual_cap=Decimal("250000.00"),
    )
    applications = []
    for _ in range(ENTERPRISES):
        w.enterprise = registry_enterprise("110000")
        w.member = enterprise_user(w.enterprise)
        applications += [apply(w, amount="200000") for _ in range(PER_ENTERPRISE)]

    # 60 approvals at once: the budget admits 10.5 grants, each enterprise's cap 2.5.
    results, errors = run_threads(
        [lambda a=a: apps.approve_application(a, actor=w.staff) for a in applications]
    )
    assert errors == []
    issued = [r for r in results if isinstance(r, Voucher)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(issued) + len(refused) == len(applications)
    program = assert_invariants(w.program)
    assert program.reserved == sum(v.amount for v in issued)
    assert 0 < len(issued) < len(applications)
    assert program.reserved <= Decimal("1050000.00")
    assert VoucherApplication.objects.filter(status="approved").count() == len(issued)
    codes = list(Voucher.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))

    # 5 claims of 30% per voucher at once, each also retried with its key: 3 fit per voucher.
    vouchers = list(Voucher.objects.all())
    jobs = []
    for v in vouchers:
        part = (v.amount * Decimal("0.3")).quantize(Decimal("0.01"))
        for n in range(CLAIMS_PER_VOUCHER):
            key = f"{v.pk}-{n}"
            jobs += [lambda v=v, p=part, k=key: file_claim(w, v, p, key=k)] * 2
    assert len(jobs) >= 50
    results, errors = run_threads(jobs)
    assert errors == []
    program = assert_invariants(program)
    for v in vouchers:
        assert v.claims.count() == 3
    filed = list(Claim.objects.all())
    for claim in filed:
        claims.confirm_claim(claim, actor=_member_of(claim))
        claims.verify_claim(claim, actor=w.staff)

    # Every claim settled by two staff at once: each settles once.
    results, errors = run_threads(
        [lambda c=c: claims.settle_claim(c, actor=w.staff) for c in filed for _ in range(2)]
    )
    assert errors == []
    program = assert_invariants(program)
    assert LedgerEntry.objects.filter(kind="spend").count() == len(filed)
    assert program.spent == sum(c.amount for c in filed)

    # Expiry races a second expiry: what is left is released once.
    later = max(v.expires_on for v in vouchers)
    from datetime import timedelta

    results, errors = run_threads(
        [lambda: claims.expire_vouchers(on=later + timedelta(days=1))] * 4
    )
    assert errors == []
    assert sum(results) == len(vouchers)
    program = assert_invariants(program)
    assert program.reserved == Decimal("0.00")
    assert LedgerEntry.objects.filter(kind="release").count() == len(vouchers)


def _member_of(claim):
    return claim.enterprise.active_members().first()
