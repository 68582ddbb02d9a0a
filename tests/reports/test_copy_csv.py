"""On PostgreSQL a CSV whose columns are plain SQL is written by COPY: byte for byte the
Python writer's file (BOM, header, labels, dates in Shanghai, money, quoting, formulas
defused, empty cells); on SQLite, and for computed columns, the Python writer writes it."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict

from registry.models import Enterprise
from reports.exports import writers
from reports.exports.copy import copy_chunks, copy_sql
from reports.exports.rows import iter_rows
from reports.exports.spec import spec_named
from tests.factories import (
    AdminUserFactory,
    AnnualReportFactory,
    EnterpriseFactory,
    enterprise_user,
    region,
    registry_enterprise,
)

pytestmark = pytest.mark.django_db
ON_POSTGRESQL = connection.vendor == "postgresql"


def both(queryset, columns):
    python = b"".join(writers.csv_chunks(iter_rows(queryset, columns), columns))
    select = copy_sql(queryset, columns)
    assert (select is not None) == ON_POSTGRESQL
    copied = b"".join(copy_chunks(queryset, columns, select)) if select else python
    return python, copied


def test_enterprise_list_by_copy_is_the_python_file():
    admin = AdminUserFactory()
    registry_enterprise("330100", name='数科,"引号"\n换行')
    EnterpriseFactory(region=region("330200"), name="=SUM(A1)", website="", contact_email="")
    late = EnterpriseFactory(region=region("330100"), name="-负号开头 ")
    # 16:30 UTC is 00:30 the next day in Shanghai.
    Enterprise.objects.filter(pk=late.pk).update(
        created_at=datetime.datetime(2026, 3, 1, 16, 30, 5, 123456, tzinfo=datetime.UTC)
    )
    spec = spec_named("enterprises")
    queryset = spec.queryset(admin, QueryDict(""))

    python, copied = both(queryset, spec.columns)  # every column, the unticked ones too

    assert copied == python
    assert python.startswith(b"\xef\xbb\xbf") and b"'=SUM(A1)" in python
    assert b"2026-03-02 00:30:05" in python
    assert python.count(b"\r\n") == 4  # header and three rows (one holds a bare \n)


def test_money_and_counts_by_copy_are_the_python_file():
    enterprise = registry_enterprise("330100")
    AnnualReportFactory(enterprise=enterprise, year=2024, revenue=Decimal("1234567.5"))
    spec = spec_named("my-reports")
    queryset = spec.queryset(enterprise_user(enterprise), QueryDict(""))

    python, copied = both(queryset, spec.columns)

    assert copied == python and b"1234567.50" in python


def test_a_computed_column_or_a_single_column_stays_in_python():
    spec = spec_named("audit")  # its action label is computed
    queryset = spec.queryset(AdminUserFactory(), QueryDict(""))
    assert copy_sql(queryset, spec.columns) is None
    enterprises = spec_named("enterprises")
    one = enterprises.chosen(["name"])
    assert copy_sql(enterprises.queryset(AdminUserFactory(), QueryDict("")), one) is None
