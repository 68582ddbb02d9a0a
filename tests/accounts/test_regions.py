import csv
from collections import Counter

import pytest

from accounts.models import Region
from accounts.regions import REGIONS_CSV

MUNICIPALITIES_AND_SARS = {"110000", "120000", "310000", "500000", "710000", "810000", "820000"}


@pytest.fixture(scope="module")
def rows():
    with REGIONS_CSV.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_regions_csv_has_every_province_and_prefecture(rows):
    levels = Counter(row["level"] for row in rows)
    assert levels == {"country": 1, "province": 34, "prefecture": 333}
    assert len({row["code"] for row in rows}) == len(rows)


def test_regions_csv_codes_nest_under_their_province(rows):
    provinces = {row["code"] for row in rows if row["level"] == "province"}
    for row in rows:
        if row["level"] == "prefecture":
            assert row["code"].endswith("00") and not row["code"].endswith("0000")
            assert row["parent_code"] in provinces
            assert row["code"][:2] == row["parent_code"][:2]
    with_children = {row["parent_code"] for row in rows if row["level"] == "prefecture"}
    assert not with_children & MUNICIPALITIES_AND_SARS


@pytest.mark.django_db
def test_migration_loaded_the_tree_with_paths():
    hangzhou = Region.objects.get(code="330100")
    assert hangzhou.name == "杭州市"
    assert hangzhou.parent.code == "330000"
    assert hangzhou.path == "000000/330000/330100/"
    assert hangzhou.full_name == "浙江省杭州市"
    zhejiang = Region.objects.get(code="330000")
    assert Region.objects.subtree(zhejiang).count() == 12  # the province and its 11 cities
    assert Region.objects.count() == 368
