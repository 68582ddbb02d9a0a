"""After coding (数据资源登记): changes (变更) and corrections (更正) with their history,
and cancellation (注销). The code stays with the record; nothing is ever re-coded.

Locks: the resource row first, then its revision (the same order in every function).
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from config.errors import DomainError
from resources.models import (
    DataResource,
    DataResourceRevision,
    ResourceStatus,
    RevisionKind,
    RevisionStatus,
)
from resources.services.registration import (
    RESOURCE_FIELDS,
    check_member,
    check_reviewer,
    clean_values,
    required_reason,
    set_resource_status,
    snapshot,
    tell_enterprise,
    tell_staff,
)

S = ResourceStatus


def _lock_coded(resource, *, allow_pending=False):
    """The resource's row, locked and re-read: a coded record, with no proposal open
    unless `allow_pending`. Call inside a transaction."""
    locked = DataResource.objects.select_for_update().get(pk=resource.pk)
    if locked.status != S.CODED:
        raise DomainError(_("只有已赋码的数据资源可以变更、更正或注销。"))
    if (
        not allow_pending
        and DataResourceRevision.objects.pending().filter(resource=locked).exists()
    ):
        raise DomainError(_("该数据资源已有待审核的申请，请等待审核结果。"))
    return locked


def _changed(resource, values: dict) -> tuple[dict, dict]:
    """(before, after) of the fields `values` changes, after validating the whole."""
    current = snapshot(resource)
    cleaned = clean_values({**current, **values})
    after = {**cleaned, "volume": str(cleaned["volume"])}
    changed = [name for name in RESOURCE_FIELDS if after[name] != current[name]]
    if not changed:
        raise DomainError(_("没有需要修改的内容。"))
    return {n: current[n] for n in changed}, {n: after[n] for n in changed}


def _apply_values(locked, after: dict) -> None:
    for name, value in after.items():
        setattr(locked, name, Decimal(value) if name == "volume" else value)
    locked.save(update_fields=[*after, "updated_at"])


def propose_change(resource, *, actor, values: dict, reason: str,
                   kind=RevisionKind.CHANGE) -> DataResourceRevision:  # fmt: skip
    """The enterprise proposes new values (变更) or the fix of an error (更正) for a coded
    record; nothing changes until staff approve.

    Side effects: a pending revision with before/after; audit event
    `data_resource.change_proposed`; staff notified.
    """
    check_member(actor, resource.enterprise)
    if kind not in (RevisionKind.CHANGE, RevisionKind.CORRECTION):
        raise DomainError(_("未知的申请类型。"))
    reason = required_reason(reason, _("变更或更正的理由"))
    with transaction.atomic():
        before, after = _changed(_lock_coded(resource), values)
        revision = DataResourceRevision.objects.create(
            resource=resource, kind=kind, before=before, after=after, reason=reason,
            proposed_by=actor,
        )  # fmt: skip
        record_event(
            actor=actor,
            action="data_resource.change_proposed",
            obj=resource,
            enterprise=resource.enterprise,
            before=before,
            after=after,
            message=reason,
        )
        tell_staff(resource, _("数据资源%(k)s申请：%(n)s") % {"k": revision.get_kind_display(),
                                                           "n": resource.name})  # fmt: skip
    return revision


def request_cancellation(resource, *, actor, reason: str) -> DataResourceRevision:
    """The enterprise asks to cancel (注销) a coded record; staff decide."""
    check_member(actor, resource.enterprise)
    reason = required_reason(reason, _("注销理由"))
    with transaction.atomic():
        _lock_coded(resource)
        revision = DataResourceRevision.objects.create(
            resource=resource, kind=RevisionKind.CANCELLATION, reason=reason, proposed_by=actor,
            before={"status": S.CODED}, after={"status": S.CANCELLED},
        )  # fmt: skip
        record_event(
            actor=actor,
            action="data_resource.cancel_requested",
            obj=resource,
            enterprise=resource.enterprise,
            message=reason,
        )
        tell_staff(resource, _("数据资源注销申请：%(n)s") % {"n": resource.name})
    return revision


def _decide(revision, *, actor, status, note=""):
    """Close a pending revision under its row lock (a second decision is refused)."""
    locked = DataResourceRevision.objects.select_for_update().get(pk=revision.pk)
    if locked.status != RevisionStatus.PENDING:
        raise DomainError(_("该申请已处理。"))
    locked.status = status
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = note
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return locked


def approve_change(revision, *, actor, note: str = "") -> DataResourceRevision:
    """Staff approve a pending change, correction or cancellation: the new values are
    applied to the record (or it is cancelled); the code stays.

    Side effects: the resource updated; the revision approved; audit event
    `data_resource.change_approved` (and `data_resource.cancelled` for a cancellation);
    the enterprise notified.
    """
    resource = revision.resource
    check_reviewer(actor, resource)
    with transaction.atomic():
        # The resource is locked before the revision, as cancel_resource does.
        locked = _lock_coded(resource, allow_pending=True)
        decided = _decide(revision, actor=actor, status=RevisionStatus.APPROVED, note=note.strip())
        if decided.kind == RevisionKind.CANCELLATION:
            set_resource_status(resource, S.CANCELLED, actor=actor, reason=decided.reason)
        else:
            _apply_values(locked, decided.after)
            record_event(
                actor=actor,
                action="data_resource.change_approved",
                obj=resource,
                enterprise=resource.enterprise,
                before=decided.before,
                after=decided.after,
                message=decided.reason,
            )
        tell_enterprise(
            resource,
            _("数据资源%(k)s申请已通过：%(n)s")
            % {"k": decided.get_kind_display(), "n": resource.name},
        )
    return decided


def reject_change(revision, *, actor, reason: str) -> DataResourceRevision:
    """Staff refuse a pending proposal, saying why; the record stays as it was."""
    resource = revision.resource
    check_reviewer(actor, resource)
    reason = required_reason(reason, _("不予通过的理由"))
    with transaction.atomic():
        decided = _decide(revision, actor=actor, status=RevisionStatus.REJECTED, note=reason)
        record_event(
            actor=actor,
            action="data_resource.change_rejected",
            obj=resource,
            enterprise=resource.enterprise,
            message=reason,
        )
        tell_enterprise(
            resource,
            _("数据资源%(k)s申请未通过：%(n)s")
            % {"k": decided.get_kind_display(), "n": resource.name},
            reason,
        )
    return decided


def correct_resource(resource, *, actor, values: dict, reason: str) -> DataResourceRevision:
    """更正 by staff: fix an error in a coded record at once, with the reason.

    Side effects: the resource updated; an approved correction revision;
    audit event `data_resource.corrected`; the enterprise notified.
    """
    check_reviewer(actor, resource)
    reason = required_reason(reason, _("更正理由"))
    with transaction.atomic():
        locked = _lock_coded(resource)
        before, after = _changed(locked, values)
        _apply_values(locked, after)
        revision = DataResourceRevision.objects.create(
            resource=resource, kind=RevisionKind.CORRECTION, status=RevisionStatus.APPROVED,
            before=before, after=after, reason=reason, proposed_by=actor, decided_by=actor,
            decided_at=timezone.now(),
        )  # fmt: skip
        record_event(
            actor=actor,
            action="data_resource.corrected",
            obj=resource,
            enterprise=resource.enterprise,
            before=before,
            after=after,
            message=reason,
        )
        tell_enterprise(resource, _("数据资源登记信息已更正：%(n)s") % {"n": resource.name}, reason)
    return revision


def cancel_resource(resource, *, actor, reason: str) -> DataResource:
    """注销 by staff (e.g. the data no longer exists, or registration was obtained
    improperly); a pending proposal is closed with it. The code is kept, never reused."""
    check_reviewer(actor, resource)
    reason = required_reason(reason, _("注销理由"))
    with transaction.atomic():
        cancelled = set_resource_status(resource, S.CANCELLED, actor=actor, reason=reason)
        pending = DataResourceRevision.objects.pending().filter(resource=resource).first()
        if pending is not None:  # the enterprise's own request is granted; a change is moot
            granted = pending.kind == RevisionKind.CANCELLATION
            status = RevisionStatus.APPROVED if granted else RevisionStatus.REJECTED
            _decide(pending, actor=actor, status=status, note=reason)
        if pending is None or pending.kind != RevisionKind.CANCELLATION:
            DataResourceRevision.objects.create(
                resource=resource, kind=RevisionKind.CANCELLATION, status=RevisionStatus.APPROVED,
                before={"status": S.CODED}, after={"status": S.CANCELLED}, reason=reason,
                proposed_by=actor, decided_by=actor, decided_at=timezone.now(),
            )  # fmt: skip
        tell_enterprise(cancelled, _("数据资源已注销：%(n)s") % {"n": cancelled.name}, reason)
    return cancelled
