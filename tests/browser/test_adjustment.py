"""End to end in a real browser: staff bulk-confirm the adjustment proposals the job wrote;
the enterprise that was moved out appeals once, from a phone."""

import re
from decimal import Decimal

import pytest

from adjustment.models import Appeal
from adjustment.services.job import start_adjustment
from registry.models import RegistryEntry
from tests.adjustment.test_adjustment import in_registry
from tests.browser.conftest import PHONE
from tests.browser.test_panel_scoring import _log_in, _shot
from tests.factories import BureauUserFactory, enterprise_user, region

pytestmark = pytest.mark.browser


def test_staff_confirm_and_the_enterprise_appeals(live_server, transactional_db, page, new_context):
    from playwright.sync_api import expect

    staff = BureauUserFactory(region=region("330000"))
    grows = in_registry(revenue=Decimal("20000000"))
    silent = in_registry(reports=())
    member = enterprise_user(silent.enterprise)
    start_adjustment(actor=staff, region=staff.region, year=2025)  # runs at once (eager)

    _log_in(page, live_server.url, staff)
    page.goto(f"{live_server.url}/adjustment/")
    expect(page.get_by_text("共 2 家：建议升级 1，降级 0，退出 1")).to_be_visible()
    page.get_by_label("全选本页待确认建议").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="确认所选").click()
    expect(page.get_by_text("已确认 2 项调整建议。")).to_be_visible()
    _shot(page, "adjustment-confirmed")
    grows.refresh_from_db()
    silent.refresh_from_db()
    assert (grows.tier, silent.status) == ("growth", "exited")

    phone = new_context(viewport=PHONE).new_page()
    _log_in(phone, live_server.url, member)
    phone.goto(f"{live_server.url}/adjustment/mine/")
    expect(phone.get_by_text("已退出").first).to_be_visible()
    phone.get_by_role("link", name=re.compile("2025 年度 · 退出")).click()
    phone.get_by_label("理由").fill("2024、2025 年度报告已线下报送，附回执。")
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.get_by_role("button", name="提交申诉").click()
    expect(phone.get_by_text("申诉已提交")).to_be_visible()
    expect(phone.get_by_role("button", name="提交申诉")).to_have_count(0)  # once only
    _shot(phone, "adjustment-appealed-phone")
    assert Appeal.objects.get().reason == "2024、2025 年度报告已线下报送，附回执。"
    assert RegistryEntry.objects.get(pk=silent.pk).status == "exited"  # until staff decide
