"""Benchmark case `policies`: the matching job over the registry, against one raw SQL query
per rule.

    DATABASE_URL=postgres://… .venv/bin/python bench/run.py --policies-only [--registry N]
    DATABASE_URL=postgres://… .venv/bin/python -m bench.policies [--registry N] [--skip-seed]

Seeds N registry enterprises with 3 years of reports (bench/registry_data.py, default
100,000), replaces the 50 bench policies (10 rule shapes × 5 thresholds, half national,
half 浙江省) and, in a fresh child process (so that peak RSS is the job's):

1. runs `policies.services.matching.match_policy` for each policy, from no grants (it
   writes every grant, its audit events and notifications), then once more (the idempotent
   rerun: nothing to write, explanations compared);
2. runs the same 50 rules as 50 hand-written SQL queries returning the matching ids (best
   of three), and checks that they select exactly the enterprises the job granted;
3. prints the times, the ratios to the SQL (target ≤ 3×), peak RSS and grants written.

PostgreSQL only. A benchmark, not a test: it asserts nothing about timing.
"""

import argparse
import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import log, maxrss_mb, require_postgresql, setup_django  # noqa: E402

DEFAULT_REGISTRY = 100_000
TITLE = "基准测试政策{:02d}"
BUREAU_EMAIL = "bench.policy@bench.invalid"
TARGET_RATIO = 3.0
SQL_RUNS = 3
THRESHOLDS = 5
VALID = (datetime.date(2026, 1, 1), datetime.date(2027, 12, 31))

# Rule shapes: (engine rule, SQL condition) for threshold index k (0..4). The SQL reads
# e (enterprise), r (its region), t (registry entry) and rep (latest counted report).
M = 10**6
REVENUE = [150, 200, 250, 300, 350]
INTENSITY = ["16", "16.5", "17", "17.5", "17.8"]
CATEGORY = ["tech", "data", "scenario", "tech", "data"]
BIG = [100, 100, 100, 150, 150]
STAFF = [1000, 1200, 1400, 1600, 1800]
CITY = ["330100", "330200", "330300", "330400", "330500"]
FUNDED = [10, 20, 40, 80, 160]
GAZELLE = (
    "EXISTS (SELECT 1 FROM registry_labelaward l WHERE l.enterprise_id = e.id"
    " AND l.revoked_on IS NULL AND l.label = 'gazelle')"
)


def _leaf(field, op, value=None):
    return {"field": field, "op": op, **({} if value is None else {"value": value})}


def _all(*items):
    return {"all": list(items)}


def _any(*items):
    return {"any": list(items)}


SHAPES = [
    (lambda k: _all(_leaf("revenue", "gte", REVENUE[k] * M)),
     lambda k: f"rep.revenue >= {REVENUE[k] * M}"),
    (lambda k: _all(_leaf("rd_intensity", "gte", INTENSITY[k])),
     lambda k: f"ROUND(rep.rd_expense * 100.0 / NULLIF(rep.revenue, 0), 2) >= {INTENSITY[k]}"),
    (lambda k: _all(_leaf("tier", "in", ["growth", "leading"]),
                    _leaf("category", "eq", CATEGORY[k]), _leaf("revenue", "gte", BIG[k] * M)),
     lambda k: (f"t.tier IN ('growth', 'leading') AND e.category = '{CATEGORY[k]}'"
                f" AND rep.revenue >= {BIG[k] * M}")),
    (lambda k: _all(_leaf("industry", "in", ["03", "04"]), _leaf("employees", "gte", STAFF[k])),
     lambda k: f"e.industry IN ('03', '04') AND rep.employees >= {STAFF[k]}"),
    (lambda k: _all(_leaf("age_years", "between", [k + 1, k + 3]),
                    _leaf("revenue", "gte", 30 * M)),
     lambda k: (f"e.founded_on <= %(as_of)s::date - interval '{k + 1} years'"
                f" AND e.founded_on > %(as_of)s::date - interval '{k + 4} years'"
                f" AND rep.revenue >= {30 * M}")),
    (lambda k: _any(_leaf("labels", "has", "gazelle"), _leaf("invention_patents", "gte", 14 + k)),
     lambda k: f"({GAZELLE} OR rep.invention_patents >= {14 + k})"),
    (lambda k: _all(_leaf("region", "within", CITY[k]), _leaf("rd_staff", "gte", 100)),
     lambda k: f"r.path LIKE '%%{CITY[k]}/%%' AND rep.rd_staff >= 100"),
    (lambda k: _all(_leaf("revenue", "gte", FUNDED[k] * M),
                    _any(_leaf("financing_this_year", "gt", 0),
                         _leaf("valuation", "gte", 2000 * M))),
     lambda k: (f"rep.revenue >= {FUNDED[k] * M}"
                f" AND (rep.financing_this_year > 0 OR rep.valuation >= {2000 * M})")),
    (lambda k: _all(_leaf("net_profit", "lt", -(k + 1) * M),
                    _leaf("size", "in", ["small", "micro"])),
     lambda k: f"rep.net_profit < {-(k + 1) * M} AND e.size IN ('small', 'micro')"),
    (lambda k: _all(_leaf("software_copyrights", "gte", 24 + k),
                    _leaf("data_resources_registered", "gte", 4),
                    _leaf("listing_status", "eq", "unlisted")),
     lambda k: (f"rep.software_copyrights >= {24 + k} AND rep.data_resources_registered >= 4"
                " AND e.listing_status = 'unlisted'")),
]  # fmt: skip

RULE_SQL = """
SELECT e.id
FROM registry_enterprise e
JOIN accounts_region r ON r.id = e.region_id
JOIN registry_registryentry t ON t.enterprise_id = e.id
LEFT JOIN LATERAL (
    SELECT * FROM registry_annualreport a
    WHERE a.enterprise_id = e.id AND a.status IN ('submitted', 'accepted')
      AND a.year <= EXTRACT(YEAR FROM %(as_of)s::date)
    ORDER BY a.year DESC LIMIT 1
) rep ON TRUE
WHERE r.path LIKE %(jurisdiction)s AND ({condition})
"""


def rules():
    """[(title, jurisdiction code, engine rule, SQL condition)] for the 50 bench policies."""
    out = []
    for s, (rule, sql) in enumerate(SHAPES):
        for k in range(THRESHOLDS):
            n = s * THRESHOLDS + k
            out.append((TITLE.format(n), "000000" if n % 2 else "330000", rule(k), sql(k)))
    return out


def _bureau():
    from accounts.models import Region, Role, User

    user = User.objects.filter(email=BUREAU_EMAIL).first()
    if user is None:
        user = User(email=BUREAU_EMAIL, full_name="基准测试政策管理员", role=Role.BUREAU,
                    region=Region.objects.get(code="000000"))  # fmt: skip
        user.set_unusable_password()
        user.save()
    return user


def reset_policies():
    """Drop the previous bench policies with their grants and runs (their audit events stay:
    the audit table is append-only, enforced by a trigger); create the 50
    again as published (not through publish_policy: the child runs the job itself)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Region
    from policies.models import Policy

    bureau = _bureau()
    with transaction.atomic(), connection.cursor() as c:
        old = list(
            Policy.objects.filter(title__startswith="基准测试政策").values_list("pk", flat=True)
        )
        if old:
            c.execute("DELETE FROM registry_policygrant WHERE policy_id = ANY(%s)", [old])
            c.execute("DELETE FROM registry_policymatchrun WHERE policy_id = ANY(%s)", [old])
            c.execute("DELETE FROM registry_policy WHERE id = ANY(%s)", [old])
        regions = {r.code: r for r in Region.objects.filter(code__in=["000000", "330000"])}
        Policy.objects.bulk_create(
            Policy(title=title, department="基准测试数据局", kind="subsidy", mode="auto",
                   benefit="基准测试", jurisdiction=regions[code], valid_from=VALID[0],
                   valid_until=VALID[1], beneficiary="入库企业", contact="-",
                   conditions=rule, status="published", created_by=bureau,
                   published_at=timezone.now())
            for title, code, rule, _sql in rules()
        )  # fmt: skip
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE registry_policy")


def run_sql(as_of):
    from django.db import connection

    from accounts.models import Region

    paths = dict(Region.objects.filter(code__in=["000000", "330000"]).values_list("code", "path"))
    total, answers = 0.0, {}
    with connection.cursor() as c:
        for title, code, _rule, condition in rules():
            t0 = time.perf_counter()
            c.execute(RULE_SQL.format(condition=condition),
                      {"as_of": as_of, "jurisdiction": paths[code] + "%"})  # fmt: skip
            answers[title] = {pk for (pk,) in c.fetchall()}
            total += time.perf_counter() - t0
    return answers, total


def measure() -> int:
    setup_django()
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from policies.models import Policy, PolicyGrant
    from policies.services import matching

    as_of = timezone.localdate()
    policies = list(Policy.objects.filter(title__startswith="基准测试政策")
                    .select_related("jurisdiction").order_by("title"))  # fmt: skip
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    max_before = maxrss_mb()
    timings = {}
    for label in ("first", "rerun"):
        t0, summaries = time.perf_counter(), []
        for policy in policies:
            summaries.append(matching.match_policy(policy, as_of=as_of))
        timings[label] = (time.perf_counter() - t0, summaries)
    max_after = maxrss_mb()
    # The job's SQL part alone: the pre-filter's candidate ids, per policy.
    from conditions.sql import prefilter as compile_prefilter

    t0 = time.perf_counter()
    for policy in policies:
        list(compile_prefilter(matching.population(policy.jurisdiction), policy.conditions,
                               as_of=as_of).values_list("pk", flat=True))  # fmt: skip
    prefilter = time.perf_counter() - t0
    best, answers = None, None
    for _ in range(SQL_RUNS):
        answers, seconds = run_sql(as_of)
        best = seconds if best is None else min(best, seconds)
    granted = {}
    for title, enterprise_id in PolicyGrant.objects.filter(policy__in=policies).values_list(
        "policy__title", "enterprise_id"
    ):
        granted.setdefault(title, set()).add(enterprise_id)
    disagree = sum(answers[t] != granted.get(t, set()) for t in answers)
    by_status = dict(PolicyGrant.objects.filter(policy__in=policies).values_list("status")
                     .annotate(n=Count("id")).order_by())  # fmt: skip
    first, first_summaries = timings["first"]
    rerun, rerun_summaries = timings["rerun"]
    registry = connection.cursor()
    registry.execute("SELECT COUNT(*) FROM registry_registryentry")
    entries = registry.fetchone()[0]
    created = sum(s["created"] for s in first_summaries)
    sizes = sorted(s["matched"] for s in first_summaries)
    print()
    print(f"policies case: {len(policies)} policies over {entries:,} registry entries "
          f"(load before: {load})")  # fmt: skip
    print(f"  grants written (first run)   {created:,}  {by_status}")
    print(f"  matches per policy           min {sizes[0]:,}  median {sizes[len(sizes) // 2]:,}"
          f"  max {sizes[-1]:,}")  # fmt: skip
    print(f"  job, first run (writes)      {first:8.2f} s")
    print(f"  job, rerun (idempotent)      {rerun:8.2f} s  "
          f"created {sum(s['created'] for s in rerun_summaries)}, "
          f"updated {sum(s['updated'] for s in rerun_summaries)}")  # fmt: skip
    print(f"  job's SQL pre-filter alone   {prefilter:8.2f} s")
    print(f"  raw SQL, 50 queries (best/{SQL_RUNS}) {best:6.2f} s")
    print(f"  ratio first run / SQL        {first / best:8.2f}×  (target ≤ {TARGET_RATIO:.0f}×)")
    print(f"  ratio rerun / SQL            {rerun / best:8.2f}×")
    print(f"  ratio pre-filter / SQL       {prefilter / best:8.2f}×")
    print(f"  rules where SQL ≠ grants     {disagree}")
    print(f"  peak RSS                     {max_after:8.0f} MB (at start {max_before:.0f} MB)")
    return 1 if disagree else 0


def add_arguments(parser):
    """The options of this case (shared with bench/run.py)."""
    parser.add_argument(
        "--registry",
        type=int,
        default=DEFAULT_REGISTRY,
        metavar="N",
        help=f"policies case: registry enterprises (default {DEFAULT_REGISTRY:,})",
    )


def run_case(args, *, skip_seed=False) -> int:
    """Seed (or reuse) the registry, reset the 50 policies, measure in a child process."""
    require_postgresql("policies case")
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from bench.registry_data import seed_registry

    call_command("migrate", verbosity=0)
    if not skip_seed:
        _ids, seconds = seed_registry(args.registry, log=log)
        log(f"seeded in {seconds:.1f} s")
    reset_policies()
    connection.close()
    child = subprocess.run(
        [sys.executable, "-m", "bench.policies", "--measure"], cwd=ROOT, env=os.environ.copy()
    )
    return child.returncode


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(p)
    p.add_argument("--skip-seed", action="store_true", help="use the registry as it is")
    p.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    require_postgresql("policies case")
    if args.measure:
        return measure()
    return run_case(args, skip_seed=args.skip_seed)


if __name__ == "__main__":
    sys.exit(main())
