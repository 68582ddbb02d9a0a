"""Benchmark case `adjustment`: the dynamic-adjustment job over the whole registry, against
the same default rules written as one raw SQL query per rule.

    DATABASE_URL=postgres://… .venv/bin/python bench/run.py --adjustment-only [--registry N]
    DATABASE_URL=postgres://… .venv/bin/python -m bench.adjustment [--entries N] [--skip-seed]

Seeds N enterprises in the registry with 3 years of reports (bench/registry_data.py, shared
with the policy case), then measures in a fresh child process, so that the peak RSS is the
job's and not the seed's:

1. `run_adjustment` over the whole country for report year 2025, called in-process (no
   Celery), twice: a first run that writes the proposals, and a rerun (idempotence: it
   compares and writes nothing new);
2. the rules as SQL, one query per rule (exit for records, for leaving the jurisdiction and
   for missing reports; graduation; upgrade; downgrade), run after the job so that they
   read the growth labels the job recomputed; precedence (exit > graduate > upgrade >
   downgrade) applied to the id sets;
3. the times, the ratio (target ≤ 3×), the peak RSS, the proposals per kind, and whether
   the job's proposals are exactly the SQL's.

PostgreSQL only. A benchmark, not a test: it asserts nothing about timing. See bench/README.md.
"""

import argparse
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import log, maxrss_mb, require_postgresql, setup_django  # noqa: E402

DEFAULT_ENTRIES = 100_000
YEAR = 2025
TARGET_RATIO = 3.0
SQL_RUNS = 3
RULES = ("exit", "graduate", "upgrade", "downgrade")

# The default tier conditions (adjustment/rules.py) over one report `r` and the
# enterprise's current labels; a missing value makes a leaf false, as in the engine.
RDI = "ROUND(r.rd_expense * 100 / NULLIF(r.revenue, 0), 2)"
POTENTIAL = (
    f"(COALESCE({RDI} >= 3, false) OR r.invention_patents >= 1 OR r.software_copyrights >= 2)"
)
GROWTH = (f"(r.revenue >= 10000000 AND COALESCE({RDI} >= 3, false) "
          "AND (r.invention_patents >= 1 OR r.software_copyrights >= 5))")  # fmt: skip
LEADING = (f"((r.revenue >= 100000000 AND COALESCE({RDI} >= 3, false)"
           " AND r.invention_patents >= 5)"
           " OR EXISTS (SELECT 1 FROM registry_labelaward l WHERE l.enterprise_id = e.id"
           " AND l.revoked_on IS NULL"
           " AND l.label IN ('unicorn', 'prospective_unicorn')))")  # fmt: skip
COUNTED = "r.status IN ('submitted', 'accepted')"
ACTIVE = "ge.status = 'active'"


def _report(year, condition):
    return (f"EXISTS (SELECT 1 FROM registry_annualreport r WHERE r.enterprise_id = e.id "
            f"AND r.year = {year} AND {COUNTED} AND {condition})")  # fmt: skip


def _no_report(year):
    return (f"NOT EXISTS (SELECT 1 FROM registry_annualreport r WHERE r.enterprise_id = e.id "
            f"AND r.year = {year} AND {COUNTED})")  # fmt: skip


BASE = ("SELECT ge.id FROM registry_registryentry ge"
        " JOIN registry_enterprise e ON e.id = ge.enterprise_id")  # fmt: skip
SQL = {
    "exit: records": f"""{BASE} WHERE {ACTIVE} AND EXISTS (SELECT 1 FROM registry_enterpriserecord x
        WHERE x.enterprise_id = e.id AND x.revoked_at IS NULL)""",
    "exit: left the jurisdiction": f"""{BASE} JOIN accounts_region er ON er.id = e.region_id
        JOIN accounts_region j ON j.id = ge.jurisdiction_id
        WHERE {ACTIVE} AND er.path NOT LIKE j.path || '%%'""",
    "exit: no reports": f"""{BASE} WHERE {ACTIVE} AND ge.admitted_on < DATE '{YEAR}-04-30'
        AND {_no_report(YEAR - 1)} AND {_no_report(YEAR)}""",
    "graduate": f"""{BASE} WHERE {ACTIVE} AND e.listing_status IN
        ('main_board', 'star', 'chinext', 'bse', 'hkex', 'overseas')""",
    "upgrade": f"""{BASE} WHERE {ACTIVE} AND (
        (ge.tier = 'potential' AND ({_report(YEAR, LEADING)} OR {_report(YEAR, GROWTH)}))
        OR (ge.tier = 'growth' AND {_report(YEAR, LEADING)}))""",
    "downgrade": f"""{BASE} WHERE {ACTIVE} AND (
        (ge.tier = 'growth' AND {_report(YEAR, f"NOT {GROWTH}")}
                            AND {_report(YEAR - 1, f"NOT {GROWTH}")})
        OR (ge.tier = 'leading' AND {_report(YEAR, f"NOT {LEADING}")}
                                AND {_report(YEAR - 1, f"NOT {LEADING}")}))""",
}
# POTENTIAL only decides where a downgrade lands, not whether there is one.
assert POTENTIAL


def add_arguments(parser):
    parser.add_argument(
        "--entries",
        type=int,
        default=DEFAULT_ENTRIES,
        metavar="N",
        help=f"adjustment case: registry entries (default {DEFAULT_ENTRIES:,})",
    )


def sql_kinds(cursor) -> tuple[dict[int, str], float]:
    """{entry id: kind} by the per-rule queries with the job's precedence, and the seconds
    the queries took (best of SQL_RUNS)."""
    best, sets = None, {}
    for _ in range(SQL_RUNS):
        started = time.perf_counter()
        for name, sql in SQL.items():
            cursor.execute(sql)
            sets[name] = {pk for (pk,) in cursor.fetchall()}
        took = time.perf_counter() - started
        best = took if best is None else min(best, took)
    kinds = {}
    for name in ("downgrade", "upgrade", "graduate", *[n for n in SQL if n.startswith("exit")]):
        for pk in sets[name]:
            kinds[pk] = name.split(":")[0]  # later (higher-precedence) rules overwrite
    return kinds, best


def measure(entries: int) -> int:
    require_postgresql("adjustment case")
    setup_django()
    from django.db import connection

    from accounts.models import Region
    from adjustment.models import AdjustmentProposal, AdjustmentRun
    from adjustment.services.job import run_adjustment

    with connection.cursor() as cursor:  # not Django's delete: it would load every row
        cursor.execute(
            "DELETE FROM selection_adjustmentproposal WHERE origin = 'rules' AND year = %s "
            "AND id NOT IN (SELECT proposal_id FROM selection_appeal)",
            [YEAR],
        )
    country = Region.objects.get(level="country")
    timings = {}
    for label in ("first run", "rerun"):
        run = AdjustmentRun.objects.create(region=country, year=YEAR)
        started = time.perf_counter()
        run = run_adjustment(run)
        timings[label] = time.perf_counter() - started
        log(f"{label}: {timings[label]:.1f} s, {run.processed:,} entries, summary {run.summary}")
    peak_mb = maxrss_mb()
    job = dict(
        AdjustmentProposal.objects.filter(origin="rules", year=YEAR, status="pending").values_list(
            "entry_id", "kind"
        )
    )
    with connection.cursor() as cursor:
        expected, sql_seconds = sql_kinds(cursor)
    agree = job == expected
    log(f"SQL, one query per rule ({len(SQL)} queries, best of {SQL_RUNS}): {sql_seconds:.2f} s")
    log(f"proposals by the job: {dict(Counter(job.values()))}")
    log(f"proposals by the SQL: {dict(Counter(expected.values()))}")
    if not agree:
        differ = sorted(set(job.items()) ^ set(expected.items()))[:10]
        log(f"DISAGREE on {len(set(job.items()) ^ set(expected.items()))} entries, e.g. {differ}")
    ratio = timings["first run"] / sql_seconds if sql_seconds else float("inf")
    log(f"ratio job / SQL: {ratio:.1f}× (target ≤ {TARGET_RATIO:.0f}×); "
        f"rerun {timings['rerun'] / sql_seconds:.1f}×; peak RSS {peak_mb:.0f} MB")  # fmt: skip
    return 0 if agree else 1


def run_case(args, *, skip_seed=False) -> int:
    """Seed (or reuse) the registry, then measure in a child process. `args.registry`
    (bench/run.py) or `args.entries` (this module) is the number of entries."""
    entries = getattr(args, "registry", None) or args.entries
    require_postgresql("adjustment case")
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from bench.registry_data import seed_registry

    if not skip_seed:
        call_command("migrate", verbosity=0)
        log(f"\nadjustment case: {entries:,} registry entries × 3 years of reports")
        _ids, seconds = seed_registry(entries)
        log(f"seeded in {seconds:.1f} s")
    connection.close()
    cmd = [sys.executable, "-m", "bench.adjustment", "--measure", str(entries)]
    return subprocess.run(cmd, cwd=ROOT, env={**os.environ}).returncode


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(p)
    p.add_argument("--skip-seed", action="store_true")
    p.add_argument("--measure", type=int, metavar="N", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    if args.measure:
        return measure(args.measure)
    return run_case(args, skip_seed=args.skip_seed)


if __name__ == "__main__":
    sys.exit(main())
