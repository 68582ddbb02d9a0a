"""Named predicates for the documents (objects are already inside visible_to)."""

from registry.choices import EntryStatus
from selection.permissions import can_manage_round


def can_read_round_documents(user, selection_round) -> bool:
    """Result list and panel minutes: staff of the round's jurisdiction (never a panelist)."""
    return can_manage_round(user, selection_round)


def can_issue_certificate(user, entry) -> bool:
    """The enterprise's own members or staff who see it, while it is in the registry."""
    return (
        user.is_authenticated
        and entry.status == EntryStatus.ACTIVE
        and (user.is_admin or user.is_bureau or user.is_enterprise)
    )


def can_request_annual_report(user, jurisdiction) -> bool:
    """Staff whose jurisdiction holds `jurisdiction`, or an admin."""
    if not user.is_authenticated:
        return False
    return user.is_admin or (user.is_bureau and user.region.contains(jurisdiction))


def can_download_annual_report(user, run) -> bool:
    """The requester and the staff of that jurisdiction."""
    return run.started_by_id == user.pk or can_request_annual_report(user, run.jurisdiction)
