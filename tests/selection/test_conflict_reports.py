"""A submitted sheet stays locked: a conflict raised afterwards goes to staff, who decide;
an application's review is complete only with the round's k submitted sheets."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from config.errors import DomainError
from notifications.models import Notification
from registry.models import Membership
from selection.choices import ApplicationStatus
from selection.models import Assignment, ConflictOfInterest, ConflictReport, ScoreSheet
from selection.services import panel as panel_services
from tests.factories import BureauUserFactory, UserFactory, enterprise_user, region
from tests.selection.helpers import panel_round, score_sheet

pytestmark = pytest.mark.django_db


def scored_round(*, panelists=4, k=3):
    """One application scored by k experts; `panelists - k` experts left free."""
    selection_round, (application,), members = panel_round(applications=1, panelists=panelists, k=k)
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    sheets = list(ScoreSheet.objects.filter(assignment__application=application).order_by("id"))
    for sheet in sheets:
        score_sheet(sheet, 80)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SCORED
    return selection_round, application, members, sheets


CONFLICT = {"kind": "relative", "detail": "配偶在该企业任财务总监。"}


def test_declaring_after_submission_by_the_hidden_post_keeps_the_sheet(client):
    selection_round, application, _members, sheets = scored_round()
    sheet = sheets[0]
    expert = sheet.assignment.panel_member.user
    client.force_login(expert)
    response = client.post(reverse("selection:conflict-declare", args=[sheet.pk]), CONFLICT)
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.is_submitted  # not cancelled
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SCORED
    assert not ConflictOfInterest.objects.exists()
    report = ConflictReport.objects.get()
    assert (report.status, report.reported_by, report.kind) == ("pending", expert, "relative")
    assert AuditEvent.objects.filter(action="panel.conflict_reported").count() == 1
    staff = selection_round.created_by
    assert Notification.objects.filter(recipient=staff, title__contains="报告利益冲突").exists()


def test_declare_conflict_service_refuses_a_submitted_sheet():
    _round, application, _members, sheets = scored_round()
    member = sheets[0].assignment.panel_member
    with pytest.raises(DomainError, match="评分表已提交"):
        panel_services.declare_conflict(
            member, actor=member.user, application=application, **CONFLICT
        )
    assert ScoreSheet.objects.filter(submitted_at__isnull=False).count() == 3
    assert not ConflictOfInterest.objects.exists()


def test_a_second_report_while_one_is_pending_is_refused():
    _round, application, _members, sheets = scored_round()
    member = sheets[0].assignment.panel_member
    panel_services.report_conflict(member, actor=member.user, application=application, **CONFLICT)
    with pytest.raises(DomainError, match="等待工作人员处理"):
        panel_services.report_conflict(
            member, actor=member.user, application=application, **CONFLICT
        )
    assert ConflictReport.objects.count() == 1


def test_only_the_expert_reports_their_own_conflict():
    _round, application, members, sheets = scored_round()
    member = sheets[0].assignment.panel_member
    other = next(m for m in members if m != member)
    with pytest.raises(DomainError, match="专家本人"):
        panel_services.report_conflict(
            member, actor=other.user, application=application, **CONFLICT
        )
    assert not ConflictReport.objects.exists()


def _report(application, sheet):
    member = sheet.assignment.panel_member
    return panel_services.report_conflict(
        member, actor=member.user, application=application, **CONFLICT
    )


def test_staff_upholding_withdraws_the_sheet_and_a_replacement_completes_the_review(client):
    selection_round, application, members, sheets = scored_round(panelists=4, k=3)
    report = _report(application, sheets[0])
    conflicted = sheets[0].assignment.panel_member
    staff = selection_round.created_by
    client.force_login(staff)
    response = client.post(
        reverse("selection:conflict-report-decide", args=[report.pk]),
        {"decision": "uphold", "reason": "近亲属关系属实。"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.decided_by) == ("upheld", staff)
    assert not ScoreSheet.objects.filter(pk=sheets[0].pk).exists()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW  # 2 of 3: not complete
    assert ConflictOfInterest.objects.active().filter(panel_member=conflicted).count() == 1
    assert AuditEvent.objects.filter(action="panel.sheet_withdrawn").count() == 1
    assert Notification.objects.filter(recipient=conflicted.user, title__contains="回避成立")
    page = client.get(reverse("selection:panel-manage", args=[selection_round.pk]))
    assert "2/3" in page.content.decode() and "需补充专家" in page.content.decode()

    add = reverse("selection:assignment-add", args=[selection_round.pk, application.pk])
    client.post(add, {"member": conflicted.pk})  # the conflicted expert is refused
    assert not Assignment.objects.filter(panel_member=conflicted).exists()
    free = next(m for m in members if not m.assignments.exists() and m != conflicted)
    client.post(add, {"member": free.pk})
    replacement = ScoreSheet.objects.get(assignment__panel_member=free)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    score_sheet(replacement, 70)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SCORED


def test_staff_dismissing_keeps_the_sheet(client):
    selection_round, application, _members, sheets = scored_round()
    report = _report(application, sheets[0])
    client.force_login(selection_round.created_by)
    client.post(
        reverse("selection:conflict-report-decide", args=[report.pk]),
        {"decision": "dismiss", "reason": "已离婚多年，不构成冲突。"},
    )
    report.refresh_from_db()
    assert report.status == "dismissed"
    assert ScoreSheet.objects.get(pk=sheets[0].pk).is_submitted
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SCORED


def test_a_decision_needs_a_reason():
    selection_round, application, _members, sheets = scored_round()
    report = _report(application, sheets[0])
    with pytest.raises(DomainError, match="理由"):
        panel_services.decide_conflict_report(
            report, actor=selection_round.created_by, upheld=True, reason=" "
        )
    report.refresh_from_db()
    assert report.status == "pending"
    assert ScoreSheet.objects.filter(pk=sheets[0].pk).exists()


def test_only_the_rounds_staff_decide_a_report(client):
    selection_round, application, members, sheets = scored_round()
    report = _report(application, sheets[0])
    url = reverse("selection:conflict-report-decide", args=[report.pk])
    for outsider in (
        sheets[0].assignment.panel_member.user,  # the reporter
        members[3].user,
        enterprise_user(application.enterprise),
        BureauUserFactory(region=region("310000")),
    ):
        client.force_login(outsider)
        response = client.post(url, {"decision": "uphold", "reason": "x"})
        assert response.status_code in (403, 404)
    report.refresh_from_db()
    assert report.status == "pending"
    assert ScoreSheet.objects.filter(pk=sheets[0].pk).exists()


def test_a_conflict_detected_after_submission_goes_to_staff_not_the_bin():
    selection_round, application, _members, sheets = scored_round()
    member = sheets[0].assignment.panel_member
    Membership.objects.create(
        user=member.user, enterprise=application.enterprise, status="rejected"
    )
    panel_services.detect_conflicts(selection_round)
    assert ScoreSheet.objects.get(pk=sheets[0].pk).is_submitted
    report = ConflictReport.objects.get()
    assert (report.panel_member, report.reported_by, report.status) == (member, None, "pending")
    panel_services.detect_conflicts(selection_round)  # idempotent
    assert ConflictReport.objects.count() == 1


def test_review_is_complete_only_with_k_submitted_sheets():
    selection_round, (application,), _members = panel_round(applications=1, panelists=3, k=3)
    staff = selection_round.created_by
    panel_services.auto_assign(selection_round, actor=staff)
    sheets = list(ScoreSheet.objects.filter(assignment__application=application).order_by("id"))
    panel_services.unassign(sheets[2].assignment, actor=staff)
    score_sheet(sheets[0], 80)
    score_sheet(sheets[1], 60)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW  # 2 submitted < k = 3


def test_an_open_sheet_conflict_is_still_declared_at_once():
    selection_round, (application,), members = panel_round(applications=1, panelists=4, k=3)
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    sheet = ScoreSheet.objects.filter(assignment__application=application).first()
    member = sheet.assignment.panel_member
    panel_services.declare_conflict(member, actor=member.user, application=application, **CONFLICT)
    assert not ScoreSheet.objects.filter(pk=sheet.pk).exists()
    assert not ConflictReport.objects.exists()


def test_api_agrees_with_the_pages_after_the_hidden_post(client):
    _round, application, _members, sheets = scored_round()
    expert = sheets[0].assignment.panel_member.user
    client.force_login(expert)
    client.post(reverse("selection:conflict-declare", args=[sheets[0].pk]), CONFLICT)
    listed = client.get("/api/v1/score-sheets/").json()["results"]
    assert [(row["id"], row["submitted_at"] is not None) for row in listed] == [
        (sheets[0].pk, True)
    ]
    client.force_login(_round.created_by)
    detail = client.get(f"/api/v1/applications/{application.pk}/").json()
    assert detail["status"] == ApplicationStatus.SCORED


def test_other_roles_cannot_file_reports_on_someone_elses_sheet(client):
    _round, application, members, sheets = scored_round()
    for user in (members[3].user, UserFactory(role="panelist")):
        client.force_login(user)
        response = client.post(reverse("selection:conflict-declare", args=[sheets[0].pk]), CONFLICT)
        assert response.status_code == 404
    assert not ConflictReport.objects.exists()
