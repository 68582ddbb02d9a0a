"""End to end in a real browser: a panelist scores an application assigned to them
in a round that hides enterprise names; another panelist cannot open that sheet."""

import os
import re
from pathlib import Path

import pytest

from selection.models import ScoreSheet
from selection.services.panel import auto_assign
from tests.browser.conftest import PHONE
from tests.factories import PASSWORD
from tests.selection.helpers import panel_round

pytestmark = pytest.mark.browser

# Set PANEL_SCREENSHOTS=/tmp/panel-shots to keep pictures of the pages for review.
SHOTS = os.environ.get("PANEL_SCREENSHOTS")


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _log_in(page, base_url, user):
    from playwright.sync_api import expect

    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("邮箱或手机号").fill(user.email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def _code(application):
    return f"A-{application.round.year}-{application.pk:05d}"


def test_panelist_scores_assigned_application(live_server, transactional_db, page, new_context):
    from playwright.sync_api import expect

    selection_round, apps, _members = panel_round(applications=2, panelists=2, k=1, hide_names=True)
    auto_assign(selection_round, actor=selection_round.created_by)
    sheets = list(
        ScoreSheet.objects.select_related(
            "assignment__application__enterprise", "assignment__panel_member__user"
        ).order_by("id")
    )
    owners = {s.assignment.panel_member.user_id for s in sheets}
    assert len(sheets) == 2 and len(owners) == 2, "expected one assignment per panelist"
    sheet_a, sheet_b = sheets
    panelist_a = sheet_a.assignment.panel_member.user
    panelist_b = sheet_b.assignment.panel_member.user
    app_a, app_b = sheet_a.assignment.application, sheet_b.assignment.application
    criteria = list(selection_round.criteria.order_by("order"))
    first = criteria[0]
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.accept()))

    # 1. Panelist A opens 评审任务: the application by its code, never by its name.
    _log_in(page, live_server.url, panelist_a)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="评审任务").click()
    expect(page).to_have_url(re.compile(r"/selection/panel/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("我的评审任务")
    task = page.get_by_role("row").filter(has_text=_code(app_a))
    expect(task).to_have_count(1)
    expect(task).to_contain_text("待评分")
    expect(page.locator("body")).not_to_contain_text(app_a.enterprise.name)
    expect(page.locator("body")).not_to_contain_text(_code(app_b))  # not A's task
    _shot(page, "tasks-desktop")

    # 2. The sheet: one score above 90% of the maximum without a comment is refused.
    task.get_by_role("link", name=_code(app_a)).click()
    expect(page).to_have_url(re.compile(rf"/selection/sheets/{sheet_a.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(_code(app_a))
    expect(page.locator("body")).not_to_contain_text(app_a.enterprise.name)
    for criterion in criteria:
        field = page.get_by_label(re.compile(rf"^{criterion.name}（满分"))
        field.fill("95" if criterion == first else "70")
    page.get_by_role("button", name="检查并提交").click()
    # Listed at the top of the page, and beside the field, which has the focus.
    expect(page.locator("#sheet-errors")).to_contain_text(first.name)
    expect(page.locator(f"#id_comment_{first.pk}_error")).to_contain_text("评语")
    expect(page.locator(f"#id_comment_{first.pk}")).to_be_focused()
    sheet_a.refresh_from_db()  # kept as a draft, not submitted
    assert sheet_a.submitted_at is None and sheet_a.scores.count() == len(criteria)
    expect(page.get_by_label(re.compile(rf"^{first.name}（满分"))).to_have_value("95")
    _shot(page, "sheet-error-desktop")

    # With a comment the sheet is submitted and becomes read-only.
    first_fieldset = page.locator("fieldset").filter(
        has=page.get_by_label(re.compile(rf"^{first.name}（满分"))
    )
    first_fieldset.get_by_label("评语").fill("核心算法自主研发，专利储备充足。")
    page.get_by_role("button", name="检查并提交").click()
    # The checks passed: only now the "cannot be changed" confirmation, with the total.
    confirm = page.locator("#confirm-submit")
    expect(confirm).to_contain_text("加权总分 77.50")
    expect(confirm).to_be_focused()
    sheet_a.refresh_from_db()
    assert sheet_a.submitted_at is None
    confirm.get_by_role("button", name="确认提交").click()
    expect(page.locator("main").get_by_role("alert").filter(has_text="评分已提交")).to_be_visible()
    sheet_a.refresh_from_db()
    assert sheet_a.submitted_at is not None
    assert str(sheet_a.total) == "77.50"  # 95 × 30% + 70 × 70%
    expect(page.locator("main")).to_contain_text("已提交")
    expect(page.locator("main")).to_contain_text(f"加权总分 {sheet_a.total}")
    # The scores are locked: no scoring form, only the report of a late conflict to staff.
    expect(page.locator("main form.portal-form:not([action])")).to_have_count(0)
    expect(page.locator("main form.portal-form[action]")).to_contain_text("报告利益冲突")
    expect(page.get_by_role("button", name="检查并提交")).to_have_count(0)
    expect(
        page.locator("main form:not([action]) textarea, main form:not([action]) input[type=number]")
    ).to_have_count(0)
    _shot(page, "sheet-submitted-desktop")

    # 3. Panelist B cannot open A's sheet: it does not exist for them.
    other = new_context().new_page()
    _log_in(other, live_server.url, panelist_b)
    response = other.goto(f"{live_server.url}/selection/sheets/{sheet_a.pk}/")
    assert response.status == 404
    expect(other.get_by_role("heading", level=1)).to_have_text("页面不存在")
    expect(other.locator("body")).not_to_contain_text(_code(app_a))

    # 4. At phone width B's own sheet does not scroll sideways.
    phone = new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, storage_state=other.context.storage_state()
    ).new_page()
    phone.goto(f"{live_server.url}/selection/panel/")
    expect(phone.get_by_role("link", name=_code(app_b))).to_be_visible()
    _shot(phone, "tasks-phone")
    phone.get_by_role("link", name=_code(app_b)).click()
    expect(phone.get_by_label(re.compile(rf"^{first.name}（满分"))).to_be_visible()
    _shot(phone, "sheet-phone")
    widths = phone.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,"
        " client: document.documentElement.clientWidth})"
    )
    assert widths["inner"] == PHONE["width"], f"page zoomed out to fit overflow: {widths}"
    assert widths["scroll"] <= widths["inner"] + 1, f"sheet overflows sideways: {widths}"
    # A refused submit on the phone lands on the bad field, not 2,500 px above it.
    phone.get_by_label(re.compile(rf"^{first.name}（满分")).fill("95")
    phone.get_by_role("button", name="检查并提交").click()
    bad = phone.locator(f"#id_comment_{first.pk}")
    expect(bad).to_be_focused()
    expect(bad).to_be_in_viewport()
    _shot(phone, "sheet-error-phone")

    # No browser dialog: the confirmation is a page state after the server's checks.
    assert dialogs == [], dialogs
