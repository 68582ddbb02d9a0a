"""A growth label's reasons are data; pages, the API and notices render them."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from notifications.models import Notification
from registry.label_explanations import render_reasons
from registry.legacy_labels import parse_reason
from registry.models import LabelAward
from registry.services import reports
from tests.explanations import chinese_in
from tests.factories import (
    BureauUserFactory,
    EnterpriseFactory,
    RegistryEntryFactory,
    enterprise_user,
    region,
)
from tests.registry.test_reports import values

pytestmark = pytest.mark.django_db

ZH_CAGR = (
    "2021—2024 年营业收入（10,000,000.00 元 → 21,970,000.00 元）3 年复合增长率 30.00%"
    "（保留两位小数，四舍五入），要求 ≥ 20%：满足"
)
EN_CAGR = (
    "Revenue 2021–2024 (CNY 10,000,000.00 → CNY 21,970,000.00): 3-year compound growth rate "
    "30.00% (two decimals, rounded half up), must be ≥ 20%: met"
)


@pytest.fixture
def gazelle():
    """An enterprise whose reports (filed in English) earn the gazelle label."""
    member = enterprise_user(EnterpriseFactory(region=region("330100")))
    enterprise = member.memberships.get().enterprise
    RegistryEntryFactory(enterprise=enterprise)
    bureau = BureauUserFactory(region=region("330100"))
    figures = [(2021, "10000000"), (2022, "13000000"), (2023, "16900000"), (2024, "21970000")]
    with translation.override("en"):
        for year, revenue in figures:
            amounts = {"revenue": Decimal(revenue), "main_business_revenue": Decimal(revenue)}
            report = reports.save_report(
                enterprise, actor=member, year=year, values=values(**amounts, valuation=None)
            )
            report = reports.submit_report(report, actor=member)
            reports.accept_report(report, actor=bureau)
    return member, LabelAward.objects.current().get(enterprise=enterprise)


def test_the_award_stores_keys_and_figures(gazelle):
    _member, award = gazelle
    assert award.reasons[1] == {
        "key": "gazelle.cagr", "base_year": 2021, "latest_year": 2024, "base": "10000000.00",
        "latest": "21970000.00", "years": 3, "cagr": "30.00", "min": "20", "held": True,
    }  # fmt: skip
    assert render_reasons(award.reasons, "zh-hans")[1] == ZH_CAGR
    english = render_reasons(award.reasons, "en")
    assert english == [
        "Base year 2021 revenue CNY 10,000,000.00, must be ≥ CNY 10,000,000.00: met",
        EN_CAGR,
    ]


def test_every_kind_of_label_reason_reads_in_english():
    sentences = [
        "上市状态为 star，要求未上市（unlisted）：不满足",
        "条件2：成立满 7 年（2018-03-01 成立，评估日 2025-06-01），"
        "要求超过 5 年且不超过 9 年：满足",
        "评估日早于成立日期（2026-03-01 成立，评估日 2025-06-01），要求不超过 10 年：不满足",
        "投后估值 400,000,000.00 元（约 56,338,028.17 美元），按汇率 7.10 元/美元，"
        "要求 ≥ 100,000,000.00 美元（710,000,000.00 元）且 < 1,000,000,000.00 美元"
        "（7,100,000,000.00 元）：不满足",
        "无投后估值数据，按汇率 7.10 元/美元，要求 ≥ 1,000,000,000.00 美元（7,100,000,000.00 元）"
        "：不满足",
        "最近年度为 2024 年，缺少基期 2021 年营业收入，无法计算复合增长率（不可计算），不认定",
        "2025 年及以前无营业收入数据，无法计算复合增长率（不可计算），不认定",
        "基期 2021 年营业收入为 0.00 元（≤ 0），无法计算复合增长率（不可计算），不认定",
        "2024 年营业收入为 -5.00 元（< 0），无法计算复合增长率（不可计算），不认定",
        "已认定为独角兽（独角兽、潜在独角兽只认定其一，按此顺序优先），不认定",
    ]
    items = [parse_reason(s) for s in sentences]
    assert not [item for item in items if "legacy_text" in item]
    assert render_reasons(items, "zh-hans") == sentences
    for sentence in render_reasons(items, "en"):
        assert chinese_in(sentence) == [], sentence


def test_enterprise_page_and_api_in_english(client, gazelle):
    member, award = gazelle
    client.force_login(member)
    url = reverse("registry:enterprise-detail", args=[award.enterprise_id])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert EN_CAGR in page and ZH_CAGR not in page
    api = client.get(f"/api/v1/growth-labels/{award.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert api["reasons"] == award.reasons
    assert api["reasons_text"][1] == EN_CAGR
    chinese = client.get(f"/api/v1/growth-labels/{award.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese.json()["reasons_text"][1] == ZH_CAGR


def test_another_enterprise_does_not_see_the_reasons(client, gazelle):
    _member, award = gazelle
    client.force_login(enterprise_user(EnterpriseFactory(region=region("330100"))))
    assert client.get(f"/api/v1/growth-labels/{award.pk}/").status_code == 404


def test_notice_is_in_the_source_language_though_the_reports_were_filed_in_english(gazelle):
    member, award = gazelle
    notice = Notification.objects.get(recipient=member, title__contains="瞪羚")
    assert notice.body.split("\n")[1] == ZH_CAGR
