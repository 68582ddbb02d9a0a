"""The panel: members, conflicts of interest and assignment of applications."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from accounts.models import Role
from audit.services import record_event
from config.errors import DomainError
from notifications.messages import Message
from selection.assignment import assign_panel
from selection.choices import ApplicationStatus, RoundStatus
from selection.models import Application, Assignment, PanelMember, ScoreSheet, SelectionRound
from selection.models.panel import PILLARS
from selection.permissions import can_manage_round
from selection.services.applications import set_application_status
from selection.services.conflicts import (  # noqa: F401 (the panel's services, re-exported)
    conflicted_pairs,
    decide_conflict_report,
    declare_conflict,
    detect_conflicts,
    dismiss_conflict,
    report_conflict,
)
from selection.services.notices import notify_panel
from selection.services.review_counts import refresh_review_counts
from selection.services.scoring import settle_review

PANEL_OPEN_STATES = {
    RoundStatus.DRAFT,
    RoundStatus.OPEN,
    RoundStatus.FORMAL_REVIEW,
    RoundStatus.PANEL_REVIEW,
}
ASSIGNABLE_STATES = {ApplicationStatus.ELIGIBLE, ApplicationStatus.UNDER_REVIEW}


def _require_manager(actor, selection_round):
    if not can_manage_round(actor, selection_round):
        raise DomainError(_("您无权管理该遴选轮次的专家组。"))


def missing_pillars(selection_round) -> list[str]:
    """The 政府+企业+创新+投资 pillars the round's panel still lacks."""
    present = set(selection_round.panel_members.values_list("affiliation", flat=True))
    return [str(name) for name, kinds in PILLARS.items() if not present & kinds]


def add_panel_member(selection_round, *, actor, user, affiliation) -> PanelMember:
    """Side effects: the member; conflicts detected against the round's applicants;
    audit event `panel.member_added`; the panelist is notified."""
    _require_manager(actor, selection_round)
    if selection_round.status not in PANEL_OPEN_STATES:
        raise DomainError(_("评审结束后不能再调整专家组。"))
    if user.role != Role.PANELIST or not user.is_active:
        raise DomainError(_("只能添加角色为“遴选培育组专家”的有效账户。"), field="user")
    if PanelMember.objects.filter(round=selection_round, user=user).exists():
        raise DomainError(_("%(name)s 已在本轮专家组中。") % {"name": user.full_name}, field="user")
    with transaction.atomic():
        member = PanelMember.objects.create(
            round=selection_round, user=user, affiliation=affiliation, added_by=actor
        )
        detect_conflicts(selection_round, members=[member])
        record_event(
            actor=actor, action="panel.member_added", obj=member, after={"affiliation": affiliation}
        )
        notify_panel(
            selection_round,
            [user],
            title=Message(N_("您已受邀参加 %(round)s 专家评审"), round=selection_round.title),
            url=reverse("selection:panel-home"),
        )
    return member


def auto_assign(selection_round, *, actor, seed: int = 0):
    """Give every eligible application k panelists: no conflicts, loads balanced,
    affiliations mixed, within each panelist's maximum. Existing assignments stay.

    Side effects: Assignment rows with empty score sheets; eligible applications move
    to under_review; audit event `panel.assigned`; panelists notified.
    Returns the AssignmentResult (with shortfalls to show staff).
    """
    _require_manager(actor, selection_round)
    if selection_round.status != RoundStatus.PANEL_REVIEW:
        raise DomainError(_("轮次进入“专家评审”后才能分配评审任务。"))
    detect_conflicts(selection_round)
    if not selection_round.panel_members.filter(removed_at__isnull=True).exists():
        raise DomainError(_("专家组还没有成员。"))
    with transaction.atomic():
        result, created, applications = _fill_panels(selection_round, actor=actor, seed=seed)
        record_event(
            actor=actor,
            action="panel.assigned",
            obj=selection_round,
            after={
                "new_assignments": len(created),
                "applications": len(applications),
                "shortfalls": len(result.shortfalls),
            },
        )
        users = {
            m.user
            for m in selection_round.panel_members.filter(removed_at__isnull=True).select_related(
                "user"
            )
        }
        notify_panel(
            selection_round,
            users,
            title=Message(N_("%(round)s 的评审任务已分配"), round=selection_round.title),
            url=reverse("selection:panel-home"),
        )
    return result


def _fill_panels(selection_round, *, actor, seed: int = 0, only=None):
    """Give every assignable application (or those of `only`, a set of ids) the panelists
    it lacks (assign_panel: no conflicts, balanced loads, mixed affiliations, within each
    maximum), keeping every existing pair; removed experts get nothing new. Call inside a
    transaction. Returns (AssignmentResult, the new Assignments, the application ids
    considered)."""
    applications = selection_round.applications.filter(status__in=ASSIGNABLE_STATES)
    if only is not None:
        applications = applications.filter(pk__in=only)
    applications = list(applications.values_list("id", flat=True))
    members = dict(
        selection_round.panel_members.filter(removed_at__isnull=True).values_list(
            "id", "affiliation"
        )
    )
    existing: dict[int, list[int]] = {}
    kept: dict[int, int] = {}  # removed experts' submitted sheets still fill a seat
    for app_id, member_id in Assignment.objects.filter(
        application__round=selection_round
    ).values_list("application_id", "panel_member_id"):
        if member_id in members:
            existing.setdefault(app_id, []).append(member_id)
        else:
            kept[app_id] = kept.get(app_id, 0) + 1
    k = selection_round.panelists_per_application
    result = assign_panel(
        [a for a in applications if kept.get(a, 0) < k],
        members,
        conflicted_pairs(selection_round),
        k=k,
        max_per_panelist=selection_round.max_per_panelist,
        existing={a: ids for a, ids in existing.items() if kept.get(a, 0) < k},
        seed=seed,
    )
    new = []
    for app_id, member_ids in result.assignments.items():
        have = existing.get(app_id, ())
        # A seat held by a removed expert's submitted sheet is not offered again (so a
        # load may end one below what assign_panel balanced).
        need = max(0, k - kept.get(app_id, 0) - len(have))
        fresh = [m for m in member_ids if m not in have][:need]
        new += [
            Assignment(application_id=app_id, panel_member_id=m, assigned_by=actor) for m in fresh
        ]
    created = Assignment.objects.bulk_create(new)
    ScoreSheet.objects.bulk_create(ScoreSheet(assignment=a) for a in created)
    refresh_review_counts({a.application_id for a in created})
    for application in Application.objects.filter(
        pk__in=applications, status=ApplicationStatus.ELIGIBLE
    ):
        set_application_status(application, ApplicationStatus.UNDER_REVIEW, actor=actor)
    return result, created, applications


def remove_panel_member(member, *, actor, reason) -> list[Assignment]:
    """Take an expert off the round's panel. Their submitted sheets stay and count; their
    unsubmitted ones are withdrawn and, while the panel reviews, those applications are
    given replacements under auto_assign's rules (conflicts, balance, maximum).

    Side effects: the member marked removed (who, when, why); their unsubmitted
    assignments deleted; new assignments with empty sheets; audit event
    `panel.member_removed` (with the counts); the replacement experts notified.
    Returns the new assignments.
    """
    selection_round = SelectionRound.objects.get(pk=member.round_id)
    _require_manager(actor, selection_round)
    if selection_round.status not in PANEL_OPEN_STATES:
        raise DomainError(_("评审结束后不能再调整专家组。"))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写移出理由。"), field="reason")
    if len(reason) > PanelMember._meta.get_field("removal_reason").max_length:
        raise DomainError(_("移出理由过长。"), field="reason")
    with transaction.atomic():
        member = PanelMember.objects.select_for_update().select_related("user").get(pk=member.pk)
        if member.removed_at is not None:
            raise DomainError(_("该专家已移出专家组。"))
        pending = list(
            Assignment.objects.filter(
                panel_member=member, sheet__submitted_at__isnull=True
            ).select_related("application")
        )
        Assignment.objects.filter(pk__in=[a.pk for a in pending]).delete()
        member.removed_at = timezone.now()
        member.removed_by = actor
        member.removal_reason = reason
        member.save(update_fields=["removed_at", "removed_by", "removal_reason"])
        created = []
        if selection_round.status == RoundStatus.PANEL_REVIEW and pending:
            _result, created, _apps = _fill_panels(selection_round, actor=actor)
        for application in {a.application_id: a.application for a in pending}.values():
            settle_review(application, actor=actor)
        record_event(
            actor=actor,
            action="panel.member_removed",
            obj=member,
            before={"panelist": member.user.full_name},
            after={
                "reason": reason,
                "withdrawn_sheets": len(pending),
                "new_assignments": len(created),
            },
        )
        if created:
            member_ids = {a.panel_member_id for a in created}
            notify_panel(
                selection_round,
                [
                    m.user
                    for m in PanelMember.objects.filter(pk__in=member_ids).select_related("user")
                ],
                title=Message(N_("%(round)s 的评审任务已分配"), round=selection_round.title),
                url=reverse("selection:panel-home"),
            )
    return created


def assign_replacement(application, *, actor) -> list[Assignment]:
    """Give one application the experts it lacks — after an upheld recusal withdrew a
    sheet, or a removal — chosen by the same rules as auto_assign (never a conflicted
    expert, loads balanced, affiliations mixed, within each maximum).

    Side effects: Assignment rows with empty score sheets; the application under review;
    audit event `panel.replacement_assigned` (with the experts' names); the new experts
    notified. Refused (nothing changes) when no expert can take it.
    """
    selection_round = SelectionRound.objects.get(pk=application.round_id)
    _require_manager(actor, selection_round)
    if selection_round.status != RoundStatus.PANEL_REVIEW:
        raise DomainError(_("轮次进入“专家评审”后才能分配评审任务。"))
    application.refresh_from_db(fields=["status"])
    if application.status not in ASSIGNABLE_STATES:
        raise DomainError(_("只能为形式审查通过或评审中的申请分配专家。"))
    detect_conflicts(selection_round)
    with transaction.atomic():
        _result, created, _apps = _fill_panels(selection_round, actor=actor, only={application.pk})
        if not created:
            raise DomainError(
                _("没有可补派的专家：其余专家均存在利益冲突、已分配到此申请或任务已满。")
            )
        members = list(
            PanelMember.objects.filter(pk__in=[a.panel_member_id for a in created])
            .select_related("user")
            .order_by("id")
        )
        record_event(
            actor=actor,
            action="panel.replacement_assigned",
            obj=application,
            enterprise=application.enterprise,
            after={"panelists": [m.user.full_name for m in members]},
        )
        notify_panel(
            selection_round,
            [m.user for m in members],
            title=Message(N_("%(round)s 的评审任务已分配"), round=selection_round.title),
            url=reverse("selection:panel-home"),
        )
    return created


def assign_manually(application, *, actor, member) -> Assignment:
    """Staff add one panelist to an application (a replacement, when a sheet was withdrawn),
    within the same rules as auto_assign: never a conflicted expert."""
    application.refresh_from_db(fields=["status"])
    selection_round = SelectionRound.objects.get(pk=application.round_id)
    _require_manager(actor, selection_round)
    if selection_round.status != RoundStatus.PANEL_REVIEW:
        raise DomainError(_("轮次进入“专家评审”后才能分配评审任务。"))
    if member.round_id != selection_round.pk or member.removed_at is not None:
        raise DomainError(_("该专家不在本轮专家组中。"))
    if application.status not in ASSIGNABLE_STATES:
        raise DomainError(_("只能为形式审查通过或评审中的申请分配专家。"))
    detect_conflicts(selection_round, members=[member])
    if (application.pk, member.pk) in conflicted_pairs(selection_round):
        raise DomainError(_("该专家与申请企业存在利益冲突，不能分配。"))
    if member.assignments.count() >= selection_round.max_per_panelist:
        raise DomainError(_("该专家的评审任务已达上限。"))
    if Assignment.objects.filter(application=application, panel_member=member).exists():
        raise DomainError(_("该专家已分配到此申请。"))
    with transaction.atomic():
        assignment = Assignment.objects.create(
            application=application, panel_member=member, assigned_by=actor
        )
        ScoreSheet.objects.create(assignment=assignment)
        refresh_review_counts([application.pk])
        if application.status == ApplicationStatus.ELIGIBLE:
            set_application_status(application, ApplicationStatus.UNDER_REVIEW, actor=actor)
        record_event(
            actor=actor,
            action="panel.assigned_manually",
            obj=application,
            enterprise=application.enterprise,
            after={"panelist": member.user.full_name},
        )
    return assignment


def unassign(assignment, *, actor) -> None:
    selection_round = assignment.application.round
    _require_manager(actor, selection_round)
    if assignment.sheet.is_submitted:
        raise DomainError(_("该专家已提交评分，不能取消分配。"))
    with transaction.atomic():
        record_event(
            actor=actor,
            action="panel.unassigned",
            obj=assignment.application,
            enterprise=assignment.application.enterprise,
            before={"panelist": assignment.panel_member.user.full_name},
        )
        assignment.delete()
        settle_review(assignment.application, actor=actor)
