"""Reads for the 报表 area."""

from accounts.models import Region
from selection.models import SelectionRound


def documented_rounds(user):
    """Rounds whose result list and minutes the user may produce: its jurisdiction's."""
    rounds = SelectionRound.objects.visible_to(user).select_related("region")
    if not user.is_admin:
        rounds = rounds.filter(region__path__startswith=user.region.path)
    return rounds.order_by("-year", "region__code", "pk")


def report_jurisdictions(user):
    """The jurisdictions whose annual report the user may request: its own and below."""
    if user.is_admin:
        return Region.objects.order_by("path")
    if user.is_bureau:
        return Region.objects.filter(path__startswith=user.region.path).order_by("path")
    return Region.objects.none()
