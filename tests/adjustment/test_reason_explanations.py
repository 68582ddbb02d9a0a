"""A proposal's reasons are data; pages, the API and notices render them."""

import pytest
from django.urls import reverse
from django.utils import translation

from adjustment.explanations import render_reasons
from adjustment.models import AdjustmentProposal
from adjustment.services import decisions
from notifications.models import Notification
from tests.adjustment.test_adjustment import in_registry, run, zhejiang  # noqa: F401 (fixture)
from tests.explanations import chinese_in
from tests.factories import BureauUserFactory, enterprise_user, region

pytestmark = pytest.mark.django_db

ZH_FIRST = "2025 年度数据满足成长型条件"
EN_FIRST = "The 2025 figures meet the conditions of the Growth tier"


@pytest.fixture
def upgrade(zhejiang):  # noqa: F811 (the fixture above)
    entry = in_registry(revenue=20_000_000)
    run(zhejiang)
    return AdjustmentProposal.objects.get(entry=entry)


def test_the_job_stores_reason_keys_and_condition_items(upgrade):
    first, *conditions = upgrade.reasons
    assert first == {"key": "upgrade.meets", "year": 2025, "tier": "growth"}
    assert conditions[0] == {"field": "revenue", "op": "gte", "expected": "10000000",
                             "actual": "20000000.00", "held": True}  # fmt: skip
    assert render_reasons(upgrade.reasons, "zh-hans")[:2] == [
        ZH_FIRST,
        "营业收入 20,000,000.00 元 ≥ 10,000,000 元，满足",
    ]
    english = render_reasons(upgrade.reasons, "en")
    assert english[:2] == [EN_FIRST, "Operating revenue 20,000,000.00 yuan ≥ 10,000,000 yuan: met"]
    assert all(chinese_in(sentence) == [] for sentence in english), english


def test_every_kind_of_reason_reads_in_english():
    reasons = [
        {"key": "exit.record", "record": "dishonesty", "on": "2025-08-01", "source": "信用中国"},
        {"key": "exit.moved", "jurisdiction": "浙江省"},
        {"key": "exit.missing_reports", "years": [2024, 2025]},
        {"key": "graduate.listed", "listing": "star"},
        {"key": "downgrade.failing_years", "tier": "growth", "years": [2024, 2025]},
        {"key": "downgrade.year", "year": 2024, "conditions": [
            {"field": "rd_intensity", "op": "gte", "expected": "3", "actual": "2", "held": False}]},
        {"key": "request.exit", "reason": "business change"},
    ]  # fmt: skip
    assert render_reasons(reasons, "zh-hans") == [
        "失信记录：2025-08-01，来源：信用中国",
        "企业注册地已迁出培育辖区（浙江省）",
        "连续 2 年未报送年度监测报告（2024 年度、2025 年度）",
        "企业已上市（科创板），从培育库毕业",
        "连续 2 年不满足成长型条件",
        "2024 年度：研发投入强度 2% ≥ 3%，不满足",
        "企业申请退出：business change",
    ]
    english = render_reasons(reasons, "en")
    assert english[2] == "No annual monitoring report for 2 consecutive years (2024, 2025)"
    assert english[5] == "2024: R&D intensity 2% ≥ 3%: not met"
    for sentence in english:
        assert chinese_in(sentence, "信用中国", "浙江省") == [], sentence


def test_staff_page_and_api_in_english(client, zhejiang, upgrade):  # noqa: F811
    client.force_login(zhejiang)
    page = client.get(reverse("adjustment:proposal-detail", args=[upgrade.pk]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()  # fmt: skip
    assert EN_FIRST in page and ZH_FIRST not in page
    api = client.get(f"/api/v1/adjustment-proposals/{upgrade.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    body = api.json()
    assert body["reasons"] == upgrade.reasons
    assert body["reasons_text"][0] == EN_FIRST
    chinese = client.get(f"/api/v1/adjustment-proposals/{upgrade.pk}/",
                         HTTP_ACCEPT_LANGUAGE="zh-hans").json()  # fmt: skip
    assert chinese["reasons_text"][0] == ZH_FIRST


def test_other_province_staff_do_not_see_the_reasons(client, upgrade):
    client.force_login(BureauUserFactory(region=region("110000")))
    url = f"/api/v1/adjustment-proposals/{upgrade.pk}/"
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").status_code == 404


def test_notice_is_written_in_the_source_language_whatever_the_staff_reads(zhejiang, upgrade):  # noqa: F811
    member = enterprise_user(upgrade.entry.enterprise)
    with translation.override("en"):
        decisions.confirm_proposal(upgrade, actor=zhejiang)
    notice = Notification.objects.get(recipient=member)
    assert notice.body.startswith(ZH_FIRST + "\n营业收入 20,000,000.00 元")
    assert notice.title.endswith("升级 → 成长型")
