"""Bench data for the registry: N enterprises in the registry, each with 3 years of counted
annual reports, some growth labels. Reusable by every registry case (policy matching,
dynamic adjustment):

    from bench.registry_data import seed_registry
    ids, seconds = seed_registry(100_000)   # after django.setup(); PostgreSQL only

COPY straight into the tables, not through the services. Idempotent: enterprises are keyed
by USCC serials from SERIAL_BASE; a rerun adds only what is missing (entries, reports and
labels of enterprises that already have them are left alone). Deterministic: row i always
gets the same figures. 70% of the enterprises are under 浙江省's prefectures, the rest in
other provinces, so that jurisdictions matter.
"""

import datetime
import random
import time

from bench.common import copy_rows

SERIAL_BASE = 70_000_000  # demo 20_261_000+/30_000_000+, selection bench 60_000_000+
YEARS = (2023, 2024, 2025)
RNG_SEED = 2026
OTHER_PROVINCES = ["110000", "310000", "440000", "510000", "520000", "320000"]
INDUSTRIES = ["01", "02", "03", "04", "05"]
CATEGORIES = ["tech"] * 5 + ["scenario"] * 3 + ["data"] * 2
SIZES = ["micro", "small", "small", "medium", "medium", "large"]
TIERS = ["potential"] * 6 + ["growth"] * 3 + ["leading"]
LISTING = ["unlisted"] * 18 + ["neeq", "star"]


def _regions():
    from accounts.models import Region

    zhejiang = list(
        Region.objects.filter(parent__code="330000").order_by("code").values_list("code", "id")
    )
    others = []
    for code in OTHER_PROVINCES:
        below = list(
            Region.objects.filter(parent__code=code).order_by("code").values_list("code", "id")
        )
        others += below[:3] or list(Region.objects.filter(code=code).values_list("code", "id"))
    return zhejiang, others


def _region_of(i, zhejiang, others):
    return zhejiang[i % len(zhejiang)] if i % 10 < 7 else others[i % len(others)]


def _enterprises(cursor, n, now):
    from registry.uscc import make_uscc

    zhejiang, others = _regions()
    usccs = [make_uscc(_region_of(i, zhejiang, others)[0], SERIAL_BASE + i) for i in range(n)]
    cursor.execute("SELECT uscc FROM registry_enterprise WHERE uscc = ANY(%s)", [usccs])
    have = {u for (u,) in cursor.fetchall()}
    stamp = now.isoformat()

    def lines():
        for i, uscc in enumerate(usccs):
            if uscc in have:
                continue
            region_id = _region_of(i, zhejiang, others)[1]
            founded = datetime.date(2004, 1, 1) + datetime.timedelta(days=(i * 7919) % 7900)
            yield (
                f"基准登记企业{i:06d}有限公司\t{uscc}\t{region_id}\t{INDUSTRIES[i % 5]}\t"
                f"{CATEGORIES[i % 10]}\t{founded}\t{SIZES[i % 6]}\t{LISTING[i % 20]}\t"
                f"联系人{i % 1000:03d}\t1880000{i % 10000:04d}\t\t\t\t{stamp}\t{stamp}\t"
                "verified\t\n"
            )

    copy_rows(cursor, "registry_enterprise",
          ["name", "uscc", "region_id", "industry", "category", "founded_on", "size",
           "listing_status", "contact_name", "contact_phone", "contact_email", "website",
           "description", "created_at", "updated_at", "verification_status",
           "verification_reason"], lines())  # fmt: skip
    cursor.execute(
        "SELECT uscc, id, category FROM registry_enterprise WHERE uscc = ANY(%s)", [usccs]
    )
    by_uscc = {u: (pk, category) for u, pk, category in cursor.fetchall()}
    return [by_uscc[u] for u in usccs], n - len(have)


def _missing(cursor, table, ids):
    cursor.execute(
        f"SELECT DISTINCT enterprise_id FROM {table} WHERE enterprise_id = ANY(%s)", [ids]
    )
    done = {pk for (pk,) in cursor.fetchall()}
    return [pk for pk in ids if pk not in done]


def _entries(cursor, enterprises, now):
    category = dict(enterprises)
    ids = _missing(cursor, "registry_registryentry", [pk for pk, _c in enterprises])
    stamp = now.isoformat()
    copy_rows(cursor, "registry_registryentry",
          ["enterprise_id", "tier", "category", "admitted_on", "status", "updated_at"],
          (f"{pk}\t{TIERS[pk % 10]}\t{category[pk]}\t2024-06-01\tactive\t{stamp}\n"
           for pk in ids))  # fmt: skip
    # Cultivated by the enterprise's province, as admit_enterprise records by default.
    cursor.execute(
        """UPDATE registry_registryentry ge SET jurisdiction_id = p.id
           FROM registry_enterprise e
           JOIN accounts_region r ON r.id = e.region_id
           JOIN accounts_region p ON p.path = substr(r.path, 1, 14)
           WHERE ge.enterprise_id = e.id AND ge.jurisdiction_id IS NULL
             AND ge.enterprise_id = ANY(%s)""",
        [ids],
    )
    return len(ids)


def _money(rng, low, high) -> int:
    return int(low * (high / low) ** rng.random())


def _reports(cursor, enterprises, now):
    ids = set(_missing(cursor, "registry_annualreport", [pk for pk, _c in enterprises]))
    stamp = now.isoformat()

    def lines():
        for pk, _category in enterprises:
            if pk not in ids:
                continue
            rng = random.Random(RNG_SEED * 1_000_003 + pk)
            revenue = _money(rng, 500_000, 400_000_000)
            employees = rng.randrange(8, 1500)
            patents, copyrights, cumulative = rng.randrange(0, 8), rng.randrange(0, 15), 0
            for k, year in enumerate(YEARS):
                revenue = int(revenue * (0.85 + rng.random() * 0.55))
                rd = int(revenue * (0.01 + rng.random() * 0.17))
                employees = max(5, int(employees * (0.9 + rng.random() * 0.3)))
                rd_staff = int(employees * (0.05 + rng.random() * 0.5))
                profit = int(revenue * (rng.random() * 0.3 - 0.1))
                financing = _money(rng, 1_000_000, 200_000_000) if rng.random() < 0.15 else 0
                cumulative += financing
                valuation = (
                    str(_money(rng, 50_000_000, 12_000_000_000)) if rng.random() < 0.3 else "\\N"
                )
                patents += rng.randrange(0, 4)
                copyrights += rng.randrange(0, 6)
                status = "accepted" if k < 2 else "submitted"
                yield (
                    f"{pk}\t{year}\t{status}\t{revenue}\t{int(revenue * 0.9)}\t{profit}\t{rd}\t"
                    f"{employees}\t{rd_staff}\t{patents}\t{copyrights}\t{rng.randrange(0, 6)}\t"
                    f"{financing}\t{cumulative}\t{valuation}\t{int(revenue * rng.random() * 0.2)}"
                    f"\t0\t{{}}\t{year + 1}-04-01T00:00:00+00:00\t{stamp}\t{stamp}\n"
                )

    copy_rows(cursor, "registry_annualreport",
          ["enterprise_id", "year", "status", "revenue", "main_business_revenue", "net_profit",
           "rd_expense", "employees", "rd_staff", "invention_patents", "software_copyrights",
           "data_resources_registered", "financing_this_year", "cumulative_financing",
           "valuation", "overseas_revenue", "compliance_incidents", "confirmations",
           "submitted_at", "created_at", "updated_at"], lines())  # fmt: skip
    return len(ids) * len(YEARS)


def _labels(cursor, enterprises):
    """Every 12th enterprise a gazelle, every 97th a prospective unicorn (current)."""
    ids = set(_missing(cursor, "registry_labelaward", [pk for pk, _c in enterprises]))
    rows = []
    for pk in sorted(ids):
        if pk % 12 == 0:
            rows.append(f"{pk}\tgazelle\t2025-05-01\t\\N\t[]\tbench\n")
        if pk % 97 == 0:
            rows.append(f"{pk}\tprospective_unicorn\t2025-05-01\t\\N\t[]\tbench\n")
    copy_rows(cursor, "registry_labelaward",
          ["enterprise_id", "label", "granted_on", "revoked_on", "reasons", "source"],
          rows)  # fmt: skip
    return len(rows)


def seed_registry(n: int = 100_000, *, log=print) -> tuple[list[int], float]:
    """N registry enterprises with 3 years of reports; returns (their ids, seconds)."""
    from django.db import connection, transaction

    started = time.perf_counter()
    now = datetime.datetime.now(datetime.UTC)
    steps = []
    with connection.cursor() as cursor:
        t0 = time.perf_counter()
        with transaction.atomic():
            enterprises, made = _enterprises(cursor, n, now)
        steps.append(f"enterprises {made:,} new {time.perf_counter() - t0:.1f} s")
        for name, work in [
            ("registry entries", lambda: _entries(cursor, enterprises, now)),
            ("reports", lambda: _reports(cursor, enterprises, now)),
            ("labels", lambda: _labels(cursor, enterprises)),
        ]:
            t0 = time.perf_counter()
            with transaction.atomic():
                made = work()
            steps.append(f"{name} {made:,} new {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        cursor.execute("VACUUM ANALYZE")
        steps.append(f"VACUUM ANALYZE {time.perf_counter() - t0:.1f} s")
    log(f"seed_registry({n:,}): {'; '.join(steps)}")
    return [pk for pk, _c in enterprises], time.perf_counter() - started
