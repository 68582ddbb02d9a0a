"""Staff work queues in a real browser (issue #14), at phone width (390×844) and on the
desktop: the page fits the screen (wide tables scroll in their own box) and the actions
work with their confirmation dialogs."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from registry.models import AnnualReport
from tests.browser.conftest import PHONE
from tests.browser.test_panel_scoring import _log_in
from tests.factories import AnnualReportFactory, BureauUserFactory, EnterpriseFactory, region

pytestmark = pytest.mark.browser

# Set QUEUE_SCREENSHOTS=/tmp/queue-shots to keep pictures of the pages for review.
SHOTS = os.environ.get("QUEUE_SCREENSHOTS")


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def _reports():
    clean = AnnualReportFactory(
        enterprise=EnterpriseFactory(region=region("330100"), name="杭州清朗数据科技有限公司")
    )
    AnnualReportFactory(enterprise=clean.enterprise, year=2024, revenue=15_000_000)
    flagged = AnnualReportFactory(
        enterprise=EnterpriseFactory(region=region("330100"), name="杭州跃迁算力有限公司"),
        confirmations={"revenue": "本年完成对两家子公司的并购，收入合并计算。"},
    )
    return clean, flagged


def test_report_queue_on_a_phone_bulk_accepts_the_clean_report(
    live_server, transactional_db, new_context
):
    clean, flagged = _reports()
    staff = BureauUserFactory(region=region("330100"))
    page = new_context(viewport=PHONE).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    _log_in(page, live_server.url, staff)
    page.goto(live_server.url + "/registry/reports/")
    expect(page.get_by_role("heading", name="年度报告审核")).to_be_visible()
    _shot(page, "report-queue-phone")
    assert _fits(page)
    page.get_by_label("选择 杭州清朗数据科技有限公司 2025 年度报告").check()
    page.get_by_role("button", name="确认所选（无异常）报告").click()
    expect(page.get_by_text("已确认 1 份报告。")).to_be_visible()
    assert AnnualReport.objects.get(pk=clean.pk).status == "accepted"
    assert AnnualReport.objects.get(pk=flagged.pk).status == "submitted"

    page.get_by_role("link", name="杭州跃迁算力有限公司").click()
    expect(page.get_by_text("本年完成对两家子公司的并购")).to_be_visible()
    _shot(page, "report-review-phone")
    assert _fits(page)
    page.get_by_label("退回原因（企业将看到）").fill("请附并购协议，核对合并口径。")
    page.get_by_role("button", name="退回修改").click()
    expect(page.get_by_text("报告已退回，企业将收到通知。")).to_be_visible()
    assert AnnualReport.objects.get(pk=flagged.pk).status == "returned"


def test_report_queue_on_the_desktop(live_server, transactional_db, new_context):
    _reports()
    page = new_context().new_page()
    _log_in(page, live_server.url, BureauUserFactory(region=region("330000")))
    page.goto(live_server.url + "/registry/reports/")
    expect(page.get_by_text("杭州跃迁算力有限公司")).to_be_visible()
    assert page.get_by_test_id("report-row").count() == 3  # 2024 and 2025, one flagged
    _shot(page, "report-queue-desktop")
    assert _fits(page)


def test_formal_review_queue_on_a_phone_marks_the_clean_application(
    live_server, transactional_db, new_context
):
    from selection.models import Application
    from selection.services import applications as app_services
    from tests.selection.helpers import make_round, ready_application

    selection_round = make_round(region_code="330000")
    application, member = ready_application(
        selection_round,
        enterprise=EnterpriseFactory(region=region("330100"), name="杭州数序科技有限公司"),
    )
    app_services.submit_application(application, actor=member, declaration=True)
    page = new_context(viewport=PHONE).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    _log_in(page, live_server.url, selection_round.created_by)
    page.goto(live_server.url + "/selection/review-queue/")
    expect(page.get_by_role("heading", name="待形式审查的申请")).to_be_visible()
    _shot(page, "review-queue-phone")
    assert _fits(page)
    page.get_by_label("选择 杭州数序科技有限公司 的申请").check()
    page.get_by_role("button", name="判定所选申请通过").click()
    expect(page.get_by_text("已将 1 份申请判定为形式审查通过")).to_be_visible()
    assert Application.objects.get(pk=application.pk).status == "eligible"


def test_follow_ups_on_a_phone_edit_and_delete(live_server, transactional_db, new_context):
    import datetime

    from django.utils import timezone

    from registry.models import ServiceRecord

    staff = BureauUserFactory(region=region("330100"))
    today = timezone.localdate()
    records = [
        ServiceRecord.objects.create(
            enterprise=EnterpriseFactory(region=region("330100"), name=name),
            kind="financing", served_on=today - datetime.timedelta(days=20),
            notes="对接两家银行的知识产权质押贷款。", staff=staff,
            follow_up_on=today + datetime.timedelta(days=due),
        )
        for name, due in (("杭州云栈科技有限公司", -1), ("杭州数衡科技有限公司", 3))
    ]  # fmt: skip
    page = new_context(viewport=PHONE).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    _log_in(page, live_server.url, staff)
    page.goto(live_server.url + "/registry/follow-ups/")
    expect(page.get_by_test_id("follow-up-row").first).to_contain_text("已逾期")
    _shot(page, "follow-ups-phone")
    assert _fits(page)
    page.get_by_test_id("follow-up-row").first.get_by_role("link", name="删除").click()
    expect(page.get_by_text("删除后不再显示在企业的服务记录和跟进列表中")).to_be_visible()
    _shot(page, "service-delete-phone")
    assert _fits(page)
    page.get_by_role("button", name="确认删除").click()
    expect(page.get_by_text("服务记录已删除。")).to_be_visible()
    assert not ServiceRecord.objects.filter(pk=records[0].pk).exists()
    page.get_by_role("link", name="修改").click()
    page.get_by_label("服务内容").fill("已对接，等待银行授信审批。")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("服务记录已修改。")).to_be_visible()
    assert ServiceRecord.objects.get(pk=records[1].pk).notes == "已对接，等待银行授信审批。"
