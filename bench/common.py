"""What every job case of the benchmark shares: logging, PostgreSQL only, Django set-up,
COPY seeding and the peak memory of the measuring process."""

import os
import resource
import sys

COPY_LINES = 20_000


def log(message):
    print(message, flush=True)


def require_postgresql(case: str = "this case"):
    """Exit with a sentence when DATABASE_URL is not PostgreSQL (SQLite figures would mean
    nothing: the cases seed with COPY and compare with PostgreSQL's own SQL)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        sys.exit(
            f"The {case} needs PostgreSQL (COPY seeding, and the SQL it compares with is "
            "PostgreSQL's). Set DATABASE_URL=postgres://postgres@127.0.0.1:5432/<bench db>."
        )


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def copy_rows(cursor, table, columns, lines):
    """COPY text lines (tab-separated, newline-terminated) into `table`."""
    with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        batch = []
        for line in lines:
            batch.append(line)
            if len(batch) >= COPY_LINES:
                copy.write("".join(batch))
                batch.clear()
        if batch:
            copy.write("".join(batch))


def maxrss_mb() -> float:
    """This process's peak resident set (VmHWM). Not ru_maxrss: Linux carries that over
    exec from the parent, which holds the seed."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
