"""A round's settings are validated as a whole, and every transition checks its
preconditions and names each one that fails."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from config.errors import DomainError
from selection.choices import ApplicationStatus, RoundStatus
from selection.models import ScoreSheet, SelectionRound, TierRule
from selection.services import panel as panel_services
from selection.services import rounds as round_services
from selection.services import tiering
from selection.services.review import review_application
from selection.services.round_checks import settings_problems
from tests.factories import BureauUserFactory, UserFactory, region
from tests.selection.helpers import (
    close_window,
    eligible_application,
    make_round,
    panel_round,
    ready_application,
    score_sheet,
)

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(datetime.datetime(2026, 3, 1, 9, 0))


def valid_settings(**overrides):
    values = {
        "application_opens_at": NOW,
        "application_closes_at": NOW + datetime.timedelta(days=30),
        "review_opens_on": datetime.date(2026, 4, 1),
        "review_closes_on": datetime.date(2026, 4, 30),
        "notice_days": 5,
        "indicator_weight": Decimal("40"),
        "panel_weight": Decimal("60"),
        "pass_mark": Decimal("60"),
        "panelists_per_application": 5,
        "max_per_panelist": 40,
        "outlier_spread": Decimal("25"),
    }
    return SimpleNamespace(**{**values, **overrides})


def test_valid_settings_have_no_problem():
    assert settings_problems(valid_settings()) == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"application_closes_at": NOW}, "application_closes_at"),
        ({"application_closes_at": NOW - datetime.timedelta(hours=1)}, "application_closes_at"),
        ({"review_opens_on": datetime.date(2026, 3, 31)}, "review_opens_on"),  # deadline day
        ({"review_opens_on": datetime.date(2026, 3, 20)}, "review_opens_on"),
        ({"review_closes_on": datetime.date(2026, 3, 31)}, "review_closes_on"),
        ({"notice_days": 4}, "notice_days"),
        (
            {
                "notice_starts_on": datetime.date(2026, 5, 10),
                "notice_ends_on": datetime.date(2026, 5, 9),
            },
            "notice_days",
        ),
        ({"notice_starts_on": datetime.date(2026, 3, 15)}, "notice_days"),  # before deadline
        ({"indicator_weight": Decimal("50")}, "panel_weight"),
        ({"indicator_weight": Decimal("-10"), "panel_weight": Decimal("110")}, "panel_weight"),
        ({"pass_mark": Decimal("100.01")}, "pass_mark"),
        ({"pass_mark": Decimal("-1")}, "pass_mark"),
        ({"panelists_per_application": 0}, "panelists_per_application"),
        ({"max_per_panelist": 0}, "max_per_panelist"),
        ({"outlier_spread": Decimal("0")}, "outlier_spread"),
        ({"outlier_spread": Decimal("101")}, "outlier_spread"),
    ],
)
def test_contradicting_settings_are_named_on_their_field(overrides, field):
    assert [f for f, _message in settings_problems(valid_settings(**overrides))] == [field]


@pytest.mark.parametrize(
    "overrides",
    [
        {"review_opens_on": datetime.date(2026, 4, 1)},  # the day after the deadline
        {"review_closes_on": datetime.date(2026, 4, 1)},  # a one-day review
        {"notice_days": 5},
        {
            "notice_starts_on": datetime.date(2026, 5, 4),
            "notice_ends_on": datetime.date(2026, 5, 8),
        },
        {"indicator_weight": Decimal("0"), "panel_weight": Decimal("100")},
        {"pass_mark": Decimal("100")},
        {"panelists_per_application": 1, "max_per_panelist": 1},
        {"outlier_spread": Decimal("100")},
    ],
)
def test_settings_on_the_edge_are_accepted(overrides):
    assert settings_problems(valid_settings(**overrides)) == []


def test_update_round_refuses_every_contradiction_at_once_and_changes_nothing():
    selection_round = make_round(status=RoundStatus.DRAFT)
    with pytest.raises(DomainError) as refused:
        round_services.update_round(
            selection_round,
            actor=selection_round.created_by,
            review_opens_on=selection_round.application_closes_at.date(),
            notice_days=2,
        )
    assert "评审开始日期应晚于申报截止日期" in refused.value.message
    assert "公示期不少于 5 个工作日" in refused.value.message
    selection_round.refresh_from_db()
    assert selection_round.notice_days == 5


def _round_form_data(client, selection_round, **changes):
    form = client.get(reverse("selection:round-edit", args=[selection_round.pk])).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items() if v is not False}
    for name in ("application_opens_at", "application_closes_at"):
        data[name] = timezone.localtime(getattr(selection_round, name)).strftime("%Y-%m-%dT%H:%M")
    return {**data, **changes}


def test_round_form_shows_each_problem_beside_its_field(client):
    selection_round = make_round(status=RoundStatus.DRAFT)
    client.force_login(selection_round.created_by)
    closes = timezone.localtime(selection_round.application_closes_at)
    data = _round_form_data(
        client,
        selection_round,
        review_opens_on=closes.date().isoformat(),
        review_closes_on=(closes.date() - datetime.timedelta(days=1)).isoformat(),
        max_per_panelist="0",
    )
    response = client.post(reverse("selection:round-edit", args=[selection_round.pk]), data)
    errors = response.context["form"].errors
    assert errors["review_opens_on"] == ["评审开始日期应晚于申报截止日期。"]
    assert errors["review_closes_on"] == ["评审截止日期不能早于评审开始日期。"]
    assert errors["max_per_panelist"] == ["每位专家最多评审份数至少为 1。"]
    selection_round.refresh_from_db()
    assert selection_round.max_per_panelist == 40


def _tier_rows(**overrides):
    row = {
        "tier": "growth",
        "category": "",
        "min_final_score": Decimal("75"),
        "min_revenue": None,
        "min_age_years": 2,
        "max_age_years": None,
        "quota": None,
    }
    return [{**row, **overrides}]


def test_tier_rule_minimum_age_above_maximum_is_refused():
    selection_round = make_round(status=RoundStatus.DRAFT)
    before = list(selection_round.tier_rules.values_list("tier", flat=True))
    with pytest.raises(DomainError, match="最低成立年限（5 年）不能高于最高成立年限（3 年）"):
        round_services.replace_tier_rules(
            selection_round,
            actor=selection_round.created_by,
            rows=_tier_rows(min_age_years=5, max_age_years=3),
        )
    with pytest.raises(DomainError, match="名额至少为 1"):
        round_services.replace_tier_rules(
            selection_round, actor=selection_round.created_by, rows=_tier_rows(quota=0)
        )
    assert list(selection_round.tier_rules.values_list("tier", flat=True)) == before
    round_services.replace_tier_rules(
        selection_round,
        actor=selection_round.created_by,
        rows=_tier_rows(min_age_years=3, max_age_years=3, quota=10),
    )
    assert selection_round.tier_rules.get().max_age_years == 3


def test_opening_lists_every_configuration_problem():
    selection_round = make_round(status=RoundStatus.DRAFT)
    TierRule.objects.filter(round=selection_round, tier="growth").update(max_age_years=1)
    SelectionRound.objects.filter(pk=selection_round.pk).update(
        application_closes_at=timezone.now() - datetime.timedelta(hours=1)
    )
    selection_round.checklist.all().delete()
    with pytest.raises(DomainError) as refused:
        round_services.set_round_status(
            selection_round, RoundStatus.OPEN, actor=selection_round.created_by
        )
    message = refused.value.message
    assert message.startswith("轮次不能进入“申报中”：")
    assert "最低成立年限（2 年）不能高于最高成立年限（1 年）" in message
    assert "尚未设置形式审查要点" in message
    assert "申报截止时间已过" in message
    selection_round.refresh_from_db()
    assert selection_round.status == RoundStatus.DRAFT


def test_formal_review_waits_for_the_deadline():
    selection_round = make_round(status=RoundStatus.OPEN)
    bureau = selection_round.created_by
    with pytest.raises(DomainError, match="申报尚未截止"):
        round_services.set_round_status(selection_round, RoundStatus.FORMAL_REVIEW, actor=bureau)
    assert SelectionRound.objects.get(pk=selection_round.pk).status == RoundStatus.OPEN
    close_window(selection_round)
    moved = round_services.set_round_status(
        selection_round, RoundStatus.FORMAL_REVIEW, actor=bureau
    )
    assert moved.status == RoundStatus.FORMAL_REVIEW


def test_panel_review_names_every_failing_precondition_then_opens_when_all_hold():
    selection_round = make_round(status=RoundStatus.OPEN)
    bureau = selection_round.created_by
    eligible_application(selection_round)
    waiting, waiting_member = ready_application(selection_round)
    from selection.services import applications as app_services

    waiting = app_services.submit_application(waiting, actor=waiting_member, declaration=True)
    returned, returned_member = ready_application(selection_round)
    returned = app_services.submit_application(returned, actor=returned_member, declaration=True)
    items = {item.pk: (True, "") for item in selection_round.checklist.all()}
    first = next(iter(items))
    review_application(
        returned, actor=bureau, outcome="returned", items={**items, first: (False, "请补充。")}
    )
    close_window(selection_round)
    selection_round = round_services.set_round_status(
        selection_round, RoundStatus.FORMAL_REVIEW, actor=bureau
    )
    with pytest.raises(DomainError) as refused:
        round_services.set_round_status(selection_round, RoundStatus.PANEL_REVIEW, actor=bureau)
    message = refused.value.message
    assert "专家组有 0 位专家，少于每份申请所需的 5 位" in message
    assert "还有 1 份申请待形式审查" in message
    assert "还有 1 份退回修改的申请尚未重新提交或撤回" in message
    assert SelectionRound.objects.get(pk=selection_round.pk).status == RoundStatus.FORMAL_REVIEW

    review_application(waiting, actor=bureau, outcome="eligible", items=items)
    app_services.withdraw_application(returned, actor=returned_member, reason="不再申报。")
    for n in range(5):
        panel_services.add_panel_member(
            selection_round, actor=bureau, user=UserFactory(role="panelist"),
            affiliation=["government", "enterprise", "research", "investment", "university"][n],
        )  # fmt: skip
    moved = round_services.set_round_status(selection_round, RoundStatus.PANEL_REVIEW, actor=bureau)
    assert moved.status == RoundStatus.PANEL_REVIEW


def test_tiering_waits_for_every_sheet_and_every_conflict_report():
    selection_round, apps, members = panel_round(applications=2, panelists=3, k=3)
    bureau = selection_round.created_by
    panel_services.auto_assign(selection_round, actor=bureau)
    sheets = list(ScoreSheet.objects.order_by("id"))
    for sheet in sheets[:-1]:
        score_sheet(sheet, 80)
    with pytest.raises(DomainError) as refused:
        round_services.set_round_status(selection_round, RoundStatus.TIERING, actor=bureau)
    assert "还有 1 份评分表未提交" in refused.value.message
    assert "还有 1 份申请未完成评审（提交评分的专家少于 3 位）" in refused.value.message
    score_sheet(sheets[-1], 80)
    member = sheets[0].assignment.panel_member
    panel_services.report_conflict(
        member, actor=member.user, application=sheets[0].assignment.application,
        kind="relative", detail="亲属在该企业任职。",
    )  # fmt: skip
    with pytest.raises(DomainError, match="还有 1 份利益冲突报告待处理"):
        round_services.set_round_status(selection_round, RoundStatus.TIERING, actor=bureau)
    report = member.conflict_reports.get()
    panel_services.decide_conflict_report(report, actor=bureau, upheld=False, reason="不构成冲突")
    moved = round_services.set_round_status(selection_round, RoundStatus.TIERING, actor=bureau)
    assert moved.status == RoundStatus.TIERING
    assert set(moved.applications.values_list("status", flat=True)) == {ApplicationStatus.SCORED}


def _tiered():
    from tests.selection.helpers import tiering_round

    selection_round, apps = tiering_round([[92] * 3], panelists=3)
    with TestCase.captureOnCommitCallbacks(execute=True):
        tiering.start_tiering(selection_round, actor=selection_round.created_by)
    return selection_round


def test_notice_needs_confirmed_results():
    selection_round = _tiered()
    bureau = selection_round.created_by
    with pytest.raises(DomainError) as refused:
        round_services.set_round_status(selection_round, RoundStatus.NOTICE, actor=bureau)
    assert "分级结果尚未确认" in refused.value.message
    assert "还有 1 份申请的结果尚未确认" in refused.value.message
    confirmed = tiering.confirm_results(selection_round, actor=bureau)
    assert confirmed.status == RoundStatus.NOTICE


def test_closing_waits_for_the_end_of_the_notice_and_its_objections():
    selection_round = _tiered()
    bureau = selection_round.created_by
    selection_round = tiering.confirm_results(selection_round, actor=bureau)
    with pytest.raises(DomainError) as refused:
        round_services.set_round_status(selection_round, RoundStatus.CLOSED, actor=bureau)
    assert "尚未期满" in refused.value.message
    assert "还有 1 份已确认的结果尚未入库" in refused.value.message
    assert SelectionRound.objects.get(pk=selection_round.pk).status == RoundStatus.NOTICE


def test_the_transition_page_shows_the_reasons_and_outsiders_cannot_move_the_round(client):
    selection_round = make_round(status=RoundStatus.OPEN)
    url = reverse("selection:round-transition", args=[selection_round.pk])
    client.force_login(selection_round.created_by)
    response = client.post(url, {"status": RoundStatus.FORMAL_REVIEW})
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(shown) == 1 and "申报尚未截止" in shown[0]
    close_window(selection_round)
    for outsider in (BureauUserFactory(region=region("110000")), UserFactory(role="panelist")):
        client.force_login(outsider)
        client.post(url, {"status": RoundStatus.FORMAL_REVIEW})
    assert SelectionRound.objects.get(pk=selection_round.pk).status == RoundStatus.OPEN


def test_round_page_lists_what_blocks_the_next_step_for_its_managers_only(client):
    selection_round = make_round(status=RoundStatus.OPEN)
    url = reverse("selection:round-detail", args=[selection_round.pk])
    client.force_login(selection_round.created_by)
    body = client.get(url).content.decode()
    assert "进入“形式审查”前需要处理" in body and "申报尚未截止" in body
    close_window(selection_round)
    assert "前需要处理" not in client.get(url).content.decode()
    child = BureauUserFactory(region=region("330100"))  # sees the province's round, read-only
    SelectionRound.objects.filter(pk=selection_round.pk).update(
        application_closes_at=timezone.now() + datetime.timedelta(days=1)
    )
    client.force_login(child)
    response = client.get(url)
    assert response.status_code == 200 and response.context["blockers"] == []
