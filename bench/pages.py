"""Benchmark case `pages`: every staff page of a round at N = 1,000 and N = 20,000 side by side.

    DATABASE_URL=postgres://… .venv/bin/python bench/run.py --pages-only [--skip-seed]
        [--small 1000] [--large 20000] [--requests R] [--concurrency C]

Seeds (bench/selection.py's COPY seed) two rounds of the bench region: year 2024 with the
small N, year 2025 with the large N (applications × 5 panelists × 6 criteria, all
scored), then per size a policy with N grants and N pending adjustment proposals of one
report year (registry entries for the bench enterprises), all by COPY. Serves the portal
with gunicorn (DEBUG off, bench.settings) and loads each page as the round's bureau user
(a session cookie): the application list, the panel page, the results, the objections,
the adjustment proposals and the policy grants. Prints per page and size: requests/s,
p50/p95, HTML bytes and queries per request, and the large/small ratios.

PostgreSQL only. A benchmark, not a test: it asserts nothing about timing.
"""

import datetime
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import copy_rows, log, require_postgresql, setup_django  # noqa: E402

SMALL, LARGE = 1_000, 20_000
YEARS = {"small": 2024, "large": 2025}
POLICY_TITLE = "基准测试：惠企政策（bench {n}）"
# Targets (issue #14): p50 ≤ 150 ms at the large N, cost ratio ≤ 1.3×, same queries.
TARGET_P50_MS = 150
TARGET_RATIO = 1.3

PAGES = [
    ("applications", "/selection/rounds/{round}/"),
    ("applications p50", "/selection/rounds/{round}/?page=50"),
    ("panel", "/selection/rounds/{round}/panel/"),
    ("panel lacking", "/selection/rounds/{round}/panel/?lacking=1&outliers=1"),
    ("results", "/selection/rounds/{round}/results/"),
    ("objections", "/selection/rounds/{round}/objections/"),
    ("proposals", "/adjustment/?year={year}"),
    ("grants", "/policies/{policy}/"),
]


def add_arguments(parser):
    parser.add_argument("--small", type=int, default=SMALL, metavar="N")
    parser.add_argument("--large", type=int, default=LARGE, metavar="N")


# --- seed -------------------------------------------------------------------------------


def _results(cursor, round_id, filer_id, now):
    """Every application `proposed` (the results page lists them all, by final score) and
    an objection on every 100th (the objections page)."""
    cursor.execute(
        "UPDATE selection_application SET status = 'proposed', panel_score = indicator_score,"
        " final_score = indicator_score, proposed_tier = tier_sought WHERE round_id = %s",
        [round_id],
    )
    cursor.execute(
        "DELETE FROM selection_objection WHERE application_id IN"
        " (SELECT id FROM selection_application WHERE round_id = %s)",
        [round_id],
    )
    cursor.execute(
        "INSERT INTO selection_objection (application_id, filed_by_id, reason, evidence, status,"
        " reply, created_at) SELECT id, %s, '对公示结果有异议（基准测试）。', '', 'open', '', %s"
        " FROM selection_application WHERE round_id = %s AND id %% 100 = 0",
        [filer_id, now, round_id],
    )


def _entries(cursor, enterprise_ids, region_id, now):
    """A registry entry (potential) for every bench enterprise that lacks one."""
    cursor.execute(
        "SELECT enterprise_id FROM registry_registryentry WHERE enterprise_id = ANY(%s)",
        [enterprise_ids],
    )
    have = {e for (e,) in cursor.fetchall()}
    stamp = now.isoformat()
    copy_rows(
        cursor,
        "registry_registryentry",
        ["tier", "category", "admitted_on", "updated_at", "enterprise_id", "jurisdiction_id",
         "status"],
        (f"potential\ttech\t2023-06-30\t{stamp}\t{e}\t{region_id}\tactive\n"
         for e in enterprise_ids if e not in have),
    )  # fmt: skip
    cursor.execute(
        "SELECT enterprise_id, id FROM registry_registryentry WHERE enterprise_id = ANY(%s)",
        [enterprise_ids],
    )
    return dict(cursor.fetchall())


def _revenue_explanation(expected, actual) -> str:
    """A stored explanation (data, rendered when shown): revenue ≥ expected, held."""
    item = {"field": "revenue", "op": "gte", "expected": expected, "actual": actual}
    return json.dumps([{**item, "held": True}])


def _proposals(cursor, entries, year, now):
    cursor.execute("DELETE FROM selection_adjustmentproposal WHERE year = %s", [year])
    stamp = now.isoformat()
    reasons = _revenue_explanation(20_000_000, 35_500_000)
    copy_rows(
        cursor,
        "selection_adjustmentproposal",
        ["year", "origin", "kind", "from_tier", "to_tier", "reasons", "figures", "status",
         "final_kind", "final_tier", "decision_reason", "created_at", "updated_at",
         "entry_id"],
        (f"{year}\trules\tupgrade\tpotential\tgrowth\t{reasons}\t{{}}\tpending\t\t\t\t"
         f"{stamp}\t{stamp}\t{entry}\n" for entry in entries),
    )  # fmt: skip


def _policy(cursor, n, enterprise_ids, bureau, region, now):
    """A published policy of the bench region with a grant for each of the enterprises."""
    from policies.models import Policy

    title = POLICY_TITLE.format(n=n)
    policy = Policy.objects.filter(title=title).first()
    if policy is not None:
        Policy.objects.filter(pk=policy.pk).update(
            conditions={"all": [{"field": "revenue", "op": "gte", "value": 1_000_000}]}
        )
    if policy is None:
        policy = Policy.objects.create(
            title=title,
            department="基准测试",
            kind="subsidy",
            benefit="基准测试补贴",
            valid_from=datetime.date(2025, 1, 1),
            valid_until=datetime.date(2027, 12, 31),
            mode="auto",
            beneficiary="enterprise",
            contact="0571-00000000",
            conditions={"all": [{"field": "revenue", "op": "gte", "value": 1_000_000}]},
            status="published",
            created_by=bureau,
            jurisdiction=region,
            published_at=now,
        )
    cursor.execute("DELETE FROM registry_policygrant WHERE policy_id = %s", [policy.pk])
    stamp = now.isoformat()
    explanation = _revenue_explanation(1_000_000, 5_000_000)
    copy_rows(
        cursor,
        "registry_policygrant",
        ["status", "explanation", "matched_at", "notified_at", "due_on", "decline_reason",
         "delivery_note", "account_name", "bank_name", "account_number", "application",
         "updated_at", "enterprise_id", "policy_id"],
        (f"notified\t{explanation}\t{stamp}\t{stamp}\t2027-06-30\t\t\t\t\t\t{{}}\t{stamp}\t"
         f"{e}\t{policy.pk}\n" for e in enterprise_ids),
    )  # fmt: skip
    return policy


def seed(args):
    """Both rounds, their proposals and grants; returns {size: context}."""
    from django.db import connection, transaction

    from accounts.models import User
    from bench import selection as selection_case
    from selection.models import Application

    selection_case.migrate()
    now = datetime.datetime.now(datetime.UTC)
    sizes = {"small": args.small, "large": args.large}
    context = {}
    for size, n in sizes.items():
        selection_round, seconds = selection_case.seed(n, skip=args.skip_seed, year=YEARS[size])
        log(f"{size}: round {selection_round.pk} ({n:,} applications) in {seconds:.1f} s")
        context[size] = {"round": selection_round.pk, "year": YEARS[size], "n": n}
        enterprise_ids = list(
            Application.objects.filter(round=selection_round).values_list(
                "enterprise_id", flat=True
            )
        )
        bureau = User.objects.get(email=selection_case.BUREAU_EMAIL)
        policy_title = POLICY_TITLE.format(n=n)
        if args.skip_seed:
            from policies.models import Policy

            context[size]["policy"] = Policy.objects.get(title=policy_title).pk
            continue
        t0 = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            _results(cursor, selection_round.pk, bureau.pk, now)
            entries = _entries(cursor, enterprise_ids, bureau.region_id, now)
            _proposals(cursor, [entries[e] for e in enterprise_ids], YEARS[size], now)
            policy = _policy(cursor, n, enterprise_ids, bureau, bureau.region, now)
        context[size]["policy"] = policy.pk
        log(f"{size}: {n:,} proposals and grants in {time.perf_counter() - t0:.1f} s")
    if not args.skip_seed:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return context


def session_cookie():
    """A session of the bench bureau user, as the login view would make it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User
    from bench import selection as selection_case

    user = User.objects.get(email=selection_case.BUREAU_EMAIL)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # not axes' own
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return user, f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def count_queries(user, cases):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
    client.force_login(user)
    counts, sizes = {}, {}
    for key, path in cases:
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        counts[key] = len(ctx.captured_queries)
        sizes[key] = (response.status_code, len(response.content))
    connection.close()
    return counts, sizes


def run_case(args) -> int:
    """Seed, then serve and measure; prints the side-by-side table. Returns 1 on errors."""
    from bench import run as runner

    require_postgresql("pages case")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    setup_django()
    started = time.perf_counter()
    context = seed(args)
    log(f"seeded in {time.perf_counter() - started:.1f} s")
    user, cookie = session_cookie()
    cases = [
        ((name, size), path.format(**ctx)) for name, path in PAGES for size, ctx in context.items()
    ]
    queries, statuses = count_queries(user, cases)

    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    port = runner.free_port()
    results = {}
    with tempfile.NamedTemporaryFile("w+", prefix="bench-gunicorn-", suffix=".log") as log_file:
        proc = runner.start_gunicorn(port, log_file)
        try:
            runner.wait_ready(proc, port, log_file.name)
            for key, path in cases:
                case = runner.Case(f"{key[0]} {key[1]}", path, {"Cookie": cookie})
                results[key] = runner.run_case(port, case, {}, args)
                r = results[key]
                log(f"  {case.name}: {r['requests']} requests, p50 {r['p50']:.0f} ms")
        finally:
            runner.stop_gunicorn(proc)
        log_file.seek(0)
        server_log = log_file.read().strip()
    if server_log:
        print("\ngunicorn log (tail):\n" + server_log[-2000:])
    print_table(context, results, queries)
    load_after = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average   before {load_before}, after {load_after} ({os.cpu_count()} CPUs)")
    return 1 if any(r["errors"] for r in results.values()) else 0


def print_table(context, results, queries):
    small, large = context["small"]["n"], context["large"]["n"]
    print(f"\n== staff pages at N = {small:,} and N = {large:,} applications "
          f"(gunicorn {2} sync workers, DEBUG off, PostgreSQL) ==")  # fmt: skip
    header = (
        f"{'page':<17}{'req/s':>7}{'req/s':>7}{'p50 ms':>8}{'p50 ms':>8}{'p95 ms':>8}"
        f"{'p95 ms':>8}{'KB':>6}{'KB':>6}{'qry':>5}{'qry':>5}{'ratio':>7}  verdict"
    )
    print(f"{'':<17}{'small':>7}{'large':>7}{'small':>8}{'large':>8}{'small':>8}{'large':>8}"
          f"{'small':>6}{'large':>6}{'small':>5}{'large':>5}{'p50':>7}")  # fmt: skip
    print(header)
    print("-" * len(header))
    for name, _path in PAGES:
        s, g = results[(name, "small")], results[(name, "large")]
        qs, qg = queries[(name, "small")], queries[(name, "large")]
        ratio = g["p50"] / s["p50"] if s["p50"] else float("nan")
        misses = []
        if g["p50"] > TARGET_P50_MS:
            misses.append(f"p50>{TARGET_P50_MS}")
        if ratio > TARGET_RATIO:
            misses.append(f"ratio>{TARGET_RATIO}")
        if qs != qg:
            misses.append("queries differ")
        if s["errors"] or g["errors"]:
            misses.append("ERRORS")
        print(
            f"{name:<17}{s['rps']:>7.1f}{g['rps']:>7.1f}{s['p50']:>8.0f}{g['p50']:>8.0f}"
            f"{s['p95']:>8.0f}{g['p95']:>8.0f}{s['bytes'] / 1024:>6.0f}{g['bytes'] / 1024:>6.0f}"
            f"{qs:>5}{qg:>5}{ratio:>6.2f}x  {'met' if not misses else ', '.join(misses)}"
        )
