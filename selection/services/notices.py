"""Notices to a round's panel, redacted when the round is blind."""

from notifications.services import notify
from registry.models import Enterprise
from selection import blind


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
