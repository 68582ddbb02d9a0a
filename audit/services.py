from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder

from audit.context import current_ip
from audit.models import AuditEvent
from config.bulk import insert_rows


def _jsonable(value):
    if value is None:
        return None
    import json

    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(obj, fields) -> dict:
    """The named fields of `obj` as plain JSON values, for before/after."""
    result = {}
    for name in fields:
        field = obj._meta.get_field(name)
        result[name] = getattr(obj, field.attname)
    return _jsonable(result)


def build_event(
    *, actor, action: str, obj, before=None, after=None, enterprise=None, message=""
) -> AuditEvent:
    """An unsaved event, for record_events (bulk jobs)."""
    return AuditEvent(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=str(actor) if actor is not None else "系统",
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        enterprise=enterprise,
        before=_jsonable(before),
        after=_jsonable(after),
        message=message[:500],
        ip_address=current_ip.get(),
    )


def record_events(events: list[AuditEvent]) -> None:
    """Append many events at once (jobs that change thousands of rows): COPY on PostgreSQL."""
    insert_rows(AuditEvent, events)


def record_event(
    *, actor, action: str, obj, before=None, after=None, enterprise=None, message=""
) -> AuditEvent:
    """Append one audit event. Call inside the service's transaction."""
    event = build_event(
        actor=actor,
        action=action,
        obj=obj,
        before=before,
        after=after,
        enterprise=enterprise,
        message=message,
    )
    event.save()
    return event
