"""Reassign after a recusal and the "add member" control at scale (issue #14): an upheld
conflict report withdraws a sheet, staff have a replacement assigned by auto_assign's
rules; the control lists at most 20 panelists, found by search."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from config.errors import DomainError
from notifications.models import Notification
from selection.choices import ApplicationStatus
from selection.models import Assignment, ConflictReport, ScoreSheet
from selection.services import conflicts as conflict_services
from selection.services import panel as panel_services
from tests.factories import UserFactory, enterprise_user
from tests.query_budget import queries_of_get
from tests.selection.helpers import panel_round, score_sheet

pytestmark = pytest.mark.django_db

CONFLICT = {"kind": "relative", "detail": "配偶在该企业任财务总监。"}


def recused(*, panelists=5, k=3):
    """One application scored by k experts, one of whose sheets an upheld report withdrew."""
    selection_round, (application,), members = panel_round(applications=1, panelists=panelists, k=k)
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    sheets = list(ScoreSheet.objects.filter(assignment__application=application).order_by("id"))
    for sheet in sheets:
        score_sheet(sheet, 80)
    conflicted = sheets[0].assignment.panel_member
    report = conflict_services.report_conflict(
        conflicted, actor=conflicted.user, application=application, **CONFLICT
    )
    conflict_services.decide_conflict_report(
        ConflictReport.objects.get(pk=report.pk),
        actor=selection_round.created_by,
        upheld=True,
        reason="近亲属关系属实。",
    )
    application.refresh_from_db()
    assert (application.sheets_assigned, application.status) == (k - 1, "under_review")
    return selection_round, application, members, conflicted


def test_replacement_is_a_free_expert_never_the_conflicted_one(client):
    selection_round, application, members, conflicted = recused(panelists=5, k=3)
    staff = selection_round.created_by
    client.force_login(staff)
    page = client.get(reverse("selection:panel-manage", args=[selection_round.pk]))
    replace = reverse("selection:assignment-replace", args=[selection_round.pk, application.pk])
    assert replace in page.text and "补派替代专家" in page.text
    response = client.post(replace)
    assert response.status_code == 302
    new = Assignment.objects.filter(application=application).exclude(
        sheet__submitted_at__isnull=False
    )
    assert new.count() == 1
    replacement = new.get().panel_member
    assert replacement != conflicted and replacement.removed_at is None
    application.refresh_from_db()
    assert application.sheets_assigned == 3
    event = AuditEvent.objects.get(action="panel.replacement_assigned")
    assert event.actor == staff and event.after == {"panelists": [replacement.user.full_name]}
    assert Notification.objects.filter(recipient=replacement.user).exists()
    score_sheet(new.get().sheet, 70)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SCORED


def test_no_free_expert_refuses_and_changes_nothing():
    selection_round, application, _members, _conflicted = recused(panelists=3, k=3)
    before = Assignment.objects.count()
    with pytest.raises(DomainError, match="没有可补派的专家"):
        panel_services.assign_replacement(application, actor=selection_round.created_by)
    assert Assignment.objects.count() == before
    assert not AuditEvent.objects.filter(action="panel.replacement_assigned").exists()


def test_only_the_rounds_managers_assign_a_replacement(client):
    selection_round, application, _members, _conflicted = recused()
    replace = reverse("selection:assignment-replace", args=[selection_round.pk, application.pk])
    client.force_login(enterprise_user(application.enterprise))
    assert client.post(replace).status_code == 403
    with pytest.raises(DomainError):
        panel_services.assign_replacement(application, actor=UserFactory(role="panelist"))
    assert Assignment.objects.filter(application=application).count() == 2


def test_add_member_control_lists_20_panelists_and_finds_others_by_search(client):
    selection_round, _apps, _members = panel_round(applications=1, panelists=3)
    for n in range(30):
        UserFactory(role="panelist", full_name=f"候选专家{n:02d}")
    UserFactory(role="panelist", full_name="欧阳明远")
    client.force_login(selection_round.created_by)
    page = client.get(reverse("selection:panel-manage", args=[selection_round.pk]))
    assert len(page.context["candidates"]) == 20
    assert page.context["candidate_total"] == 31
    assert page.text.count('name="user"') == 20
    assert "欧阳明远" not in page.text
    found = client.get(
        reverse("selection:panel-candidates", args=[selection_round.pk]), {"member_q": "欧阳"}
    )
    assert found.status_code == 200
    assert [u.full_name for u in found.context["candidates"]] == ["欧阳明远"]
    assert 'name="user"' in found.text and "<html" not in found.text
    # Without scripts: the search is a GET of the panel page itself.
    page = client.get(
        reverse("selection:panel-manage", args=[selection_round.pk]), {"member_q": "欧阳"}
    )
    assert [u.full_name for u in page.context["candidates"]] == ["欧阳明远"]
    # Members already seated are never offered.
    seated = set(selection_round.panel_members.values_list("user_id", flat=True))
    listed = client.get(
        reverse("selection:panel-candidates", args=[selection_round.pk]), {"member_q": "专家"}
    )
    assert len(seated) == 3 and not seated & {u.pk for u in listed.context["candidates"]}


def test_adding_a_searched_panelist(client):
    selection_round, _apps, _members = panel_round(applications=1, panelists=3)
    wanted = UserFactory(role="panelist", full_name="欧阳明远")
    client.force_login(selection_round.created_by)
    url = reverse("selection:panel-manage", args=[selection_round.pk])
    response = client.post(url, {"user": wanted.pk, "affiliation": "investment"})
    assert response.status_code == 302
    assert selection_round.panel_members.filter(user=wanted).exists()
    refused = client.post(url, {"user": "", "affiliation": "investment"})
    assert refused.status_code == 200 and refused.context["form"].errors["user"]


def test_candidates_cost_the_same_with_5_and_60_panelists(client):
    selection_round, _apps, _members = panel_round(applications=1, panelists=3)
    client.force_login(selection_round.created_by)
    url = reverse("selection:panel-candidates", args=[selection_round.pk])
    for n in range(5):
        UserFactory(role="panelist", full_name=f"候选专家{n:02d}")
    few = queries_of_get(client, url)
    for n in range(55):
        UserFactory(role="panelist", full_name=f"更多专家{n:02d}")
    assert queries_of_get(client, url) == few + 1  # the count, once the list is cut at 20
