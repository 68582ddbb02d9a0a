"""Benchmark case `exports`: a CSV of 100,000 enterprises and an XLSX of 100,000 × 20.

    DATABASE_URL=postgres://… .venv/bin/python bench/run.py --exports-only [--registry N]
    DATABASE_URL=postgres://… .venv/bin/python -m bench.exports [--registry N] [--skip-seed]

Seeds N registry enterprises (bench/registry_data.py, default 100,000) and then, in a
fresh child process (so that the memory growth is the export's):

1. writes the enterprise list's CSV export as an admin sees it (every row; the page's
   default columns and order) exactly as the streamed response does, and measures the
   time to the first byte, to the first row, the total, and the peak RSS growth;
2. runs PostgreSQL's `COPY (SELECT the same columns, same joins and order) TO STDOUT
   WITH CSV` in the same process (best of three), and prints the ratio (target ≤ 2×,
   first byte ≤ 1 s, memory growth ≤ 50 MB);
3. writes the XLSX of the same rows with 20 columns (XlsxWriter constant_memory) to a temporary
   file: time and peak RSS growth (target ≤ 100 MB).

PostgreSQL only. A benchmark, not a test: it asserts nothing about timing.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import log, maxrss_mb, require_postgresql, setup_django  # noqa: E402

DEFAULT_REGISTRY = 100_000
ADMIN_EMAIL = "bench.exports@bench.invalid"
COPY_RUNS = 3


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _admin():
    from accounts.models import Role, User

    user = User.objects.filter(email=ADMIN_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            email=ADMIN_EMAIL, password=None, full_name="导出基准", role=Role.ADMIN
        )
    return user


def _xlsx_columns(spec):
    from reports.exports.spec import DATETIME, Column

    return [
        *spec.columns,
        Column("registry_entry.category", "入库类别"),
        Column("updated_at", "更新时间", kind=DATETIME),
    ]


def _timed(chunks):
    """(first chunk, second chunk, total seconds, bytes) of a CSV's chunks: the header
    leaves first, the second chunk holds the first rows."""
    started = time.perf_counter()
    first = second = None
    size = 0
    for i, chunk in enumerate(chunks):
        if i < 2:
            now = time.perf_counter() - started
            first, second = (now, None) if i == 0 else (first, now)
        size += len(chunk)
    return first, second, time.perf_counter() - started, size


def measure() -> None:
    """The child process: CSV, COPY, XLSX."""
    from django.db import connection
    from django.http import QueryDict

    from reports.exports import writers
    from reports.exports.rows import _plain_readers, iter_rows
    from reports.exports.spec import spec_named

    spec = spec_named("enterprises")
    user = _admin()
    columns = spec.chosen(())
    queryset = spec.queryset(user, QueryDict(""))
    rows_total = queryset.count()
    base = rss_mb()

    cpu = time.process_time()
    first_byte, first_row, csv_seconds, size = _timed(
        writers.csv_chunks(iter_rows(queryset, columns), columns)
    )
    csv_cpu = time.process_time() - cpu
    csv_growth = maxrss_mb() - base

    paths, _choices = _plain_readers(queryset.model, columns)
    sql, params = queryset.values_list(*paths).query.sql_with_params()
    copies = []
    for _run in range(COPY_RUNS):
        copy_size = 0
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            statement = f"COPY ({sql}) TO STDOUT WITH CSV HEADER"
            with cursor.cursor.copy(statement, params) as copy:
                for data in copy:
                    copy_size += len(data)
        copies.append(time.perf_counter() - t0)
    copy_seconds = min(copies)

    log(
        f"csv: {rows_total:,} rows × {len(columns)} columns, {size / 1e6:.1f} MB; first byte "
        f"{first_byte * 1000:.1f} ms, first row {first_row * 1000:.0f} ms, total "
        f"{csv_seconds:.2f} s (this process's CPU {csv_cpu:.2f} s); peak RSS growth "
        f"{csv_growth:.1f} MB (target ≤ 50)"
    )
    log(
        f"copy: COPY … TO STDOUT of the same columns {copy_seconds:.2f} s "
        f"({copy_size / 1e6:.1f} MB); ratio {csv_seconds / copy_seconds:.2f}× (target ≤ 2×)"
    )

    # The export's own CSV path on PostgreSQL: COPY formats the cells (reports/exports/copy.py),
    # byte-identical to the Python writer's file (tests/reports/test_copy_csv.py).
    from reports.exports.copy import copy_chunks, copy_sql

    base = maxrss_mb()
    first_byte, first_rows, served_seconds, served = _timed(
        copy_chunks(queryset, columns, copy_sql(queryset, columns))
    )
    log(
        f"csv by COPY (the export's path on PostgreSQL): {served / 1e6:.1f} MB; first byte "
        f"{first_byte * 1000:.1f} ms, first rows {first_rows * 1000:.0f} ms, total "
        f"{served_seconds:.2f} s; ratio to bare COPY {served_seconds / copy_seconds:.2f}× "
        f"(target ≤ 2×); Python writer / COPY path {csv_seconds / served_seconds:.1f}×; "
        f"peak RSS growth {maxrss_mb() - base:.1f} MB"
    )

    xlsx_columns = _xlsx_columns(spec)
    base = maxrss_mb()
    t0, cpu = time.perf_counter(), time.process_time()
    with tempfile.TemporaryFile() as handle:
        count = writers.write_xlsx(
            iter_rows(queryset, xlsx_columns), xlsx_columns, handle, title=spec.title
        )
        xlsx_size = handle.tell()
    xlsx_seconds = time.perf_counter() - t0
    xlsx_cpu = time.process_time() - cpu
    log(
        f"xlsx: {count:,} rows × {len(xlsx_columns)} columns, {xlsx_size / 1e6:.1f} MB, "
        f"{xlsx_seconds:.1f} s ({count / xlsx_seconds:,.0f} rows/s; CPU {xlsx_cpu:.1f} s); "
        "peak RSS growth "
        f"{maxrss_mb() - base:.1f} MB (target ≤ 100)"
    )


def add_arguments(p):
    if not any(a.dest == "registry" for a in p._actions):
        p.add_argument("--registry", type=int, default=DEFAULT_REGISTRY, metavar="N")


def run_case(args, *, skip_seed=False) -> int:
    args.skip_seed = skip_seed
    return run(args)


def run(args) -> int:
    require_postgresql("exports case")
    setup_django()
    if not getattr(args, "skip_seed", False):
        from bench.registry_data import seed_registry

        seed_registry(args.registry, log=log)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    return subprocess.call([sys.executable, "-m", "bench.exports", "--measure"], cwd=ROOT, env=env)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(p)
    p.add_argument("--skip-seed", action="store_true")
    p.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.measure:
        setup_django()
        measure()
        return 0
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
