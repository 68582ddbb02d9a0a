"""The annual report's voucher, scenario and financing sections count the jurisdiction's
rows of the year only: 杭州市's report never holds 宁波市's."""

from decimal import Decimal

import pytest
from django.utils import timezone

from finance.services.talks import record_funding
from reports.services import annual
from scenarios.models import ScenarioStatus
from scenarios.services import awards as award_services
from scenarios.services import cases as case_services
from scenarios.services import scenarios as scenario_services
from tests.factories import enterprise_user, region, registry_enterprise
from tests.finance import factories as finance
from tests.scenarios.factories import approved_publisher, award, make_response, make_scenario
from tests.vouchers.factories import issue
from tests.vouchers.factories import world as voucher_world

pytestmark = pytest.mark.django_db


def _scenario_awarded(code):
    publisher, user, staff = approved_publisher(code=code)
    done = make_scenario(publisher, user, staff)
    make_scenario(publisher, user, staff, status=ScenarioStatus.SUBMITTED)  # not published
    enterprise = registry_enterprise(code, name=f"{code}智能科技有限公司")
    response = make_response(done, enterprise_user(enterprise), enterprise)
    scenario_services.close_scenario(done, actor=user)
    won = award(done, user, response)
    award_services.report_outcome(won, actor=user, outcome="succeeded")
    case_services.publish_case(won, actor=staff, title=f"{code}城市事件分拨案例",
                               summary="三个月上线，分拨时间缩短一半。")  # fmt: skip


def test_measure_sections_count_the_citys_rows_of_the_year():
    year = timezone.localdate().year
    hz_vouchers = voucher_world("330100", enterprise_region="330100")
    voucher = issue(hz_vouchers, amount="100000")
    voucher_world("330200", enterprise_region="330200")
    _scenario_awarded("330100")
    _scenario_awarded("330200")
    hz = finance.world("330100")
    funded = finance.accepted(hz)
    record_funding(funded, actor=hz.banker, amount=Decimal("3000000"),
                   funded_on=timezone.localdate())  # fmt: skip
    finance.need(finance.world("330200"))

    f = annual.annual_figures(region("330100"), year)

    assert (f["voucher_programs"], f["vouchers_issued"]) == (1, 1)
    assert f["vouchers_issued_amount"] == voucher.amount > 0
    assert (f["scenarios_published"], f["scenario_responses"], f["scenario_awards"]) == (1, 1, 1)
    assert f["first_purchases"] == 1  # the award is a purchase of a new product
    assert (f["financing_needs"], f["financing_funded"]) == (1, 1)
    assert f["financing_sought"] == Decimal("5000000")
    assert f["financing_obtained"] == Decimal("3000000")
    assert sum(amount for _label, amount in f["financing_by_source"]) == Decimal("3000000")
    assert [c["title"] for c in f["typical_cases"]] == ["330100城市事件分拨案例"]
    assert f["typical_cases"][0]["enterprise"] == "330100智能科技有限公司"
    assert annual.annual_figures(region("330100"), year - 1)["scenario_awards"] == 0
    html = annual.annual_report_html(region("330100"), year, figures=f)
    assert "330100城市事件分拨案例" in html and "330200城市事件分拨案例" not in html


def test_measure_sections_are_in_the_report_with_charts_and_tables():
    html = annual.annual_report_html(region("330100"), timezone.localdate().year)
    assert "本年度未发布典型案例。" in html  # the empty state, in words

    for heading in ("七、数据券、算法券、算力券", "八、应用场景", "九、投融资对接"):
        assert heading in html
    for title in ("本年度发放券数（按券种）", "应用场景对接", "融资到位（按来源，元）"):
        assert f"<title>{title}</title>" in html or title in html
