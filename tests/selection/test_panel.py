from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from config.errors import DomainError
from registry.models import Membership
from selection.choices import ApplicationStatus
from selection.models import Assignment, ConflictOfInterest, ScoreRevision, ScoreSheet
from selection.selectors import outliers, panel_overview
from selection.services import panel as panel_services
from selection.services import scoring
from tests.factories import UserFactory
from tests.selection.helpers import panel_round

pytestmark = pytest.mark.django_db


def score_all(sheet, user, value):
    criteria = sheet.assignment.application.round.criteria.all()
    values = {c.pk: (Decimal(value) * c.max_score / 100, "理由充分") for c in criteria}
    scoring.save_scores(sheet, actor=user, values=values)
    return scoring.submit_sheet(sheet, actor=user)


def test_pillar_warning_lists_what_is_missing():
    selection_round, _apps, _members = panel_round(panelists=2, k=2)  # government + enterprise
    assert panel_services.missing_pillars(selection_round) == ["创新", "投资"]


def test_only_panelist_accounts_can_join_the_panel():
    selection_round, _apps, _members = panel_round(panelists=1, k=1)
    with pytest.raises(DomainError, match="遴选培育组专家"):
        panel_services.add_panel_member(
            selection_round,
            actor=selection_round.created_by,
            user=UserFactory(role="institution"),
            affiliation="investment",
        )


def test_auto_assign_gives_k_balanced_panelists_and_moves_to_under_review():
    selection_round, apps, members = panel_round(applications=4, panelists=6, k=3)
    result = panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    assert result.shortfalls == {}
    for application in apps:
        application.refresh_from_db()
        assert application.status == ApplicationStatus.UNDER_REVIEW
        assert application.assignments.count() == 3
    loads = [m.expected for m in panel_overview(selection_round)]
    assert max(loads) - min(loads) <= 1
    assert ScoreSheet.objects.count() == 12


def test_detected_conflict_is_never_assigned_and_hidden_everywhere(client):
    selection_round, apps, members = panel_round(applications=2, panelists=4, k=3)
    conflicted_member = members[0]
    Membership.objects.create(
        user=conflicted_member.user, enterprise=apps[0].enterprise, status="rejected"
    )  # once worked there: the data reveal it
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    conflict = ConflictOfInterest.objects.get(panel_member=conflicted_member)
    assert conflict.enterprise == apps[0].enterprise
    assert not Assignment.objects.filter(
        application=apps[0], panel_member=conflicted_member
    ).exists()
    client.force_login(conflicted_member.user)
    assert client.get(reverse("selection:application-detail", args=[apps[0].pk])).status_code == 404
    assert client.get(f"/api/v1/applications/{apps[0].pk}/").status_code == 404
    listed = [row["id"] for row in client.get("/api/v1/applications/").json()["results"]]
    assert apps[0].pk not in listed


def test_declared_conflict_removes_the_assignment_and_cannot_be_dismissed(client):
    selection_round, apps, members = panel_round(applications=1, panelists=3, k=3)
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    member = members[1]
    sheet = ScoreSheet.objects.get(assignment__panel_member=member)
    client.force_login(member.user)
    response = client.post(
        reverse("selection:conflict-declare", args=[sheet.pk]),
        {"kind": "relative", "detail": "该企业法定代表人是我的表兄"},
    )
    assert response.status_code == 302
    assert not Assignment.objects.filter(panel_member=member).exists()
    assert client.get(reverse("selection:sheet-detail", args=[sheet.pk])).status_code == 404
    conflict = ConflictOfInterest.objects.get(panel_member=member)
    with pytest.raises(DomainError, match="不能排除"):
        panel_services.dismiss_conflict(conflict, actor=selection_round.created_by, reason="不成立")


def test_staff_dismiss_a_detected_conflict_with_a_reason():
    selection_round, apps, members = panel_round(applications=1, panelists=3, k=3)
    Membership.objects.create(
        user=members[0].user, enterprise=apps[0].enterprise, status="rejected"
    )
    panel_services.detect_conflicts(selection_round)
    conflict = ConflictOfInterest.objects.get()
    with pytest.raises(DomainError, match="理由"):
        panel_services.dismiss_conflict(conflict, actor=selection_round.created_by, reason=" ")
    panel_services.dismiss_conflict(
        conflict, actor=selection_round.created_by, reason="加入申请被拒，从未在该企业任职"
    )
    assert AuditEvent.objects.filter(action="panel.conflict_dismissed").exists()
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    assert Assignment.objects.filter(panel_member=members[0], application=apps[0]).exists()


def test_blind_scoring_panelist_b_gets_404_on_a_sheet(client):
    selection_round, apps, members = panel_round(applications=1, panelists=3, k=3)
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    sheet_a = ScoreSheet.objects.get(assignment__panel_member=members[0])
    client.force_login(members[1].user)
    assert client.get(reverse("selection:sheet-detail", args=[sheet_a.pk])).status_code == 404
    own = ScoreSheet.objects.get(assignment__panel_member=members[1])
    assert client.get(reverse("selection:sheet-detail", args=[own.pk])).status_code == 200
    with pytest.raises(DomainError, match="本人"):
        scoring.save_scores(sheet_a, actor=members[1].user, values={})


def test_hidden_names_never_reach_the_panelist(client):
    selection_round, apps, members = panel_round(applications=1, panelists=3, k=3, hide_names=True)
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    name = apps[0].enterprise.name
    client.force_login(members[0].user)
    sheet = ScoreSheet.objects.get(assignment__panel_member=members[0])
    for url in (
        reverse("selection:panel-home"),
        reverse("selection:sheet-detail", args=[sheet.pk]),
    ):
        body = client.get(url).content.decode()
        assert name not in body
        assert f"A-{selection_round.year}-{apps[0].pk:05d}" in body
    api = client.get(f"/api/v1/applications/{apps[0].pk}/").json()
    assert api["enterprise"] is None and name not in str(api)
    detail = client.get(reverse("selection:application-detail", args=[apps[0].pk]))
    assert detail.status_code == 302  # to the sheet, where the name is hidden


def test_score_rules_history_and_lock():
    selection_round, apps, members = panel_round(applications=1, panelists=3, k=3)
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    member = members[0]
    sheet = ScoreSheet.objects.get(assignment__panel_member=member)
    criterion = selection_round.criteria.first()
    with pytest.raises(DomainError, match="0 到 100"):
        scoring.save_scores(sheet, actor=member.user, values={criterion.pk: (Decimal("101"), "")})
    scoring.save_scores(sheet, actor=member.user, values={criterion.pk: (Decimal("70"), "")})
    scoring.save_scores(sheet, actor=member.user, values={criterion.pk: (Decimal("75"), "")})
    assert list(ScoreRevision.objects.values_list("old_value", "new_value")) == [
        (None, Decimal("70.00")),
        (Decimal("70.00"), Decimal("75.00")),
    ]
    with pytest.raises(DomainError, match="未评分"):
        scoring.submit_sheet(sheet, actor=member.user)
    submitted = score_all(sheet, member.user, 80)
    assert submitted.total == Decimal("80.00")
    with pytest.raises(DomainError, match="已提交"):
        scoring.save_scores(sheet, actor=member.user, values={criterion.pk: (Decimal("60"), "")})


def test_last_sheet_marks_application_scored_and_outliers_flagged():
    selection_round, apps, members = panel_round(applications=1, panelists=3, k=3)
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    totals = [85, 80, 30]
    for member, total in zip(members, totals, strict=True):
        score_all(ScoreSheet.objects.get(assignment__panel_member=member), member.user, total)
    apps[0].refresh_from_db()
    assert apps[0].status == ApplicationStatus.SCORED
    flagged_apps, flagged_members = outliers(selection_round)
    assert flagged_apps == [{"application_id": apps[0].pk, "spread": Decimal("55.00")}]
    assert [m["panel_member_id"] for m in flagged_members] == [members[2].pk]


def test_progress_counts_on_the_panel_page(client):
    selection_round, apps, members = panel_round(applications=2, panelists=3, k=3)
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    score_all(
        ScoreSheet.objects.filter(assignment__panel_member=members[0]).first(), members[0].user, 70
    )
    overview = {m.pk: (m.done, m.expected) for m in panel_overview(selection_round)}
    assert overview[members[0].pk] == (1, 2)
    client.force_login(selection_round.created_by)
    assert (
        client.get(reverse("selection:panel-manage", args=[selection_round.pk])).status_code == 200
    )
    client.force_login(members[0].user)
    assert (
        client.get(reverse("selection:panel-manage", args=[selection_round.pk])).status_code == 404
    )


def test_manual_assignment_respects_conflicts():
    selection_round, apps, members = panel_round(applications=1, panelists=2, k=1)
    Membership.objects.create(
        user=members[0].user, enterprise=apps[0].enterprise, status="rejected"
    )
    panel_services.detect_conflicts(selection_round)
    with pytest.raises(DomainError, match="利益冲突"):
        panel_services.assign_manually(apps[0], actor=selection_round.created_by, member=members[0])
    assignment = panel_services.assign_manually(
        apps[0], actor=selection_round.created_by, member=members[1]
    )
    assert assignment.sheet is not None


def test_score_sheet_api_is_blind(client):
    selection_round, apps, members = panel_round(applications=1, panelists=3, k=3)
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    own = ScoreSheet.objects.get(assignment__panel_member=members[0])
    other = ScoreSheet.objects.get(assignment__panel_member=members[1])
    client.force_login(members[0].user)
    assert [row["id"] for row in client.get("/api/v1/score-sheets/").json()["results"]] == [own.pk]
    assert client.get(f"/api/v1/score-sheets/{other.pk}/").status_code == 404
    client.force_login(selection_round.created_by)
    assert client.get("/api/v1/score-sheets/").json()["count"] == 3
    here = client.get("/api/v1/score-sheets/", {"round": selection_round.pk}).json()["count"]
    elsewhere = client.get("/api/v1/score-sheets/", {"round": selection_round.pk + 1000})
    assert (here, elsewhere.json()["count"]) == (3, 0)
    client.force_login(apps[0].enterprise.memberships.get().user)
    assert client.get("/api/v1/score-sheets/").json()["count"] == 0


def test_staff_adjust_assignments_by_hand_through_the_page(client):
    selection_round, apps, members = panel_round(applications=1, panelists=3, k=2)
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    assigned = Assignment.objects.filter(application=apps[0]).first()
    taken = set(
        Assignment.objects.filter(application=apps[0]).values_list("panel_member", flat=True)
    )
    spare = next(m for m in members if m.pk not in taken)
    client.force_login(selection_round.created_by)
    client.post(reverse("selection:assignment-remove", args=[selection_round.pk, assigned.pk]))
    assert not Assignment.objects.filter(pk=assigned.pk).exists()
    client.post(
        reverse("selection:assignment-add", args=[selection_round.pk, apps[0].pk]),
        {"member": spare.pk},
    )
    assert Assignment.objects.filter(application=apps[0], panel_member=spare).exists()
    client.force_login(members[0].user)
    response = client.post(
        reverse("selection:assignment-add", args=[selection_round.pk, apps[0].pk]),
        {"member": spare.pk},
    )
    assert response.status_code == 404


def test_a_draft_may_lack_comments_and_a_saved_value_can_be_cleared():
    selection_round, apps, members = panel_round(applications=1, panelists=3, k=3)
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    member = members[0]
    sheet = ScoreSheet.objects.get(assignment__panel_member=member)
    first, *others = selection_round.criteria.all()
    scoring.save_scores(sheet, actor=member.user, values={first.pk: (Decimal("95"), "")})
    assert sheet.scores.get().value == Decimal("95.00")  # saved without its comment
    for c in others:
        scoring.save_scores(sheet, actor=member.user, values={c.pk: (c.max_score * 7 / 10, "")})
    missing, problems = scoring.submission_problems(sheet)
    assert missing == [] and list(problems) == [first.pk]
    with pytest.raises(DomainError, match="请填写评语"):
        scoring.submit_sheet(sheet, actor=member.user)
    assert ScoreSheet.objects.get(pk=sheet.pk).submitted_at is None
    scoring.save_scores(sheet, actor=member.user, values={first.pk: (None, "")})
    assert not sheet.scores.filter(criterion=first).exists()
    assert ScoreRevision.objects.filter(criterion=first).last().new_value is None
    missing, _problems = scoring.submission_problems(sheet)
    assert missing == [first.name]


def _sheet_post(sheet, criteria, value, comment=""):
    data = {"submit": "1"}
    for c in criteria:
        data[f"value_{c.pk}"] = str(c.max_score * Decimal(value) / 100)
        data[f"comment_{c.pk}"] = comment
    return data


def test_a_refused_submit_lists_its_problems_at_the_top_and_marks_the_field(client):
    selection_round, apps, members = panel_round(applications=1, panelists=3, k=3)
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    sheet = ScoreSheet.objects.get(assignment__panel_member=members[0])
    criteria = list(selection_round.criteria.all())
    client.force_login(members[0].user)
    url = reverse("selection:sheet-detail", args=[sheet.pk])
    page = client.post(url, _sheet_post(sheet, criteria, 95)).content.decode()
    summary = page[
        page.index('id="sheet-errors"') : page.index("</ul>", page.index('id="sheet-errors"'))
    ]
    assert "请填写评语说明理由" in summary and f'href="#id_comment_{criteria[0].pk}"' in summary
    assert page.index('id="sheet-errors"') < page.index("主要经济指标")  # above the materials
    assert 'aria-invalid="true"' in page and "data-focus-first-error" in page
    sheet.refresh_from_db()
    assert sheet.submitted_at is None and sheet.scores.count() == len(criteria)  # kept as draft


def test_submit_asks_for_confirmation_only_after_the_checks_pass(client):
    selection_round, apps, members = panel_round(applications=1, panelists=3, k=3)
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    sheet = ScoreSheet.objects.get(assignment__panel_member=members[0])
    criteria = list(selection_round.criteria.all())
    client.force_login(members[0].user)
    url = reverse("selection:sheet-detail", args=[sheet.pk])
    checked = client.post(url, _sheet_post(sheet, criteria, 80, "理由充分"))
    assert checked.status_code == 302 and checked.url == f"{url}?confirm=1#confirm-submit"
    assert ScoreSheet.objects.get(pk=sheet.pk).submitted_at is None
    page = client.get(f"{url}?confirm=1").content.decode()
    assert "评分表已通过检查，加权总分 80.00" in page and 'name="confirm_submit"' in page
    client.post(url, {"confirm_submit": "1"})
    sheet.refresh_from_db()
    assert sheet.submitted_at is not None and sheet.total == Decimal("80.00")


def test_panelist_home_groups_waiting_sheets_by_round_with_the_deadline(client):
    selection_round, apps, members = panel_round(applications=2, panelists=3, k=3)
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    client.force_login(members[0].user)
    home = client.get(reverse("home")).content.decode()
    deadline = selection_round.review_closes_on.strftime("%Y-%m-%d")
    assert f"待评 2 · 已提交 0 · {deadline} 截止" in home
    assert "将列在这里" not in home
    tasks = client.get(reverse("selection:panel-home")).content.decode()
    assert tasks.count(f"评审截止 {deadline}") == 1 and selection_round.title in tasks
