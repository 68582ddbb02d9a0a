"""Enterprise records (注销吊销, 严重违法违规, 失信): facts from other registers that end
cultivation at the next dynamic adjustment. Staff enter them; a mistaken one is revoked."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from config.errors import DomainError
from config.text_limits import fit_text
from registry.models import EnterpriseRecord
from registry.permissions import can_confirm_tier


def add_record(enterprise, *, actor, kind, occurred_on, source, note="") -> EnterpriseRecord:
    """Side effects: an EnterpriseRecord; audit `record.added` on the enterprise's timeline."""
    if not can_confirm_tier(actor, enterprise):
        raise DomainError(_("只有企业所在辖区的数据管理部门可以登记企业状态记录。"))
    if occurred_on > timezone.localdate():
        raise DomainError(_("发生日期不能晚于今天。"), field="occurred_on")
    with transaction.atomic():
        record = EnterpriseRecord.objects.create(
            enterprise=enterprise, kind=kind, occurred_on=occurred_on, source=source.strip(),
            note=note.strip(), recorded_by=actor,
        )  # fmt: skip
        record_event(actor=actor, action="record.added", obj=record, enterprise=enterprise,
                     after={"kind": kind, "occurred_on": occurred_on.isoformat(),
                            "source": record.source})  # fmt: skip
    return record


def revoke_record(record, *, actor, reason: str) -> EnterpriseRecord:
    """A record entered in error stops counting; it stays on file with the reason."""
    if not can_confirm_tier(actor, record.enterprise):
        raise DomainError(_("只有企业所在辖区的数据管理部门可以撤销企业状态记录。"))
    if not reason.strip():
        raise DomainError(_("请填写撤销原因。"), field="reason")
    reason = fit_text(EnterpriseRecord, "revoke_reason", reason, as_field="reason")
    with transaction.atomic():
        locked = EnterpriseRecord.objects.select_for_update().get(pk=record.pk)
        if locked.revoked_at is not None:
            raise DomainError(_("该记录已撤销。"))
        locked.revoked_at, locked.revoke_reason = timezone.now(), reason
        locked.save(update_fields=["revoked_at", "revoke_reason"])
        record_event(actor=actor, action="record.revoked", obj=locked,
                     enterprise=locked.enterprise, message=reason)  # fmt: skip
    return locked
