"""Jurisdiction transfers: staff cannot move an enterprise out of their own jurisdiction,
and an enterprise in a jurisdiction's care cannot move itself; the move becomes a request
that the receiving jurisdiction's staff accept or reject."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from accounts.services import staff_for_region
from audit.services import record_event
from config.errors import DomainError
from config.workflow import apply_transition
from notifications.messages import Message
from notifications.services import notify
from registry.choices import TRANSFER_TRANSITIONS, TransferStatus, VerificationStatus
from registry.models import Enterprise, RegistryEntry, TransferRequest
from registry.permissions import can_decide_transfer, can_withdraw_transfer
from registry.signals import announce_facts_changed

T = TransferStatus


# Verification submitted or done: a jurisdiction's staff answer for the enterprise.
IN_CARE = {
    VerificationStatus.SUBMITTED,
    VerificationStatus.RESUBMITTED,
    VerificationStatus.VERIFIED,
}


def in_jurisdiction_care(enterprise) -> bool:
    """Verified, under verification review, or in the registry: its region is what makes
    one jurisdiction responsible for it, so only a transfer request moves it. An enterprise
    not yet submitted (or returned) may still correct its region itself."""
    return (
        enterprise.verification_status in IN_CARE
        or RegistryEntry.objects.filter(enterprise_id=enterprise.pk).exists()
    )


def needs_transfer(actor, enterprise, new_region) -> bool:
    """A region change that becomes a transfer request: bureau staff moving an enterprise
    outside their own jurisdiction, or a member moving an enterprise in a jurisdiction's
    care (in_jurisdiction_care). Admins move enterprises at once."""
    if actor.is_admin or new_region.pk == enterprise.region_id:
        return False
    if actor.is_bureau:
        return not actor.region.contains(new_region)
    return in_jurisdiction_care(enterprise)


def _pending_exists():
    return DomainError(_("该企业已有一项待处理的辖区迁移申请，请等待其处理完毕。"), field="region")


def request_transfer(enterprise, *, actor, to_region, reason: str) -> TransferRequest:
    """Ask the receiving jurisdiction to take the enterprise (called by update_enterprise
    when staff move it out of their jurisdiction; the region does not change yet).

    Side effects: a pending TransferRequest; audit event `transfer.requested`; the staff of
    the receiving jurisdiction are notified.
    """
    reason = reason.strip()
    if not reason and actor.is_bureau:
        raise DomainError(
            _("迁往本辖区以外的地区需由迁入地数据管理部门接收，请填写迁移说明。"),
            field="transfer_reason",
        )
    if not reason:
        raise DomainError(
            _(
                "企业已认证（或正在认证、已入库），变更所在地区须提交迁移申请，由迁入地数据"
                "管理部门接收后生效：请在“迁移说明”中写明迁址情况。"
            ),
            field="transfer_reason",
        )
    if TransferRequest.objects.pending().filter(enterprise=enterprise).exists():
        raise _pending_exists()
    try:
        with transaction.atomic():
            transfer = TransferRequest.objects.create(
                enterprise=enterprise, from_region=enterprise.region, to_region=to_region,
                requested_by=actor, reason=reason,
            )  # fmt: skip
            record_event(
                actor=actor,
                action="transfer.requested",
                obj=transfer,
                enterprise=enterprise,
                after={"from": enterprise.region.code, "to": to_region.code},
                message=reason,
            )
            notify(
                staff_for_region(to_region),
                title=Message(
                    N_("辖区迁移待接收：%(name)s（%(from)s → %(to)s）"),
                    name=enterprise.name,
                    to=to_region.full_name,
                    **{"from": enterprise.region.full_name},
                ),
                body=reason,
                url=reverse("registry:transfer-list"),
            )
    except IntegrityError as exc:  # a colleague asked at the same moment
        raise _pending_exists() from exc
    return transfer


def set_transfer_status(transfer, new_status, *, actor, reason: str = "") -> TransferRequest:
    """The one way a transfer request is decided (pending → accepted | rejected).

    Accepting moves the enterprise: its region changes under a row lock (audit
    `enterprise.updated`) and facts_changed is announced, as for any region change.
    Rejecting needs a reason. Side effects: audit event `transfer.<status>`; the requester
    and the enterprise's members (on acceptance) are notified.
    """
    if not can_decide_transfer(actor, transfer):
        raise DomainError(_("只有迁入地辖区的数据管理部门可以处理该迁移申请。"))
    reason = reason.strip()
    if new_status == T.REJECTED and not reason:
        raise DomainError(_("拒绝迁移申请时请填写理由。"), field="reason")
    with transaction.atomic():
        locked = apply_transition(
            transfer, new_status, transitions=TRANSFER_TRANSITIONS, actor=actor,
            action_prefix="transfer", refused=_("该迁移申请当前状态为“%(now)s”，不能再处理。"),
            message=reason, decided_by=actor, decided_at=timezone.now(), decision_reason=reason,
        )  # fmt: skip
        enterprise = Enterprise.objects.select_for_update().get(pk=locked.enterprise_id)
        if new_status == T.ACCEPTED:
            if enterprise.region_id != locked.from_region_id:
                raise DomainError(_("企业所在地区已变更，该迁移申请不再适用，请拒绝。"))
            enterprise.region = locked.to_region
            enterprise.save(update_fields=["region", "updated_at"])
            record_event(
                actor=actor,
                action="enterprise.updated",
                obj=enterprise,
                enterprise=enterprise,
                before={"region": locked.from_region_id},
                after={"region": locked.to_region_id},
                message=_("辖区迁移"),
            )
            announce_facts_changed([enterprise.pk])
            title = Message(
                N_("%(name)s 已迁入 %(to)s"), name=enterprise.name, to=locked.to_region.full_name
            )
            recipients = {locked.requested_by, *enterprise.active_members()}
        else:
            title = Message(
                N_("%(name)s 迁往 %(to)s 的申请被拒绝"),
                name=enterprise.name,
                to=locked.to_region.full_name,
            )
            recipients = {locked.requested_by}
        _notify_parties(recipients, enterprise, title=title, body=reason)
    return locked


def _notify_parties(recipients, enterprise, *, title, body):
    """Staff follow transfers on their queue; an enterprise's members on its own page (the
    queue is staff-only)."""
    staff = [u for u in recipients if u.is_staff_reviewer]
    members = [u for u in recipients if not u.is_staff_reviewer]
    if staff:
        notify(staff, title=title, body=body, url=reverse("registry:transfer-list"))
    if members:
        url = reverse("registry:enterprise-detail", args=[enterprise.pk]) + "#transfers"
        notify(members, title=title, body=body, url=url)


def withdraw_transfer(transfer, *, actor) -> TransferRequest:
    """Whoever asked (or a member of the enterprise) withdraws a pending request; the
    region stays. Side effects: status `withdrawn` (audit `transfer.withdrawn`); the staff of
    the receiving jurisdiction are told."""
    if not can_withdraw_transfer(actor, transfer):
        raise DomainError(_("只有提出申请的人或本企业成员可以撤回该迁移申请。"))
    with transaction.atomic():
        locked = apply_transition(
            transfer, T.WITHDRAWN, transitions=TRANSFER_TRANSITIONS, actor=actor,
            action_prefix="transfer", refused=_("该迁移申请当前状态为“%(now)s”，不能再撤回。"),
            decided_by=actor, decided_at=timezone.now(),
        )  # fmt: skip
        notify(
            staff_for_region(locked.to_region),
            title=Message(
                N_("%(name)s 撤回了迁往 %(to)s 的申请"),
                name=locked.enterprise.name,
                to=locked.to_region.full_name,
            ),
            url=reverse("registry:transfer-list"),
        )
    return locked


def accept_transfer(transfer, *, actor) -> TransferRequest:
    return set_transfer_status(transfer, T.ACCEPTED, actor=actor)


def reject_transfer(transfer, *, actor, reason: str) -> TransferRequest:
    return set_transfer_status(transfer, T.REJECTED, actor=actor, reason=reason)
