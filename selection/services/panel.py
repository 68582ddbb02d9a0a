"""The panel: members, conflicts of interest and assignment of applications."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role
from audit.services import record_event
from config.errors import DomainError
from notifications.services import notify
from registry.models import Enterprise, Membership
from selection import blind
from selection.assignment import assign_panel
from selection.choices import ApplicationStatus, RoundStatus
from selection.models import Application, Assignment, ConflictOfInterest, PanelMember, ScoreSheet
from selection.models.panel import PILLARS, ConflictKind, ConflictSource, ConflictStatus
from selection.permissions import can_manage_round
from selection.services.applications import set_application_status

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


def notify_panel(selection_round, users, *, title, body="", url=""):
    """Every notice to a round's panelists goes through here: when the round hides
    names, its text is redacted like the score sheet, against every applicant of the
    round (a stored notification is shown as written, so it is redacted when written)."""
    if selection_round.hide_enterprise_names:
        terms = blind.terms_for_enterprises(
            Enterprise.objects.filter(applications__round=selection_round).distinct()
        )
        title, body = blind.redact(title, terms), blind.redact(body, terms)
    return notify(users, title=title, body=body, url=url)


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
            title=_("您已受邀参加 %(round)s 专家评审") % {"round": selection_round.title},
            url=reverse("selection:panel-home"),
        )
    return member


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
    """A panelist declares a conflict: the application leaves their list at once.

    Side effects: an active declared conflict; their assignment (and sheet) removed;
    audit event `panel.conflict_declared`.
    """
    if member.user_id != actor.pk:
        raise DomainError(_("只能由专家本人申报利益冲突。"))
    if not detail.strip():
        raise DomainError(_("请说明利益冲突的具体情况。"), field="detail")
    with transaction.atomic():
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


def dismiss_conflict(conflict, *, actor, reason) -> ConflictOfInterest:
    """Staff dismiss a detected conflict that does not hold, with a reason (audited).
    A conflict the panelist declared stands."""
    _require_manager(actor, conflict.panel_member.round)
    if conflict.source != ConflictSource.DETECTED:
        raise DomainError(_("专家本人申报的利益冲突不能排除。"))
    if not reason.strip():
        raise DomainError(_("排除利益冲突时请填写理由。"), field="reason")
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


def _conflicted_pairs(selection_round) -> set[tuple[int, int]]:
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
    """A conflict found or declared late removes the assignment and its scores."""
    pairs = _conflicted_pairs(selection_round)
    assignments = Assignment.objects.filter(application__round=selection_round).select_related(
        "application__enterprise", "panel_member__user"
    )
    for assignment in assignments:
        if (assignment.application_id, assignment.panel_member_id) not in pairs:
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
    applications = list(
        selection_round.applications.filter(status__in=ASSIGNABLE_STATES).values_list(
            "id", flat=True
        )
    )
    members = dict(selection_round.panel_members.values_list("id", "affiliation"))
    if not members:
        raise DomainError(_("专家组还没有成员。"))
    existing: dict[int, list[int]] = {}
    for app_id, member_id in Assignment.objects.filter(
        application__round=selection_round
    ).values_list("application_id", "panel_member_id"):
        existing.setdefault(app_id, []).append(member_id)
    result = assign_panel(
        applications,
        members,
        _conflicted_pairs(selection_round),
        k=selection_round.panelists_per_application,
        max_per_panelist=selection_round.max_per_panelist,
        existing=existing,
        seed=seed,
    )
    with transaction.atomic():
        new = [
            Assignment(application_id=app_id, panel_member_id=member_id, assigned_by=actor)
            for app_id, member_ids in result.assignments.items()
            for member_id in member_ids
            if member_id not in existing.get(app_id, ())
        ]
        created = Assignment.objects.bulk_create(new)
        ScoreSheet.objects.bulk_create(ScoreSheet(assignment=a) for a in created)
        for application in Application.objects.filter(
            pk__in=applications, status=ApplicationStatus.ELIGIBLE
        ):
            set_application_status(application, ApplicationStatus.UNDER_REVIEW, actor=actor)
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
        users = {m.user for m in selection_round.panel_members.select_related("user")}
        notify_panel(
            selection_round,
            users,
            title=_("%(round)s 的评审任务已分配") % {"round": selection_round.title},
            url=reverse("selection:panel-home"),
        )
    return result


def assign_manually(application, *, actor, member) -> Assignment:
    """Staff add one panelist to an application, within the same rules as auto_assign."""
    selection_round = application.round
    _require_manager(actor, selection_round)
    if member.round_id != selection_round.pk:
        raise DomainError(_("该专家不在本轮专家组中。"))
    if application.status not in ASSIGNABLE_STATES:
        raise DomainError(_("只能为形式审查通过或评审中的申请分配专家。"))
    detect_conflicts(selection_round, members=[member])
    if (application.pk, member.pk) in _conflicted_pairs(selection_round):
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
