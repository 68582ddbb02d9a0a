"""Plausible figures, founding dates, phone numbers and report years (issue #8), both sides
of each boundary, through the form, the API serializer, the service and the database."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.phone import is_valid_contact_phone, normalise_contact_phone
from config.errors import DomainError
from registry.models import AnnualReport, Enterprise, ServiceRecord
from registry.serializers import AnnualReportSerializer
from registry.services import reports as report_services
from registry.services import update_enterprise
from tests.factories import (
    AnnualReportFactory,
    BureauUserFactory,
    EnterpriseFactory,
    enterprise_user,
    region,
)

pytestmark = pytest.mark.django_db
EMPLOYEES = "从业人员数应在 0 至 200 万人之间。"
AMOUNTS = "金额不能超过 10 万亿元（净利润不能低于负 10 万亿元）。"
RD = "研发费用不能超过营业收入的 10 倍；营业收入很少或为 0 时，不能超过 5000 万元。"
FOUNDED = "成立日期应在 1949 年 10 月 1 日至今天之间。"
PHONE = "联系电话应为 11 位手机号码，或带区号的固定电话（如 010-62345678）。"


def _values(**overrides):
    values = {
        "revenue": Decimal("10000000"),
        "main_business_revenue": Decimal("10000000"),
        "net_profit": Decimal("100000"),
        "rd_expense": Decimal("1000000"),
        "employees": 100,
        "rd_staff": 10,
        "invention_patents": 1,
        "software_copyrights": 1,
        "data_resources_registered": 0,
        "financing_this_year": Decimal("0"),
        "cumulative_financing": Decimal("0"),
        "valuation": None,
        "overseas_revenue": Decimal("0"),
        "compliance_incidents": 0,
    }
    return {**values, **overrides}


def _save(member, year=2024, **overrides):
    return report_services.save_report(
        member.memberships.get().enterprise, actor=member, year=year, values=_values(**overrides)
    )


# Phone numbers: one validator


@pytest.mark.parametrize(
    "raw",
    ["13912345678", "19912345678", "010-62345678", "01062345678", "0571-88886666",
     "057188886666", "0571-8888666"],
)  # fmt: skip
def test_a_mobile_or_a_landline_with_area_code_is_a_phone(raw):
    assert is_valid_contact_phone(raw)


@pytest.mark.parametrize(
    "raw", ["12345", "12912345678", "1391234567", "139123456789", "62345678", "010-123456",
            "0571-888866667", "phone", ""],
)  # fmt: skip
def test_anything_else_is_not_a_phone(raw):
    assert not is_valid_contact_phone(raw)


def test_spaces_and_country_prefix_are_dropped_before_checking():
    assert normalise_contact_phone("+86 139 1234 5678") == "13912345678"
    assert normalise_contact_phone(" 0571-8888 6666 ") == "0571-88886666"


def test_the_profile_form_refuses_a_phone_that_is_not_one_and_saves_nothing(client):
    enterprise = EnterpriseFactory()
    client.force_login(enterprise_user(enterprise))
    url = reverse("registry:enterprise-edit", args=[enterprise.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    response = client.post(url, {**data, "contact_phone": "12345", "contact_name": "李雷"})
    assert response.context["form"].errors["contact_phone"] == [PHONE]
    enterprise.refresh_from_db()
    assert (enterprise.contact_phone, enterprise.contact_name) == ("01062345678", "张敏")
    client.post(url, {**data, "contact_phone": "+86 139 1234 5678"})
    enterprise.refresh_from_db()
    assert enterprise.contact_phone == "13912345678"


def test_the_database_refuses_a_phone_that_is_not_one():
    enterprise = EnterpriseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.filter(pk=enterprise.pk).update(contact_phone="12345")
    Enterprise.objects.filter(pk=enterprise.pk).update(contact_phone="0571-88886666")


# Founding date


@pytest.mark.parametrize(
    ("founded", "ok"),
    [(datetime.date(1949, 9, 30), False), (datetime.date(1949, 10, 1), True),
     (datetime.date(1, 1, 1), False), ("today", True), ("tomorrow", False),
     (datetime.date(9999, 12, 31), False)],
)  # fmt: skip
def test_founding_date_between_1949_10_01_and_today_through_the_form(client, founded, ok):
    today = timezone.localdate()
    founded = {"today": today, "tomorrow": today + datetime.timedelta(days=1)}.get(founded, founded)
    enterprise = EnterpriseFactory()
    client.force_login(enterprise_user(enterprise))
    url = reverse("registry:enterprise-edit", args=[enterprise.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    response = client.post(url, {**data, "founded_on": founded.isoformat()})
    enterprise.refresh_from_db()
    if ok:
        assert response.status_code == 302
        assert enterprise.founded_on == founded
    else:
        assert response.context["form"].errors["founded_on"] == [FOUNDED]
        assert enterprise.founded_on == datetime.date(2020, 5, 1)


def test_the_service_refuses_a_future_founding_date_on_its_own():
    enterprise = EnterpriseFactory()
    member = enterprise_user(enterprise)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        update_enterprise(enterprise, actor=member, founded_on=tomorrow)
    assert (refused.value.message, refused.value.field) == (FOUNDED, "founded_on")
    enterprise.refresh_from_db()
    assert enterprise.founded_on == datetime.date(2020, 5, 1)


def test_the_database_refuses_a_founding_date_before_1949_10_01():
    enterprise = EnterpriseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.filter(pk=enterprise.pk).update(founded_on=datetime.date(1949, 9, 30))
    Enterprise.objects.filter(pk=enterprise.pk).update(founded_on=datetime.date(1949, 10, 1))


# Annual-report figures


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"employees": 2_000_001}, "employees", EMPLOYEES),
        ({"employees": 2_147_483_648}, "employees", EMPLOYEES),
        (
            {"revenue": Decimal("10000000000000.01"), "main_business_revenue": Decimal("1")},
            "revenue",
            AMOUNTS,
        ),  # fmt: skip
        ({"net_profit": Decimal("-10000000000000.01")}, "net_profit", AMOUNTS),
        (
            {
                "revenue": Decimal("1000000"),
                "main_business_revenue": Decimal("1000000"),
                "rd_expense": Decimal("100000000"),
            },
            "rd_expense",
            RD,
        ),  # fmt: skip
        (
            {
                "revenue": Decimal("0"),
                "main_business_revenue": Decimal("0"),
                "rd_expense": Decimal("50000000.01"),
            },
            "rd_expense",
            RD,
        ),  # fmt: skip
    ],
)
def test_the_report_service_refuses_implausible_figures_field_by_field(overrides, field, message):
    member = enterprise_user(EnterpriseFactory())
    with pytest.raises(report_services.ReportProblems) as refused:
        _save(member, **overrides)
    assert refused.value.by_field[field] == message
    assert AnnualReport.objects.count() == 0


@pytest.mark.parametrize(
    "overrides",
    [
        {"employees": 2_000_000},
        {"revenue": Decimal("10000000000000"), "main_business_revenue": Decimal("1")},
        {"net_profit": Decimal("-10000000000000")},
        # 10 × revenue, and a pre-revenue start-up at the 50 million floor
        {
            "revenue": Decimal("10000000"),
            "main_business_revenue": Decimal("0"),
            "rd_expense": Decimal("100000000"),
        },  # fmt: skip
        {
            "revenue": Decimal("0"),
            "main_business_revenue": Decimal("0"),
            "rd_expense": Decimal("50000000"),
        },  # fmt: skip
    ],
)
def test_the_report_service_accepts_figures_at_the_bounds(overrides):
    member = enterprise_user(EnterpriseFactory())
    report = _save(member, **overrides)
    report.refresh_from_db()
    for name, value in overrides.items():
        assert getattr(report, name) == value


def test_the_report_form_shows_the_sentence_beside_the_field(client):
    member = enterprise_user(EnterpriseFactory())
    client.force_login(member)
    data = {k: ("" if v is None else str(v)) for k, v in _values(employees=2_000_001).items()}
    response = client.post(reverse("registry:report-edit", args=[2024]), data)
    assert response.context["form"].errors["employees"] == [EMPLOYEES]
    assert AnnualReport.objects.count() == 0


def test_the_api_serializer_refuses_with_the_same_sentence():
    data = {k: ("" if v is None else str(v)) for k, v in _values(employees=2_000_001).items()}
    serializer = AnnualReportSerializer(data={**data, "year": 2024})
    assert not serializer.is_valid()
    assert serializer.errors["employees"] == [EMPLOYEES]


@pytest.mark.parametrize(
    ("update", "ok"),
    [({"employees": 2_000_000, "rd_staff": 1}, True),
     ({"employees": 2_000_001}, False),
     ({"rd_expense": Decimal("200000000"), "revenue": Decimal("20000000"),
       "main_business_revenue": Decimal("20000000")}, True),
     ({"rd_expense": Decimal("200000000.01"), "revenue": Decimal("20000000"),
       "main_business_revenue": Decimal("20000000")}, False),
     ({"valuation": Decimal("10000000000000.01")}, False)],
)  # fmt: skip
def test_the_database_holds_the_same_bounds(update, ok):
    report = AnnualReportFactory()
    if ok:
        AnnualReport.objects.filter(pk=report.pk).update(**update)
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            AnnualReport.objects.filter(pk=report.pk).update(**update)


# Report years


def test_report_years_run_from_the_founding_year_to_last_year():
    last = timezone.localdate().year - 1
    member = enterprise_user(EnterpriseFactory(founded_on=datetime.date(2020, 5, 1)))
    assert _save(member, year=2020).year == 2020
    assert _save(member, year=last).year == last
    for year in (2019, last + 1, last + 2):
        with pytest.raises(DomainError) as refused:
            _save(member, year=year)
        assert refused.value.message == (
            f"年度报告只能填报企业成立年度（2020 年）至上一年度（{last} 年）之间的年度；"
            "本年度尚未结束，不能填报。"
        )
    assert sorted(AnnualReport.objects.values_list("year", flat=True)) == [2020, last]


def test_the_report_page_refuses_the_unfinished_current_year(client):
    member = enterprise_user(EnterpriseFactory())
    client.force_login(member)
    data = {k: ("" if v is None else str(v)) for k, v in _values().items()}
    year = timezone.localdate().year
    response = client.post(reverse("registry:report-edit", args=[year]), data)
    assert "本年度尚未结束，不能填报。" in response.content.decode()
    assert AnnualReport.objects.count() == 0


# Service follow-up


def test_a_follow_up_before_the_service_date_says_so_and_saves_nothing(client):
    enterprise = EnterpriseFactory()
    staff = BureauUserFactory()
    client.force_login(staff)
    url = reverse("registry:service-add", args=[enterprise.pk])
    response = client.post(
        url,
        {"kind": "policy", "served_on": "2026-03-10", "notes": "政策咨询",
         "follow_up_on": "2026-03-09"},
    )  # fmt: skip
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown == ["跟进日期：跟进日期不能早于服务日期。"]
    assert ServiceRecord.objects.count() == 0
    client.post(
        url,
        {"kind": "policy", "served_on": "2026-03-10", "notes": "政策咨询",
         "follow_up_on": "2026-03-10"},
    )  # fmt: skip
    assert ServiceRecord.objects.get().follow_up_on == datetime.date(2026, 3, 10)


# Duplicate names: a warning, never a refusal


def test_registering_a_name_already_taken_warns_but_registers(client):
    EnterpriseFactory(name="杭州云栖数据科技有限公司", region=region("330100"))
    page = client.get(reverse("registry:register"))
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        uscc="91330100MA2H0AAA0X", name="杭州云栖数据科技有限公司", region=region("330100").pk,
        industry="04", category="tech", founded_on="2021-01-01", size="small",
        listing_status="unlisted", contact_name="王芳", contact_phone="0571-88886666",
        full_name="王芳", email="wf@example.cn", phone="13800001111",
        password="Shuchuang#2026", password2="Shuchuang#2026", declaration="on",
    )  # fmt: skip
    from registry.uscc import make_uscc

    data["uscc"] = make_uscc("330100", 77_777_777)
    response = client.post(reverse("registry:register"), data)
    assert response.status_code == 302, response.context["form"].errors
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(m.startswith("已有 1 家其他企业以“杭州云栖数据科技有限公司”登记") for m in shown)
    assert Enterprise.objects.filter(name="杭州云栖数据科技有限公司").count() == 2


def test_staff_see_same_name_enterprises_and_the_enterprise_does_not(client):
    first = EnterpriseFactory(name="北京数智科技有限公司")
    second = EnterpriseFactory(name="北京数智科技有限公司")
    EnterpriseFactory(name="北京数智科技（集团）有限公司")
    client.force_login(BureauUserFactory())
    page = client.get(reverse("registry:enterprise-detail", args=[first.pk])).content.decode()
    assert 'data-testid="same-name"' in page
    assert second.uscc in page
    client.force_login(enterprise_user(first))
    page = client.get(reverse("registry:enterprise-detail", args=[first.pk])).content.decode()
    assert 'data-testid="same-name"' not in page


def test_no_warning_for_a_unique_name(client):
    enterprise = EnterpriseFactory(name="独一无二数据有限公司")
    client.force_login(BureauUserFactory())
    page = client.get(reverse("registry:enterprise-detail", args=[enterprise.pk])).content
    assert b'data-testid="same-name"' not in page
