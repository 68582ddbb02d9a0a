"""End to end in a real browser: the publisher submits a scenario and staff publish it;
an enterprise finds it on a phone by a Chinese word and responds; the publisher closes
and awards it."""

import re

import pytest

from scenarios.models import Response, Scenario
from tests.browser.conftest import PHONE
from tests.browser.test_panel_scoring import _log_in, _shot
from tests.factories import enterprise_user, registry_enterprise
from tests.scenarios.factories import approved_publisher, make_scenario

pytestmark = pytest.mark.browser


def test_publisher_publishes_enterprise_responds_on_a_phone_publisher_awards(
    live_server, transactional_db, new_context
):
    from playwright.sync_api import expect

    publisher, user, staff = approved_publisher()
    scenario = make_scenario(publisher, user, staff, status="draft", title="港口人工智能调度场景")
    enterprise = registry_enterprise("330100", name="澄江数智")
    member = enterprise_user(enterprise)
    url = live_server.url

    # The publisher submits its draft; staff of the city publish it.
    page = new_context().new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    _log_in(page, url, user)
    page.goto(f"{url}/scenarios/{scenario.pk}/")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".badge", has_text="待审核")).to_be_visible()
    page.context.clear_cookies()
    _log_in(page, url, staff)
    page.goto(f"{url}/scenarios/review/")
    page.get_by_role("link", name="港口人工智能调度场景").click()
    page.get_by_role("button", name="审核通过并发布").click()
    expect(page.locator(".badge", has_text="已发布")).to_be_visible()

    # The enterprise, on a phone, searches 智能 and responds.
    phone = new_context(viewport=PHONE).new_page()
    _log_in(phone, url, member)
    phone.goto(f"{url}/scenarios/?q=智能")
    phone.get_by_role("link", name="港口人工智能调度场景").click()
    phone.get_by_role("link", name="揭榜响应").click()
    phone.get_by_label("方案摘要").fill("港口作业的智能调度与堆场优化。")
    phone.get_by_label("技术路线与实施方案").fill("数据接入、模型训练、试点上线。")
    phone.get_by_label("报价（元）").fill("880000")
    phone.get_by_label("实施周期").fill("5 个月")
    phone.get_by_role("button", name="提交方案").click()
    expect(phone).to_have_url(re.compile(r"/scenarios/responses/\d+/$"))
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the response page scrolls sideways ({width}px)"
    _shot(phone, "scenario-response-phone")
    made = Response.objects.get(scenario=scenario, enterprise=enterprise)

    # The publisher closes the scenario and awards the response.
    page.context.clear_cookies()
    _log_in(page, url, user)
    page.goto(f"{url}/scenarios/{scenario.pk}/")
    page.get_by_role("button", name="截止响应").click()
    page.get_by_role("link", name="确定揭榜结果").click()
    prefix = f"#id_r{made.pk}"
    page.locator(f"{prefix}-chosen").check()
    page.locator(f"{prefix}-form").select_option("demonstration")
    page.locator(f"{prefix}-starts_on").fill("2026-12-01")
    page.locator(f"{prefix}-ends_on").fill("2027-05-31")
    page.get_by_role("button", name="确定揭榜结果").click()
    expect(page.locator(".badge", has_text="已揭榜")).to_be_visible()
    assert Scenario.objects.get(pk=scenario.pk).status == "awarded"
    assert Response.objects.get(pk=made.pk).award.form == "demonstration"
