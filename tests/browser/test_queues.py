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


def test_panel_add_member_search_and_replacement_on_a_phone(
    live_server, transactional_db, new_context
):
    """The "add member" control lists 20 panelists and finds the others by search (htmx);
    after an upheld recusal the application gets its replacement from the panel page."""
    from selection.models import Assignment, ConflictReport, ScoreSheet
    from selection.services import conflicts as conflict_services
    from selection.services import panel as panel_services
    from tests.factories import UserFactory
    from tests.selection.helpers import panel_round, score_sheet

    selection_round, (application,), _members = panel_round(applications=1, panelists=4, k=3)
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    sheets = list(ScoreSheet.objects.filter(assignment__application=application).order_by("id"))
    for sheet in sheets:
        score_sheet(sheet, 80)
    conflicted = sheets[0].assignment.panel_member
    report = conflict_services.report_conflict(
        conflicted, actor=conflicted.user, application=application,
        kind="relative", detail="配偶在该企业任财务总监。",
    )  # fmt: skip
    conflict_services.decide_conflict_report(
        ConflictReport.objects.get(pk=report.pk),
        actor=selection_round.created_by, upheld=True, reason="近亲属关系属实。",
    )  # fmt: skip
    for n in range(30):
        UserFactory(role="panelist", full_name=f"候选专家{n:02d}")
    UserFactory(role="panelist", full_name="欧阳明远")

    page = new_context(viewport=PHONE).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    _log_in(page, live_server.url, selection_round.created_by)
    page.goto(f"{live_server.url}/selection/rounds/{selection_round.pk}/panel/")
    candidates = page.locator("#panel-candidates input[name=user]")
    expect(candidates).to_have_count(20)
    page.get_by_label("查找专家").fill("欧阳")
    expect(candidates).to_have_count(1)
    expect(page.get_by_label("欧阳明远")).to_be_visible()
    page.locator("#add-member").scroll_into_view_if_needed()
    _shot(page, "panel-add-member-phone")
    assert _fits(page)
    page.get_by_role("button", name="补派替代专家").click()
    expect(page.get_by_text("已补派 1 位专家。")).to_be_visible()
    assert Assignment.objects.filter(application=application).count() == 3
