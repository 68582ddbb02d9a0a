"""Benchmark driver: serve the portal with gunicorn and load each case over loopback HTTP.

    .venv/bin/python bench/run.py [--enterprises N] [--requests R] [--concurrency C]
                                  [--duration-limit S] [--skip-seed] [--show-queries]
                                  [--selection | --selection-only | --policies-only
                                   | --adjustment-only | --vouchers-only | --pages-only
                                   | --exports-only | --documents-only [--pages P,Q]] [--vouchers]
                                  [--applications N] [--profile] [--registry N]
                                  [--claims N] [--threads T]

A benchmark, not a test: it prints figures and asserts nothing about timing. It exits
non-zero only when a case answered something other than 200. See bench/README.md.
"""

import argparse
import http.client
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import adjustment as adjustment_case  # noqa: E402
from bench import documents as documents_case  # noqa: E402
from bench import exports as exports_case  # noqa: E402
from bench import pages as pages_case  # noqa: E402
from bench import policies as policies_case  # noqa: E402
from bench import selection as selection_case  # noqa: E402
from bench import vouchers as vouchers_case  # noqa: E402


@dataclass(frozen=True)
class Case:
    """One measured request. `path` and header values are formatted with the context
    built in main(): {page}, {token} (a fresh API key of the bench user), {industry}."""

    name: str
    path: str
    headers: dict = field(default_factory=dict)


# --- Add a case here: every case runs in the same gunicorn, with the same data. ---------
CASES = [
    Case(
        "api",
        "/api/v1/enterprises/?industry={industry}&page={page}",
        {"Authorization": "Token {token}"},
    ),
    Case("bare", "/bench/bare/enterprises/?industry={industry}&page={page}"),
]
# (numerator, denominator) pairs printed as ratios of requests/s and p50.
RATIOS = [("api", "bare")]

INDUSTRY = "03"
WANTED_PAGE = 50
PAGE_SIZE = 20
BENCH_USER = "zhejiang@demo.cn"  # provincial bureau of 浙江省 (330000), created by seed_demo
SQLITE_MAX_ENTERPRISES = 5_000
WARMUP_REQUESTS = 50
WORKERS = 2
HOST = "127.0.0.1"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--enterprises", type=int, default=100_000, metavar="N")
    p.add_argument("--requests", type=int, default=2_000, metavar="R", help="per case")
    p.add_argument("--concurrency", type=int, default=4, metavar="C")
    p.add_argument("--duration-limit", type=float, default=60.0, metavar="S", help="per case")
    p.add_argument("--skip-seed", action="store_true", help="use the database as it is")
    p.add_argument("--show-queries", action="store_true", help="print each case's SQL")
    which = p.add_mutually_exclusive_group()
    which.add_argument(
        "--selection",
        action="store_true",
        help="after the HTTP cases, run the tiering-job case (bench/selection.py; PostgreSQL)",
    )
    which.add_argument(
        "--selection-only",
        action="store_true",
        help="run only the tiering-job case, not the HTTP cases",
    )
    which.add_argument(
        "--policies-only",
        action="store_true",
        help="run only the policy-matching case (bench/policies.py; PostgreSQL)",
    )
    which.add_argument(
        "--adjustment-only",
        action="store_true",
        help="run only the dynamic-adjustment case (bench/adjustment.py; PostgreSQL)",
    )
    which.add_argument(
        "--vouchers-only",
        action="store_true",
        help="run only the voucher-ledger case (bench/vouchers.py; PostgreSQL)",
    )
    which.add_argument(
        "--pages-only",
        action="store_true",
        help="run only the staff pages case at two sizes (bench/pages.py; PostgreSQL)",
    )
    which.add_argument(
        "--exports-only",
        action="store_true",
        help="run only the CSV/XLSX export case (bench/exports.py; PostgreSQL)",
    )
    p.add_argument(
        "--vouchers",
        action="store_true",
        help="after the HTTP cases, run the voucher-ledger case (bench/vouchers.py; PostgreSQL)",
    )
    which.add_argument(
        "--documents-only",
        action="store_true",
        help="run only the annual-report PDF case (bench/documents.py)",
    )
    selection_case.add_arguments(p)
    pages_case.add_arguments(p)
    policies_case.add_arguments(p)  # --registry N: also the adjustment and exports cases
    vouchers_case.add_arguments(p)
    documents_case.add_arguments(p)
    p.add_argument("--no-documents", action="store_true", help="skip the annual-report PDF case")
    return p.parse_args(argv)


# --- database ---------------------------------------------------------------------------


def choose_database(args):
    """Return the vendor; without DATABASE_URL use a SQLite file of the bench's own."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        path = ROOT / "var" / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        print(f"DATABASE_URL is unset: using SQLite at {path}")
    vendor = "sqlite" if os.environ["DATABASE_URL"].startswith("sqlite") else "other"
    if vendor == "sqlite":
        print("WARNING: figures on SQLite are not representative; set DATABASE_URL to PostgreSQL.")
        if args.enterprises > SQLITE_MAX_ENTERPRISES:
            print(f"WARNING: capping --enterprises at {SQLITE_MAX_ENTERPRISES} on SQLite.")
            args.enterprises = SQLITE_MAX_ENTERPRISES
    return vendor


def manage(*argv):
    cmd = [sys.executable, str(ROOT / "manage.py"), *argv]
    print("$", " ".join(cmd[1:]), flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True)


def seed(args):
    started = time.perf_counter()
    manage("migrate", "--noinput", "-v", "0")
    manage("seed_demo", "--enterprises", str(args.enterprises))
    print(f"seeded in {time.perf_counter() - started:.1f} s")


def prepare(cases_context):
    """ORM work in the driver: the token, the counts, the page. Returns facts to print."""
    import django

    django.setup()
    from django.db import connection

    from accounts.models import User
    from accounts.services import issue_api_token
    from registry.models import Enterprise

    try:
        user = User.objects.select_related("region").get(email=BENCH_USER)
    except User.DoesNotExist:
        sys.exit(f"{BENCH_USER} does not exist: run without --skip-seed (seed_demo creates it).")
    _token, key = issue_api_token(user=user)  # only its digest is stored
    if connection.vendor == "postgresql":
        # Measure a steady state: a fresh bulk load leaves no planner statistics, dead
        # tuples (the seed back-dates rows with UPDATEs) and no visibility map until
        # autovacuum gets round to it.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"VACUUM ANALYZE in {time.perf_counter() - started:.1f} s")
    visible = Enterprise.objects.visible_to(user)
    facts = {
        "vendor": connection.vendor,
        "database": connection.settings_dict["NAME"],
        "enterprises": Enterprise.objects.count(),
        "jurisdiction": visible.count(),
        "filtered": visible.filter(industry=INDUSTRY).count(),
        "region": f"{user.region.name} {user.region.code}",
    }
    last_full_page = max(1, facts["filtered"] // PAGE_SIZE)
    page = min(WANTED_PAGE, last_full_page)
    if page != WANTED_PAGE:
        print(
            f"page {WANTED_PAGE} does not exist for {facts['filtered']} rows "
            f"({math.ceil(facts['filtered'] / PAGE_SIZE)} pages): using page {page}"
        )
    facts["page"] = page
    cases_context.update(token=key, page=page, industry=INDUSTRY)
    return facts


def count_queries(cases, context, show):
    """Queries per request of each case, in-process through the same URLconf and middleware."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(raise_request_exception=False, HTTP_HOST=HOST)
    counts = {}
    for case in cases:
        path, headers = render(case, context)
        client.get(path, headers=headers)  # first request of a process may fill caches
        with CaptureQueriesContext(connection) as ctx:
            client.get(path, headers=headers)
        counts[case.name] = len(ctx.captured_queries)
        if show:
            print(f"\n-- {case.name}: {len(ctx.captured_queries)} queries")
            for q in ctx.captured_queries:
                print(f"[{q['time']} s] {q['sql']}")
    connection.close()
    return counts


# --- server -----------------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_gunicorn(port, log):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        f"--bind={HOST}:{port}",
        f"--workers={WORKERS}",
        "--worker-class=sync",
        f"--chdir={ROOT}",
        "--log-level=warning",
    ]
    return subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop_gunicorn(proc):
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass


def wait_ready(proc, port, log_path, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            status, _ = fetch(port, "/healthz", {})
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.stderr.write(Path(log_path).read_text(errors="replace")[-4000:])
    raise SystemExit("gunicorn did not answer /healthz")


# --- client -----------------------------------------------------------------------------


def render(case, context):
    path = case.path.format(**context)
    headers = {k: v.format(**context) for k, v in case.headers.items()}
    return path, headers


def fetch(port, path, headers, timeout=10.0):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Accept": "application/json", **headers})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def load(port, path, headers, total, concurrency, limit):
    """Send `total` requests from `concurrency` keep-alive clients, stopping at `limit` s.

    Returns (samples, elapsed); a sample is (status, seconds), status 0 = transport error.
    """
    headers = {"Accept": "application/json", **headers}
    budget = [total]
    lock = threading.Lock()
    samples = []
    started = time.perf_counter()
    deadline = started + limit

    def worker():
        conn = http.client.HTTPConnection(HOST, port, timeout=min(30.0, limit))
        while True:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            if time.perf_counter() >= deadline:
                break
            for attempt in (1, 2):  # a reused connection may have been closed by the server
                t0 = time.perf_counter()
                try:
                    conn.request("GET", path, headers=headers)
                    resp = conn.getresponse()
                    resp.read()
                    status = resp.status
                    break
                except (OSError, http.client.HTTPException):
                    conn.close()
                    status = 0
                    if attempt == 2:
                        break
            samples.append((status, time.perf_counter() - t0))
        conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.perf_counter()) + 35)
    return list(samples), time.perf_counter() - started


def percentile(values, pct):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(pct / 100 * len(ordered)) - 1))]


def run_case(port, case, context, args):
    path, headers = render(case, context)
    status, body = fetch(port, path, headers)
    if status != 200:
        print(f"{case.name}: GET {path} answered {status}: {body[:300]!r}")
    load(port, path, headers, WARMUP_REQUESTS, args.concurrency, args.duration_limit)
    samples, elapsed = load(
        port, path, headers, args.requests, args.concurrency, args.duration_limit
    )
    latencies = [s for _, s in samples]
    errors = sum(1 for st, _ in samples if st != 200) + (status != 200)
    return {
        "name": case.name,
        "path": path,
        "requests": len(samples),
        "errors": errors,
        "rps": len(samples) / elapsed if elapsed else float("nan"),
        "p50": percentile(latencies, 50) * 1000,
        "p95": percentile(latencies, 95) * 1000,
        "bytes": len(body),
        "elapsed": elapsed,
    }


# --- report -----------------------------------------------------------------------------


def print_report(facts, args, results, queries):
    print()
    print(f"enterprises (N)      {facts['enterprises']:,} (requested {args.enterprises:,})")
    print(f"database             {facts['vendor']} ({facts['database']})")
    print(f"user                 {BENCH_USER} ({facts['region']})")
    print(f"rows in jurisdiction {facts['jurisdiction']:,}")
    print(f"  industry={INDUSTRY}       {facts['filtered']:,}, page {facts['page']}")
    print(
        f"load                 {args.requests} requests/case, concurrency {args.concurrency}, "
        f"limit {args.duration_limit:g} s, warm-up {WARMUP_REQUESTS}, "
        f"gunicorn {WORKERS} sync workers, {os.cpu_count()} CPUs"
    )
    print()
    header = (
        f"{'case':<8}{'requests':>9}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'bytes':>8}{'queries':>9}  path"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r['name']:<8}{r['requests']:>9}{r['errors']:>8}{r['rps']:>9.1f}{r['p50']:>9.2f}"
            f"{r['p95']:>9.2f}{r['bytes']:>8}{queries.get(r['name'], '?'):>9}  {r['path']}"
        )
    by_name = {r["name"]: r for r in results}
    for num, den in RATIOS:
        if num in by_name and den in by_name:
            a, b = by_name[num], by_name[den]
            print(
                f"\n{num}/{den}: requests/s {a['rps'] / b['rps']:.2f}x, "
                f"p50 {a['p50'] / b['p50']:.2f}x"
            )


def main(argv=None):
    args = parse_args(argv)
    started = time.perf_counter()
    os.chdir(ROOT)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    if args.selection or args.selection_only:
        selection_case.require_postgresql()  # before any HTTP case, not after them
    if args.vouchers:
        vouchers_case.require_postgresql("voucher case")  # before any HTTP case
    if args.documents_only:
        choose_database(args)
        manage("migrate", "--noinput", "-v", "0")
    for only, case in ((args.policies_only, policies_case),
                       (args.adjustment_only, adjustment_case),
                       (args.vouchers_only, vouchers_case),
                       (args.exports_only, exports_case),
                       (args.documents_only, documents_case)):  # fmt: skip
        if only:
            code = case.run_case(args, skip_seed=args.skip_seed)
            print(f"\nwhole bench: {time.perf_counter() - started:.1f} s")
            return code
    if args.pages_only:
        code = pages_case.run_case(args)
        print(f"\nwhole bench: {time.perf_counter() - started:.1f} s")
        return code
    if args.selection_only:
        code = selection_case.run_case(args, skip_seed=args.skip_seed)
        print(f"\nwhole bench: {time.perf_counter() - started:.1f} s")
        return code
    choose_database(args)
    if args.skip_seed:
        print("--skip-seed: using the database as it is")
    else:
        seed(args)

    context = {}
    facts = prepare(context)
    queries = count_queries(CASES, context, args.show_queries)

    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    port = free_port()
    with tempfile.NamedTemporaryFile("w+", prefix="bench-gunicorn-", suffix=".log") as log:
        proc = start_gunicorn(port, log)
        try:
            wait_ready(proc, port, log.name)
            print(f"gunicorn on http://{HOST}:{port} (pid {proc.pid})", flush=True)
            results = []
            for case in CASES:
                results.append(run_case(port, case, context, args))
                print(f"  {case.name}: done in {results[-1]['elapsed']:.1f} s", flush=True)
        finally:
            stop_gunicorn(proc)
        log.seek(0)
        server_log = log.read().strip()
    if server_log:
        print("\ngunicorn log (tail):\n" + server_log[-2000:])

    print_report(facts, args, results, queries)
    load_after = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average         before {load_before}, after {load_after} (other work skews it)")
    code = 1 if any(r["errors"] for r in results) else 0
    if args.selection:
        code = selection_case.run_case(args, skip_seed=args.skip_seed) or code
    if args.vouchers:
        code = vouchers_case.run_case(args, skip_seed=args.skip_seed) or code
    if not args.no_documents:
        print("\n-- documents: the annual cultivation report PDF", flush=True)
        code = documents_case.run_case(args) or code
    print(f"\nwhole bench: {time.perf_counter() - started:.1f} s")
    return code


if __name__ == "__main__":
    sys.exit(main())
