"""Reads of the audit trail."""

from audit.models import AuditEvent


def event_list(user, params):
    """The audit log page's list for `user`, filtered by `action` (prefix) and `actor`
    (part of the name), newest first: the page and the export."""
    qs = AuditEvent.objects.visible_to(user).select_related("content_type")
    action = (params.get("action") or "").strip()
    actor = (params.get("actor") or "").strip()
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    return qs
