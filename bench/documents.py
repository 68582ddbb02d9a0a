"""Benchmark case `documents`: the annual cultivation report PDF at about 20 and 200 pages.

    .venv/bin/python bench/run.py --documents-only [--pages 20,200]
    .venv/bin/python -m bench.documents [--pages 20,200]

The report is the real one (reports/services/annual.py and its template, the shipped CJK
font, the SVG charts): its figures are gathered from the database as it is (浙江省 330000,
last year), and its appendix (the directory of registry enterprises, the part that grows)
is filled with synthetic rows until the document reaches the wanted page count, so the
case needs no large seed and runs on SQLite or PostgreSQL alike. For each size it prints
rows, pages, the time to lay out and to write the PDF, pages per second (target ≥ 10),
the file size and the process's peak RSS. A benchmark, not a test: it asserts nothing.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import log, maxrss_mb, setup_django  # noqa: E402

TARGET_PAGES_PER_SECOND = 10
JURISDICTION = "330000"
CALIBRATION_ROWS = 400
CITIES = ["杭州市", "宁波市", "温州市", "嘉兴市", "湖州市", "绍兴市", "金华市", "衢州市"]
WORDS = ["云栖", "数智", "钱塘", "之江", "湖畔", "星河", "瓯越", "甬江", "南湖", "越州"]
TRADES = ["信息科技", "数据科技", "智能科技", "网络技术", "软件"]


def add_arguments(parser):
    parser.add_argument(
        "--pages",
        default="20,200",
        metavar="P,Q",
        help="documents case: the page counts to reach (default 20,200)",
    )


def synthetic_directory(rows: int):
    """Unsaved registry entries shaped like the real ones (names of realistic length)."""
    from accounts.models import Region
    from registry.models import Enterprise, RegistryEntry

    tiers = ["potential", "growth", "leading"]
    categories = ["tech", "scenario", "data"]
    regions = [Region(name=name, code=f"3301{i:02d}") for i, name in enumerate(CITIES)]
    for i in range(rows):
        name = (
            f"浙江{WORDS[i % 10]}{WORDS[(i // 10) % 10]}{TRADES[i % 5]}有限公司"
            f"{'' if i < 1000 else i}"
        )
        enterprise = Enterprise(name=name, region=regions[i % len(regions)])
        yield RegistryEntry(
            enterprise=enterprise,
            tier=tiers[i % 3],
            category=categories[(i // 3) % 3],
            admitted_on=datetime.date(2024, 6, 1) + datetime.timedelta(days=i % 300),
        )


def render(figures, jurisdiction, year, rows):
    """Lay out and write the report with `rows` directory rows: (pages, layout s, write s,
    CPU s of this process, bytes)."""
    from django.conf import settings
    from django.template.loader import render_to_string
    from django.utils import timezone

    from reports.pdf import render_pdf_document
    from reports.services.annual import charts_for

    context = {
        **figures,
        "charts": charts_for(figures),
        "directory": synthetic_directory(rows),
        "portal_name": settings.PORTAL_NAME,
        "generated_at": timezone.now(),
    }
    started, cpu = time.perf_counter(), time.process_time()
    html = render_to_string("reports/annual_report.html", context)
    document = render_pdf_document(html)
    laid_out = time.perf_counter()
    pdf = document.write_pdf()
    written = time.perf_counter()
    cpu = time.process_time() - cpu
    return len(document.pages), laid_out - started, written - laid_out, cpu, len(pdf)


def run_case(args, *, skip_seed=True) -> int:
    setup_django()
    from django.utils import timezone

    from accounts.models import Region
    from reports.services.annual import annual_figures

    try:
        jurisdiction = Region.objects.get(code=JURISDICTION)
    except Region.DoesNotExist:
        sys.exit("Region 330000 is missing: migrate the bench database first.")
    year = timezone.localdate().year - 1
    started = time.perf_counter()
    figures = annual_figures(jurisdiction, year)
    elapsed = time.perf_counter() - started
    log(f"documents: figures of {jurisdiction.name} {year} in {elapsed:.2f} s "
        f"({figures['total']:,} registry entries)")  # fmt: skip
    render(figures, jurisdiction, year, 20)  # warm-up: fonts, stylesheet, templates
    base_pages = render(figures, jurisdiction, year, 0)[0]
    pages, *_ = render(figures, jurisdiction, year, CALIBRATION_ROWS)
    per_page = CALIBRATION_ROWS / max(pages - base_pages, 1)
    log(f"documents: {base_pages} pages without the directory, ~{per_page:.0f} rows a page")
    log(f"\n{'target':>7} {'rows':>7} {'pages':>6} {'layout s':>9} {'write s':>8} "
        f"{'total s':>8} {'pages/s':>8} {'CPU s':>6} {'pages/CPU s':>11} {'MB':>6} "
        f"{'RSS MB':>7}")  # fmt: skip
    load_before = os.getloadavg()[0]
    for wanted in (int(p) for p in args.pages.split(",")):
        rows = max(0, round((wanted - base_pages) * per_page))
        pages, layout, write, cpu, size = render(figures, jurisdiction, year, rows)
        total = layout + write
        rate = pages / total
        mark = "" if rate >= TARGET_PAGES_PER_SECOND else "  (below target)"
        log(f"{wanted:>7} {rows:>7,} {pages:>6} {layout:>9.2f} {write:>8.2f} {total:>8.2f} "
            f"{rate:>8.1f} {cpu:>6.1f} {pages / cpu:>11.1f} {size / 1e6:>6.2f} "
            f"{maxrss_mb():>7.0f}{mark}")  # fmt: skip
    log(
        f"target: ≥ {TARGET_PAGES_PER_SECOND} pages/s (wall clock). Load average "
        f"{load_before:.2f} before, {os.getloadavg()[0]:.2f} after on {os.cpu_count()} CPUs: "
        "when it exceeds the CPUs, wall time is shared and pages per CPU second is the figure "
        "that compares."
    )
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(p)
    args = p.parse_args(argv)
    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    return run_case(args)


if __name__ == "__main__":
    sys.exit(main())
