"""Saving an edit: only the fields whose value changed, audited with before and after."""

from audit.services import record_event, snapshot


def save_changes(locked, values: dict, fields, *, actor, action, **event) -> list[str]:
    """Set and save the `fields` of the locked row whose `values` differ; audit `action`
    with those fields only (nothing when none changed). Returns the changed fields."""
    changed = [f for f in fields if getattr(locked, f) != values[f]]
    if changed:
        before = snapshot(locked, changed)
        for field in changed:
            setattr(locked, field, values[field])
        locked.save(update_fields=[*changed, "updated_at"])
        record_event(actor=actor, action=action, obj=locked, before=before,
                     after=snapshot(locked, changed), **event)  # fmt: skip
    return changed
