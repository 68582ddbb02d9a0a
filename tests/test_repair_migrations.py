"""The migrations that add the plausibility checks repair old rows first, so they do not
fail on existing data (issue #8). Old rows are made by switching the checks off for the
test (SQLite: a pragma; PostgreSQL: the checks dropped inside the test's transaction)."""

import datetime
import importlib
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from registry.models import AnnualReport, Enterprise
from selection.models import ApplicationFigures
from tests.factories import AnnualReportFactory, EnterpriseFactory
from tests.selection.helpers import make_round, ready_application

pytestmark = pytest.mark.django_db
registry_repair = importlib.import_module("registry.migrations.0013_bounds_and_text_limits")
selection_repair = importlib.import_module("selection.migrations.0011_bounds_and_text_limits")


@contextmanager
def checks_off(*models):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA ignore_check_constraints = ON")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")
    else:
        with connection.cursor() as cursor:
            # Fire the deferred foreign-key checks of the rows made so far: PostgreSQL
            # refuses ALTER TABLE while they are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for model in models:
                for constraint in model._meta.constraints:
                    if hasattr(constraint, "condition") and not getattr(constraint, "fields", ()):
                        cursor.execute(
                            f'ALTER TABLE "{model._meta.db_table}" '
                            f'DROP CONSTRAINT IF EXISTS "{constraint.name}"'
                        )
        yield


def test_old_enterprises_and_reports_are_repaired_to_pass_the_new_checks():
    enterprise = EnterpriseFactory()
    report = AnnualReportFactory(enterprise=enterprise)
    with checks_off(Enterprise, AnnualReport):
        Enterprise.objects.filter(pk=enterprise.pk).update(
            founded_on=datetime.date(1, 1, 1), contact_phone="+86 139-1234-5678",
            description="长" * 2500,
        )  # fmt: skip
        AnnualReport.objects.filter(pk=report.pk).update(
            employees=2_147_483_647, revenue=Decimal("1000000"),
            main_business_revenue=Decimal("1000000"), rd_expense=Decimal("100000000"),
        )  # fmt: skip
        other = EnterpriseFactory()
        Enterprise.objects.filter(pk=other.pk).update(
            founded_on=datetime.date(9999, 12, 31), contact_phone="not a phone"
        )
        registry_repair.repair(apps, None)
    enterprise.refresh_from_db()
    report.refresh_from_db()
    other.refresh_from_db()
    assert enterprise.founded_on == datetime.date(1949, 10, 1)
    assert enterprise.contact_phone == "13912345678"
    assert len(enterprise.description) == 2000
    assert (report.employees, report.rd_expense) == (2_000_000, Decimal("50000000"))
    assert other.founded_on <= timezone.localdate()
    assert other.contact_phone == ""
    for row in (enterprise, other, report):
        row.validate_constraints()  # each new check holds


def test_old_application_figures_are_repaired_to_pass_the_new_checks():
    application, _member = ready_application(make_round())
    rows = ApplicationFigures.objects.filter(application=application)
    with checks_off(ApplicationFigures):
        rows.filter(year=2025).update(debt_ratio=Decimal("5000"))
        rows.filter(year=2024).update(debt_ratio=Decimal("150"))
        selection_repair.repair(apps, None)
    by_year = {f.year: f for f in rows}
    assert by_year[2025].debt_ratio == Decimal("1000")
    assert by_year[2024].debt_ratio == Decimal("150")
    assert by_year[2024].debt_ratio_reason == selection_repair.OLD_DEBT_REASON
    assert by_year[2023].debt_ratio_reason == ""
    for row in by_year.values():
        row.validate_constraints()
