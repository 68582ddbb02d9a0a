"""End to end in a real browser, at phone width: an enterprise that qualifies for an
automatic (免申即享) policy only confirms its bank account; a bad account number is
refused in place and nothing is accepted until it is right."""

import pytest

from policies.models import PolicyGrant
from policies.services.lifecycle import publish_policy
from tests.browser.conftest import PHONE
from tests.browser.test_panel_scoring import _log_in, _shot
from tests.factories import PolicyFactory, enterprise_user, registry_enterprise

pytestmark = pytest.mark.browser


def test_enterprise_confirms_bank_details_for_an_automatic_policy(
    live_server, transactional_db, new_context
):
    from playwright.sync_api import expect

    enterprise = registry_enterprise("330100", name="杭州示范数据科技有限公司")
    member = enterprise_user(enterprise)
    policy = PolicyFactory()
    publish_policy(policy, actor=policy.created_by)  # the match runs at once (eager)
    grant = PolicyGrant.objects.get(policy=policy, enterprise=enterprise)
    assert grant.status == "notified"

    page = new_context(viewport=PHONE).new_page()
    _log_in(page, live_server.url, member)
    page.goto(f"{live_server.url}/policies/mine/")
    expect(page.get_by_text(policy.title)).to_be_visible()
    expect(page.get_by_text("营业收入 20,000,000.00 元 ≥ 10,000,000 元，满足")).to_be_visible()
    page.get_by_role("link", name="确认收款账户").click()
    page.get_by_label("开户名称").fill("杭州示范数据科技有限公司")
    page.get_by_label("开户银行").fill("数创示范银行杭州分行")
    page.get_by_label("银行账号").fill("12-34")
    page.get_by_role("button", name="确认收款账户").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    assert PolicyGrant.objects.get(pk=grant.pk).status == "notified"
    page.get_by_label("银行账号").fill("6222000011112222")
    page.get_by_role("button", name="确认收款账户").click()
    expect(page.get_by_text("已确认").first).to_be_visible()
    _shot(page, "policy-grant-accepted-phone")
    assert PolicyGrant.objects.get(pk=grant.pk).status == "accepted"
