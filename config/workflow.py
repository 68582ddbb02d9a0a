"""The shared shape of every state change: lock, check the table, save, audit."""

from django.db import transaction

from audit.services import record_event
from config.errors import DomainError


def apply_transition(obj, new_status, *, transitions, actor, action_prefix, refused, message="",
                     state_field="status", enterprise=None, **fields):  # fmt: skip
    """Move `obj` to `new_status` if `transitions` allows it from its locked current state.

    `refused` is the sentence for an illegal move, with %(now)s and %(new)s; `message` goes
    on the audit event (a reason given), `fields` are saved with the status.
    `state_field` names the state column when it is not `status`; `enterprise` puts the
    event on that enterprise's timeline when the row has no `enterprise` of its own.
    Side effects: status and `fields` saved under a row lock; audit event
    `<action_prefix>.<new_status>` (on the enterprise's timeline when the row has one).
    """
    model = type(obj)
    states = type(next(iter(transitions)))
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=obj.pk)
        current = states(getattr(locked, state_field))
        if new_status not in transitions[current]:
            raise DomainError(refused % {"now": current.label, "new": states(new_status).label})
        setattr(locked, state_field, new_status)
        for name, value in fields.items():
            setattr(locked, name, value)
        update = [state_field, *fields]
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            update.append("updated_at")
        locked.save(update_fields=update)
        record_event(
            actor=actor,
            action=f"{action_prefix}.{new_status}",
            obj=locked,
            enterprise=enterprise or getattr(locked, "enterprise", None),
            before={"status": current},
            after={"status": new_status},
            message=message,
        )
    return locked
