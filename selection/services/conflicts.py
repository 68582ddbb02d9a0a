"""Conflicts of interest: detected from the data, declared by a panelist before they
submit, or raised after submission as a report that only staff decide."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import gettext_noop as N_

from accounts.services import staff_for_region
from audit.services import record_event
from config.errors import DomainError
from config.text_limits import fit_text
from notifications.messages import Message, label_of
from notifications.services import notify
from registry.models import Membership
from selection.choices import RoundStatus
from selection.models import Assignment, ConflictOfInterest, ConflictReport, ScoreSheet
from selection.models.panel import (
    ConflictKind,
    ConflictReportStatus,
    ConflictSource,
    ConflictStatus,
)
from selection.permissions import can_manage_round
from selection.services.notices import notify_panel
from selection.services.scoring import settle_review


def _require_manager(actor, selection_round):
    if not can_manage_round(actor, selection_round):
        raise DomainError(_("您无权管理该遴选轮次的专家组。"))


def _cross_round_pairs(selection_round, members) -> dict[tuple[int, int], str]:
    """(user id, enterprise id) -> other round's title, for the experts who review the
    same enterprise in a round of the opposite kind (named here, blind there or the
    reverse): the figures of the named sheet would tell them who the blind one is.
    A pair already assigned in this round is left alone (it was accepted when made)."""
    rows = (
        Assignment.objects.filter(
            panel_member__user__in=[m.user_id for m in members],
            application__enterprise__in=selection_round.applications.values("enterprise"),
        )
        .exclude(application__round=selection_round)
        .exclude(application__round__hide_enterprise_names=selection_round.hide_enterprise_names)
        .values_list(
            "panel_member__user_id", "application__enterprise_id", "application__round__title"
        )
    )
    here = set(
        Assignment.objects.filter(
            application__round=selection_round, panel_member__in=members
        ).values_list("panel_member__user_id", "application__enterprise_id")
    )
    return {
        (user, enterprise): title
        for user, enterprise, title in rows
        if (user, enterprise) not in here
    }


def detect_conflicts(selection_round, *, members=None) -> int:
    """Record the conflicts the data reveal (idempotent): the panelist works for the
    enterprise (a member of it), their organisation is the enterprise (same USCC or
    name), or they review the enterprise in another round named where this one is
    blind or the reverse. Returns how many new conflicts were found."""
    members = list(members or selection_round.panel_members.select_related("user__organisation"))
    enterprises = {a.enterprise for a in selection_round.applications.select_related("enterprise")}
    if not members or not enterprises:
        return 0
    employed = set(
        Membership.objects.filter(
            user__in=[m.user_id for m in members], enterprise__in=enterprises
        ).values_list("user_id", "enterprise_id")
    )
    found = []
    cross_round = _cross_round_pairs(selection_round, members)
    for member in members:
        organisation = member.user.organisation
        for enterprise in enterprises:
            if (member.user_id, enterprise.pk) in employed:
                found.append((member, enterprise, ConflictKind.EMPLOYMENT_OR_SHARES,
                              _("专家是该企业的注册成员。")))  # fmt: skip
            elif organisation and (
                (organisation.uscc and organisation.uscc == enterprise.uscc)
                or organisation.name == enterprise.name
            ):
                found.append((member, enterprise, ConflictKind.SAME_ORGANISATION,
                              _("专家所在单位即该企业。")))  # fmt: skip
            if (member.user_id, enterprise.pk) in cross_round:
                detail = _(
                    "专家在“%(round)s”中评审该企业，一轮实名、一轮隐名，对照可识别申请单位。"
                ) % {"round": cross_round[(member.user_id, enterprise.pk)]}
                found.append((member, enterprise, ConflictKind.CROSS_ROUND, detail[:300]))
    new = 0
    for member, enterprise, kind, detail in found:
        _conflict, created = ConflictOfInterest.objects.get_or_create(
            panel_member=member,
            enterprise=enterprise,
            kind=kind,
            defaults={"source": ConflictSource.DETECTED, "detail": detail},
        )
        new += created
    if new:
        _drop_conflicted_assignments(selection_round, actor=None)
    return new


def declare_conflict(member, *, actor, application, kind, detail) -> ConflictOfInterest:
    """A panelist declares a conflict before submitting: the application leaves their
    list at once. After submission the sheet is locked and counted; a conflict then goes
    to staff as a report (report_conflict), never straight to the sheet.

    Side effects: an active declared conflict; their open assignment (and sheet) removed;
    audit event `panel.conflict_declared`.
    """
    if member.user_id != actor.pk:
        raise DomainError(_("只能由专家本人申报利益冲突。"))
    if not detail.strip():
        raise DomainError(_("请说明利益冲突的具体情况。"), field="detail")
    with transaction.atomic():
        sheets = ScoreSheet.objects.select_for_update().filter(
            assignment__application=application, assignment__panel_member=member
        )
        if any(sheet.is_submitted for sheet in sheets):
            raise DomainError(SUBMITTED_CONFLICT_REFUSAL)
        conflict, _created = ConflictOfInterest.objects.update_or_create(
            panel_member=member,
            enterprise=application.enterprise,
            kind=kind,
            defaults={
                "source": ConflictSource.DECLARED,
                "detail": detail.strip(),
                "status": ConflictStatus.ACTIVE,
                "dismissal_reason": "",
                "dismissed_by": None,
            },
        )
        record_event(
            actor=actor,
            action="panel.conflict_declared",
            obj=conflict,
            enterprise=application.enterprise,
            after={"kind": kind, "detail": detail.strip()},
        )
        _drop_conflicted_assignments(member.round, actor=actor)
    return conflict


SUBMITTED_CONFLICT_REFUSAL = _lazy(
    "评分表已提交，不能再自行回避；请向工作人员报告利益冲突，由工作人员决定。"
)


def report_conflict(member, *, actor, application, kind, detail) -> ConflictReport:
    """A panelist raises a conflict on an application whose sheet they already submitted.
    The sheet stays submitted and counted until staff decide (decide_conflict_report).

    Side effects: a pending ConflictReport; audit event `panel.conflict_reported`; the
    round's staff notified.
    """
    if member.user_id != actor.pk:
        raise DomainError(_("只能由专家本人报告利益冲突。"))
    if not detail.strip():
        raise DomainError(_("请说明利益冲突的具体情况。"), field="detail")
    if member.round.status != RoundStatus.PANEL_REVIEW:
        raise DomainError(_("本轮不在专家评审阶段，请直接联系工作人员。"))
    with transaction.atomic():
        sheet = (
            ScoreSheet.objects.select_for_update()
            .filter(assignment__application=application, assignment__panel_member=member)
            .first()
        )
        if sheet is None or not sheet.is_submitted:
            raise DomainError(_("评分表尚未提交，请直接申报回避。"))
        return _file_report(member, application, kind=kind, detail=detail.strip(), actor=actor)


def _file_report(member, application, *, kind, detail, actor) -> ConflictReport:
    if (
        ConflictReport.objects.pending()
        .filter(panel_member=member, application=application)
        .exists()
    ):
        raise DomainError(_("您已就该申请报告过利益冲突，正在等待工作人员处理。"))
    report = ConflictReport.objects.create(
        panel_member=member, application=application, kind=kind, detail=detail, reported_by=actor
    )
    record_event(
        actor=actor,
        action="panel.conflict_reported",
        obj=application,
        enterprise=application.enterprise,
        after={"report": report.pk, "panelist": member.user.full_name, "kind": kind},
        message=detail,
    )
    selection_round = member.round
    notify(
        staff_for_region(selection_round.region),
        title=Message(
            N_("%(round)s：有专家在提交评分后报告利益冲突，请处理"), round=selection_round.title
        ),
        url=reverse("selection:panel-manage", args=[selection_round.pk]),
    )
    return report


def decide_conflict_report(report, *, actor, upheld: bool, reason: str) -> ConflictReport:
    """Staff decide a conflict raised after submission. Upheld: the conflict stands, the
    sheet is withdrawn (the assignment and its scores removed) and the application is back
    under review until a replacement expert submits; dismissed: the sheet stays (a detected
    conflict behind it is dismissed with the same reason).

    Side effects: the report decided; audit `panel.conflict_report_<status>` (and
    `panel.sheet_withdrawn`); the application's status settled; the panelist notified.
    """
    application = report.application
    selection_round = application.round
    _require_manager(actor, selection_round)
    if selection_round.status != RoundStatus.PANEL_REVIEW:
        raise DomainError(_("只能在专家评审阶段处理利益冲突报告。"))
    if not reason.strip():
        raise DomainError(_("处理利益冲突报告时请填写理由。"), field="reason")
    reason = fit_text(ConflictReport, "decision_reason", reason, as_field="reason")
    with transaction.atomic():
        locked = ConflictReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != ConflictReportStatus.PENDING:
            raise DomainError(_("该利益冲突报告已处理。"))
        member = locked.panel_member
        locked.status = ConflictReportStatus.UPHELD if upheld else ConflictReportStatus.DISMISSED
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.decision_reason = reason.strip()
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        record_event(
            actor=actor,
            action=f"panel.conflict_report_{locked.status}",
            obj=application,
            enterprise=application.enterprise,
            before={"status": ConflictReportStatus.PENDING},
            after={"report": locked.pk, "panelist": member.user.full_name, "status": locked.status},
            message=locked.decision_reason,
        )
        if upheld:
            _uphold(locked, actor=actor)
        else:
            ConflictOfInterest.objects.active().filter(
                panel_member=member,
                enterprise=application.enterprise,
                source=ConflictSource.DETECTED,
            ).update(
                status=ConflictStatus.DISMISSED,
                dismissed_by=actor,
                dismissal_reason=locked.decision_reason,
            )
        notify_panel(
            member.round,
            [member.user],
            title=Message(N_("您报告的利益冲突已处理：%(s)s"), s=label_of(locked, "status")),
            body=locked.decision_reason,
            url=reverse("selection:panel-home"),
        )
    return locked


def _uphold(report, *, actor):
    application, member = report.application, report.panel_member
    conflict = ConflictOfInterest.objects.filter(
        panel_member=member, enterprise=application.enterprise, kind=report.kind
    ).first()
    if conflict is None:
        ConflictOfInterest.objects.create(
            panel_member=member,
            enterprise=application.enterprise,
            kind=report.kind,
            source=ConflictSource.DECLARED if report.reported_by_id else ConflictSource.DETECTED,
            detail=report.detail,
        )
    elif conflict.status != ConflictStatus.ACTIVE:
        conflict.status, conflict.dismissed_by, conflict.dismissal_reason = (
            ConflictStatus.ACTIVE, None, "")  # fmt: skip
        conflict.save(update_fields=["status", "dismissed_by", "dismissal_reason"])
    for assignment in Assignment.objects.filter(application=application, panel_member=member):
        record_event(
            actor=actor,
            action="panel.sheet_withdrawn",
            obj=application,
            enterprise=application.enterprise,
            before={"panelist": member.user.full_name, "sheet": assignment.sheet.pk},
            message=report.decision_reason,
        )
        assignment.delete()
    settle_review(application, actor=actor)


def dismiss_conflict(conflict, *, actor, reason) -> ConflictOfInterest:
    """Staff dismiss a detected conflict that does not hold, with a reason (audited).
    A conflict the panelist declared stands."""
    _require_manager(actor, conflict.panel_member.round)
    if conflict.source != ConflictSource.DETECTED:
        raise DomainError(_("专家本人申报的利益冲突不能排除。"))
    if not reason.strip():
        raise DomainError(_("排除利益冲突时请填写理由。"), field="reason")
    reason = fit_text(ConflictOfInterest, "dismissal_reason", reason, as_field="reason")
    with transaction.atomic():
        conflict.status = ConflictStatus.DISMISSED
        conflict.dismissed_by = actor
        conflict.dismissal_reason = reason.strip()
        conflict.save(update_fields=["status", "dismissed_by", "dismissal_reason"])
        record_event(
            actor=actor,
            action="panel.conflict_dismissed",
            obj=conflict,
            enterprise=conflict.enterprise,
            before={"status": ConflictStatus.ACTIVE},
            after={"status": ConflictStatus.DISMISSED},
            message=conflict.dismissal_reason,
        )
    return conflict


def conflicted_pairs(selection_round) -> set[tuple[int, int]]:
    """(application id, panel member id) pairs that must never be assigned."""
    conflicts = ConflictOfInterest.objects.active().filter(panel_member__round=selection_round)
    by_enterprise: dict[int, set[int]] = {}
    for member_id, enterprise_id in conflicts.values_list("panel_member_id", "enterprise_id"):
        by_enterprise.setdefault(enterprise_id, set()).add(member_id)
    pairs = set()
    for app_id, enterprise_id in selection_round.applications.values_list("id", "enterprise_id"):
        pairs.update((app_id, member_id) for member_id in by_enterprise.get(enterprise_id, ()))
    return pairs


def _drop_conflicted_assignments(selection_round, *, actor):
    """A conflict found or declared late removes an open assignment and its scores. A
    submitted sheet is never removed here: the conflict goes to staff as a report."""
    pairs = conflicted_pairs(selection_round)
    assignments = Assignment.objects.filter(application__round=selection_round).select_related(
        "application__enterprise", "panel_member__user", "panel_member__round__region", "sheet"
    )
    touched = []
    for assignment in assignments:
        if (assignment.application_id, assignment.panel_member_id) not in pairs:
            continue
        if assignment.sheet.is_submitted:
            _report_detected(assignment)
            continue
        record_event(
            actor=actor,
            action="panel.assignment_removed",
            obj=assignment.application,
            enterprise=assignment.application.enterprise,
            before={"panelist": assignment.panel_member.user.full_name},
            message=_("利益冲突回避"),
        )
        assignment.delete()
        touched.append(assignment.application)
    for application in touched:
        settle_review(application, actor=actor)


def _report_detected(assignment):
    """A conflict the data reveal after the sheet was submitted: staff decide."""
    member, application = assignment.panel_member, assignment.application
    if (
        ConflictReport.objects.pending()
        .filter(panel_member=member, application=application)
        .exists()
    ):
        return
    conflict = (
        ConflictOfInterest.objects.active()
        .filter(panel_member=member, enterprise=application.enterprise)
        .first()
    )
    _file_report(member, application, kind=conflict.kind, detail=conflict.detail, actor=None)
