"""GB/T 2260 regions shipped as data (accounts/data/regions.csv)."""

import csv
from pathlib import Path

REGIONS_CSV = Path(__file__).resolve().parent / "data" / "regions.csv"


def read_regions(path: Path = REGIONS_CSV) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load_regions(region_model) -> int:
    """Create or update every region of the CSV; parents come before children."""
    rows = read_regions()
    by_code = {}
    for row in rows:  # sorted by code: the root, then each province before its cities
        parent = by_code.get(row["parent_code"]) if row["parent_code"] else None
        path = f"{parent.path if parent else ''}{row['code']}/"
        region, _ = region_model.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "level": row["level"], "parent": parent, "path": path},
        )
        by_code[row["code"]] = region
    return len(by_code)
