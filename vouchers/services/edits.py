"""The shared tail of every edit service: save what changed and audit it."""

from django.utils.translation import gettext as _

from audit.services import record_event, snapshot
from config.errors import DomainError


def check_fields(changes, allowed) -> None:
    if unknown := set(changes) - set(allowed):
        raise DomainError(_("不能修改这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))})


def save_changes(locked, changes, *, actor, action):
    """Set `changes` on the locked row, save the fields that differ (and `updated_at` when
    the model has it) and record `action` with the values before and after. Nothing
    happens when nothing differs. Call inside the service's transaction."""
    changed = [f for f, v in changes.items() if getattr(locked, f) != v]
    if not changed:
        return locked
    before = snapshot(locked, changed)
    for name in changed:
        setattr(locked, name, changes[name])
    stamp = ["updated_at"] if any(f.name == "updated_at" for f in locked._meta.fields) else []
    locked.save(update_fields=[*changed, *stamp])
    record_event(actor=actor, action=action, obj=locked, before=before,
                 after=snapshot(locked, changed))  # fmt: skip
    return locked
