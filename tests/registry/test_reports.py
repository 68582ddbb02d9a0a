import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from config.errors import DomainError
from notifications.models import Notification
from registry.label_explanations import render_reasons
from registry.models import AnnualReport, ServiceRecord
from registry.services import reports
from tests.factories import (
    BureauUserFactory,
    EnterpriseFactory,
    RegistryEntryFactory,
    UserFactory,
    enterprise_user,
    region,
)

pytestmark = pytest.mark.django_db


def values(**extra):
    base = {
        "revenue": Decimal("20000000"),
        "main_business_revenue": Decimal("18000000"),
        "net_profit": Decimal("-500000"),
        "rd_expense": Decimal("2000000"),
        "employees": 100,
        "rd_staff": 40,
        "invention_patents": 5,
        "software_copyrights": 12,
        "data_resources_registered": 2,
        "financing_this_year": Decimal("0"),
        "cumulative_financing": Decimal("8000000"),
        "valuation": Decimal("300000000"),
        "overseas_revenue": Decimal("0"),
        "compliance_incidents": 0,
    }
    return {**base, **extra}


@pytest.fixture
def member():
    return enterprise_user(EnterpriseFactory(region=region("330100")))


def enterprise_of(user):
    return user.memberships.get().enterprise


def test_member_saves_and_submits_and_staff_are_told(member):
    bureau = BureauUserFactory(region=region("330000"))
    report = reports.save_report(enterprise_of(member), actor=member, year=2025, values=values())
    assert report.rd_intensity == Decimal("10.00")
    assert report.rd_staff_share == Decimal("40.00")
    submitted = reports.submit_report(report, actor=member)
    assert submitted.status == "submitted" and submitted.submitted_by == member
    assert Notification.objects.filter(recipient=bureau).exists()
    with pytest.raises(DomainError, match="已报送"):
        reports.save_report(enterprise_of(member), actor=member, year=2025, values=values())


def test_impossible_values_are_refused_field_by_field(member):
    with pytest.raises(reports.ReportProblems) as exc:
        reports.save_report(
            enterprise_of(member),
            actor=member,
            year=2025,
            values=values(rd_staff=101, revenue=Decimal("-1"), main_business_revenue=Decimal("0")),
        )
    assert set(exc.value.by_field) == {"rd_staff", "revenue", "main_business_revenue"}
    assert "研发人员数不能多于从业人员数" in exc.value.by_field["rd_staff"]
    assert not AnnualReport.objects.exists()


def test_a_tenfold_jump_needs_a_reason(member):
    enterprise = enterprise_of(member)
    reports.save_report(enterprise, actor=member, year=2024, values=values())
    jump = values(revenue=Decimal("200000000"), main_business_revenue=Decimal("190000000"))
    with pytest.raises(reports.ReportProblems) as exc:
        reports.save_report(enterprise, actor=member, year=2025, values=jump)
    assert exc.value.needs_confirmation == {"revenue"}
    assert "10 倍" in exc.value.by_field["revenue"]
    saved = reports.save_report(
        enterprise,
        actor=member,
        year=2025,
        values=jump,
        confirmations={"revenue": "并购子公司并表"},
    )
    assert saved.confirmations == {"revenue": "并购子公司并表"}


def test_staff_return_with_reason_then_accept(member):
    bureau = BureauUserFactory(region=region("330100"))
    report = reports.submit_report(
        reports.save_report(enterprise_of(member), actor=member, year=2025, values=values()),
        actor=member,
    )
    with pytest.raises(DomainError, match="写明"):
        reports.return_report(report, actor=bureau, reason="")
    returned = reports.return_report(report, actor=bureau, reason="研发费用与审计报告不一致")
    assert returned.status == "returned"
    assert Notification.objects.filter(recipient=member, body="研发费用与审计报告不一致").exists()
    fixed = reports.save_report(
        enterprise_of(member), actor=member, year=2025, values=values(rd_expense=Decimal("1800000"))
    )
    reports.accept_report(reports.submit_report(fixed, actor=member), actor=bureau)
    assert AnnualReport.objects.get().status == "accepted"


def test_outsiders_cannot_review_or_fill(member):
    report = reports.save_report(enterprise_of(member), actor=member, year=2025, values=values())
    report = reports.submit_report(report, actor=member)
    with pytest.raises(DomainError, match="无权"):
        reports.accept_report(report, actor=BureauUserFactory(region=region("310000")))
    with pytest.raises(DomainError, match="本企业成员"):
        reports.save_report(
            enterprise_of(member), actor=enterprise_user(), year=2025, values=values()
        )


def test_growth_figures():
    by_year = {
        2022: AnnualReport(year=2022, revenue=Decimal("10000000")),
        2024: AnnualReport(year=2024, revenue=Decimal("14400000")),
        2025: AnnualReport(year=2025, revenue=Decimal("17280000")),
    }
    assert reports.growth(by_year, 2025) == {"yoy": Decimal("20.00"), "cagr3": Decimal("20.0")}
    assert reports.growth(by_year, 2024) == {"yoy": None, "cagr3": None}


def test_report_pages_for_member_and_404_for_others(client, member):
    client.force_login(member)
    assert client.get(reverse("registry:report-list")).status_code == 200
    data = {k: "" if v is None else str(v) for k, v in values().items()}
    response = client.post(reverse("registry:report-edit", args=[2025]), {**data, "submit": "1"})
    assert response.status_code == 302
    report = AnnualReport.objects.get()
    assert report.status == "submitted"
    client.force_login(BureauUserFactory(region=region("110000")))
    assert client.post(reverse("registry:report-accept", args=[report.pk])).status_code == 404
    client.force_login(UserFactory(role="panelist"))
    assert client.get(reverse("registry:report-list")).status_code == 403


def test_service_records_by_staff_show_on_the_enterprise_page(client, member):
    enterprise = enterprise_of(member)
    bureau = BureauUserFactory(region=region("330000"))
    client.force_login(bureau)
    client.post(
        reverse("registry:service-add", args=[enterprise.pk]),
        {
            "kind": "financing",
            "served_on": "2026-11-20",
            "notes": "对接数创示范银行",
            "follow_up_on": "2026-12-20",
        },
    )
    record = ServiceRecord.objects.get()
    assert record.staff == bureau and record.follow_up_on == datetime.date(2026, 12, 20)
    client.force_login(member)
    assert (
        "对接数创示范银行"
        in client.get(reverse("registry:enterprise-detail", args=[enterprise.pk])).content.decode()
    )
    with pytest.raises(DomainError, match="辖区"):
        reports.log_service(
            enterprise, actor=member, kind="policy", served_on=datetime.date(2026, 1, 1), notes="x"
        )
    with pytest.raises(DomainError, match="跟进日期"):
        reports.log_service(
            enterprise,
            actor=bureau,
            kind="policy",
            served_on=datetime.date(2026, 2, 1),
            notes="x",
            follow_up_on=datetime.date(2026, 1, 1),
        )


def _file(enterprise, member, year, revenue, main_business=None):
    amount = Decimal(revenue)
    report = reports.save_report(
        enterprise, actor=member, year=year,
        values=values(revenue=amount, main_business_revenue=Decimal(main_business or revenue),
                      valuation=None),
    )  # fmt: skip
    return reports.submit_report(report, actor=member)


def test_accepted_reports_with_30_percent_growth_earn_the_gazelle_label(member):
    from registry.models import LabelAward

    enterprise = enterprise_of(member)
    RegistryEntryFactory(enterprise=enterprise)
    bureau = BureauUserFactory(region=region("330100"))
    for year, revenue in [(2022, "10000000"), (2023, "13000000"), (2024, "16900000")]:
        reports.accept_report(_file(enterprise, member, year, revenue), actor=bureau)
    assert not LabelAward.objects.exists()  # only two years of growth so far
    report = _file(enterprise, member, 2025, "21970000", main_business="20000000")
    # Self-reported and not yet reviewed: no public title from it.
    assert not LabelAward.objects.exists()
    reports.accept_report(report, actor=bureau)
    award = LabelAward.objects.current().get()
    assert award.label == "gazelle"
    assert any("30.00%" in reason for reason in render_reasons(award.reasons))
    assert Notification.objects.filter(recipient=member, title__contains="瞪羚").exists()
    # Returned and corrected downwards: the label goes, with history kept.
    reports.return_report(report, actor=bureau, reason="营业收入含非经常性收入")
    assert not LabelAward.objects.current().exists()
    assert LabelAward.objects.get().revoked_on is not None
    reports.accept_report(_file(enterprise, member, 2025, "12000000"), actor=bureau)
    assert not LabelAward.objects.current().exists()


def test_an_enterprise_outside_the_registry_earns_no_label_and_loses_one_on_leaving(member):
    from registry.models import LabelAward
    from registry.services.labels import recompute_labels_for

    enterprise = enterprise_of(member)
    bureau = BureauUserFactory(region=region("330100"))
    for year, revenue in [(2021, "10000000"), (2024, "21970000")]:
        reports.accept_report(_file(enterprise, member, year, revenue), actor=bureau)
    assert not LabelAward.objects.exists()  # accepted figures, but not in the registry
    entry = RegistryEntryFactory(enterprise=enterprise)
    assert recompute_labels_for([enterprise.pk])[enterprise.pk] == {"gazelle"}
    entry.status, entry.left_on = "exited", datetime.date(2026, 6, 1)
    entry.save(update_fields=["status", "left_on"])
    assert recompute_labels_for([enterprise.pk]) == {enterprise.pk: set()}
    award = LabelAward.objects.get()
    assert award.revoked_on is not None
    assert award.label == "gazelle"


def test_report_and_service_api_scoped(client, member):
    enterprise = enterprise_of(member)
    report = reports.save_report(enterprise, actor=member, year=2025, values=values())
    bureau = BureauUserFactory(region=region("330000"))
    reports.log_service(
        enterprise,
        actor=bureau,
        kind="data",
        served_on=datetime.date(2026, 11, 1),
        notes="数据对接",
    )
    cases = [
        (member, 1),
        (bureau, 1),
        (BureauUserFactory(region=region("110000")), 0),
        (enterprise_user(), 0),
        (UserFactory(role="institution"), 0),
    ]
    for user, expected in cases:
        client.force_login(user)
        assert client.get("/api/v1/annual-reports/").json()["count"] == expected
        assert client.get("/api/v1/service-records/").json()["count"] == expected
        status = client.get(f"/api/v1/annual-reports/{report.pk}/").status_code
        assert status == (200 if expected else 404)
