"""An enterprise's own people: its administrators remove members and hand the role on;
members leave. An enterprise with active members always keeps an administrator."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from audit.services import record_event
from config.errors import DomainError
from config.text_limits import fit_text
from config.workflow import apply_transition
from notifications.messages import Message
from notifications.services import notify
from registry.choices import MEMBERSHIP_TRANSITIONS, MembershipStatus
from registry.models import Enterprise, Membership
from registry.permissions import is_enterprise_admin


def _lock(enterprise) -> list[Membership]:
    """Lock the enterprise (one writer at a time for its people) and return its active
    memberships."""
    Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    return list(Membership.objects.active().filter(enterprise=enterprise).select_related("user"))


def _end(membership, status, *, actor, reason=""):
    return apply_transition(
        membership, status, transitions=MEMBERSHIP_TRANSITIONS, actor=actor,
        action_prefix="membership", refused=_("该成员当前状态为“%(now)s”，不能再变更。"),
        message=reason, reason=reason, is_admin=False,
    )  # fmt: skip


def remove_member(membership, *, actor, reason: str) -> Membership:
    """An administrator removes another member.

    Side effects: membership `removed` (its admin role gone), audit event, the person told.
    """
    enterprise = membership.enterprise
    if not is_enterprise_admin(actor, enterprise):
        raise DomainError(_("只有企业管理员才能移除成员。"))
    if membership.user_id == actor.pk:
        raise DomainError(_("不能移除自己；如需退出，请使用“退出企业”。"))
    if not reason.strip():
        raise DomainError(_("移除成员时请写明理由。"), field="reason")
    reason = fit_text(Membership, "reason", reason)
    with transaction.atomic():
        _lock(enterprise)
        removed = _end(membership, MembershipStatus.REMOVED, actor=actor, reason=reason.strip())
        notify(
            [removed.user],
            title=Message(N_("您已被移出 %(name)s"), name=enterprise.name),
            body=reason.strip(),
            url=reverse("home"),
        )
    return removed


def leave_enterprise(enterprise, *, actor) -> Membership:
    """A member leaves; the last administrator must first hand the role on (unless no one
    else is left)."""
    with transaction.atomic():
        active = _lock(enterprise)
        mine = next((m for m in active if m.user_id == actor.pk), None)
        if mine is None:
            raise DomainError(_("您不是该企业的成员。"))
        others = [m for m in active if m.pk != mine.pk]
        if mine.is_admin and others and not any(m.is_admin for m in others):
            raise DomainError(_("您是最后一位企业管理员：请先把管理员移交给其他成员，再退出。"))
        return _end(mine, MembershipStatus.LEFT, actor=actor)


def hand_over_admin(membership, *, actor) -> Membership:
    """An administrator makes another active member the administrator in their place.

    Side effects: both memberships updated, audit event `membership.admin_handed_over`, the
    new administrator told.
    """
    enterprise = membership.enterprise
    with transaction.atomic():
        active = _lock(enterprise)
        mine = next((m for m in active if m.user_id == actor.pk and m.is_admin), None)
        if mine is None:
            raise DomainError(_("只有企业管理员才能移交管理员。"))
        target = next((m for m in active if m.pk == membership.pk), None)
        if target is None or target.pk == mine.pk:
            raise DomainError(_("只能移交给本企业其他已加入的成员。"))
        Membership.objects.filter(pk=target.pk).update(is_admin=True)
        Membership.objects.filter(pk=mine.pk).update(is_admin=False)
        record_event(
            actor=actor, action="membership.admin_handed_over", obj=target, enterprise=enterprise,
            before={"admin": actor.full_name}, after={"admin": target.user.full_name},
        )  # fmt: skip
        notify(
            [target.user],
            title=Message(N_("您已成为 %(name)s 的企业管理员"), name=enterprise.name),
            url=reverse("registry:enterprise-detail", args=[enterprise.pk]),
        )
    target.refresh_from_db()
    return target
