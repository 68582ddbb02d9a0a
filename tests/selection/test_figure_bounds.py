"""Application figures: plausible bounds, a debt ratio above 100 % only with a reason, and
the flag staff see when the figures differ from an accepted annual report (issue #8)."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from config.errors import DomainError
from selection.forms import FiguresForm
from selection.models import ApplicationFigures
from selection.selectors import figures_against_reports
from selection.services import applications as app_services
from tests.factories import AnnualReportFactory, EnterpriseFactory, region
from tests.selection.helpers import make_round, ready_application, strong_figures

pytestmark = pytest.mark.django_db
DEBT_REASON = "资产负债率超过 100（单位为百分比，即资不抵债）时，请填写说明。"
DEBT_RANGE = "资产负债率应在 0 至 1000 之间（单位为百分比）。"
EMPLOYEES = "从业人员数应在 0 至 200 万人之间。"
RD = "研发费用不能超过营业收入的 10 倍；营业收入很少或为 0 时，不能超过 5000 万元。"


def _form_data(**overrides):
    values = {
        "revenue": "1000000",
        "main_business_revenue": "900000",
        "rd_expense": "100000",
        "rd_staff": 10,
        "employees": 50,
        "invention_patents": 1,
        "software_copyrights": 1,
        "debt_ratio": "30",
        "debt_ratio_reason": "",
        "financing_raised": "0",
        "valuation": "",
    }
    return {**values, **overrides}


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"debt_ratio": "100"}, {}),
        ({"debt_ratio": "100.01"}, {"debt_ratio_reason": [DEBT_REASON]}),
        ({"debt_ratio": "500", "debt_ratio_reason": "疫情期间亏损，股东借款待转增资本。"}, {}),
        ({"debt_ratio": "1000", "debt_ratio_reason": "资不抵债，正在重组。"}, {}),
        (
            {"debt_ratio": "1000.01", "debt_ratio_reason": "资不抵债。"},
            {"debt_ratio": [DEBT_RANGE]},
        ),
        ({"employees": 2_000_000}, {}),
        ({"employees": 2_000_001}, {"employees": [EMPLOYEES]}),
        ({"revenue": "1000000", "rd_expense": "50000000"}, {}),
        ({"revenue": "1000000", "rd_expense": "50000000.01"}, {"rd_expense": [RD]}),
        ({"revenue": "10000000", "main_business_revenue": "0", "rd_expense": "100000000"}, {}),
        (
            {"revenue": "10000000", "main_business_revenue": "0", "rd_expense": "100000000.01"},
            {"rd_expense": [RD]},
        ),  # fmt: skip
    ],
)
def test_figures_form_both_sides_of_each_bound(overrides, errors):
    form = FiguresForm(_form_data(**overrides), year=2025)
    assert form.is_valid() == (not errors)
    assert dict(form.errors) == errors


def test_the_service_refuses_a_debt_ratio_above_100_without_reason_and_saves_nothing():
    application, member = ready_application(make_round())
    figures = strong_figures(2025)
    figures[2025] = {**figures[2025], "debt_ratio": Decimal("150")}
    with pytest.raises(DomainError) as refused:
        app_services.save_application(
            application, actor=member, figures=figures, growth_plan="新的规划"
        )
    assert refused.value.message == f"2025 年：{DEBT_REASON}"
    application.refresh_from_db()
    assert application.growth_plan == "三年内拓展至五个省份。"
    assert ApplicationFigures.objects.get(application=application, year=2025).debt_ratio == 35


def test_the_service_saves_a_debt_ratio_above_100_with_its_reason():
    application, member = ready_application(make_round())
    figures = strong_figures(2025)
    figures[2025] = {**figures[2025], "debt_ratio": Decimal("120"),
                     "debt_ratio_reason": "为建设数据中心借入长期贷款。"}  # fmt: skip
    app_services.save_application(application, actor=member, figures=figures)
    row = ApplicationFigures.objects.get(application=application, year=2025)
    assert (row.debt_ratio, row.debt_ratio_reason) == (120, "为建设数据中心借入长期贷款。")


@pytest.mark.parametrize(
    ("update", "ok"),
    [({"debt_ratio": Decimal("100")}, True),
     ({"debt_ratio": Decimal("100.01")}, False),
     ({"debt_ratio": Decimal("100.01"), "debt_ratio_reason": "说明"}, True),
     ({"debt_ratio": Decimal("1000.01"), "debt_ratio_reason": "说明"}, False),
     ({"employees": 2_147_483_647}, False),
     ({"rd_expense": Decimal("700000001")}, False)],
)  # fmt: skip
def test_the_database_holds_the_figure_bounds(update, ok):
    application, _member = ready_application(make_round())
    rows = ApplicationFigures.objects.filter(application=application, year=2025)
    if ok:
        rows.update(**update)
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            rows.update(**update)


def _with_accepted_report(status="accepted", revenue=Decimal("65000000")):
    enterprise = EnterpriseFactory(region=region("330100"))
    AnnualReportFactory(
        enterprise=enterprise, year=2025, status=status, revenue=revenue,
        main_business_revenue=Decimal("63000000"), rd_expense=Decimal("8400000"),
        employees=150, rd_staff=60, invention_patents=12, software_copyrights=30,
    )  # fmt: skip
    application, member = ready_application(make_round(), enterprise=enterprise)
    return application


def test_figures_that_differ_from_the_accepted_report_are_flagged_with_both_figures():
    application = _with_accepted_report()
    rows = figures_against_reports(application)
    assert [(r["year"], r["field"], r["declared"], r["reported"]) for r in rows] == [
        (2025, "revenue", Decimal("70000000.00"), Decimal("65000000.00"))
    ]


@pytest.mark.parametrize(
    ("status", "revenue"), [("submitted", Decimal("65000000")), ("accepted", Decimal("70000000"))]
)
def test_no_flag_when_the_report_is_not_accepted_or_agrees(status, revenue):
    assert figures_against_reports(_with_accepted_report(status=status, revenue=revenue)) == []


def test_staff_see_the_flag_in_formal_review_and_the_enterprise_does_not(client):
    application = _with_accepted_report()
    application = app_services.submit_application(
        application, actor=application.enterprise.active_members().get(), declaration=True
    )
    url = reverse("selection:application-detail", args=[application.pk])
    client.force_login(application.round.created_by)
    page = client.get(url).content.decode()
    assert 'data-testid="report-mismatches"' in page
    assert "70,000,000.00" in page and "65,000,000.00" in page
    client.force_login(application.enterprise.active_members().get())
    page = client.get(url).content.decode()
    assert 'data-testid="report-mismatches"' not in page
