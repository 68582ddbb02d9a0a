from django.db.models import Count

from registry.models import Enterprise
from selection.choices import ApplicationStatus, RoundStatus
from selection.models import Application, SelectionRound


def round_list(user):
    return (
        SelectionRound.objects.visible_to(user)
        .select_related("region")
        .annotate(application_count=Count("applications"))
    )


def application_list(user):
    return Application.objects.visible_to(user).select_related(
        "round", "round__region", "enterprise", "enterprise__region"
    )


def status_counts(selection_round) -> list[tuple[str, str, int]]:
    counts = dict(
        selection_round.applications.values_list("status").annotate(n=Count("id")).order_by()
    )
    return [(value, label, counts.get(value, 0)) for value, label in ApplicationStatus.choices]


def enterprise_of(user):
    """The one enterprise an enterprise user acts for (or None)."""
    return Enterprise.objects.visible_to(user).select_related("region").first()


def open_rounds_for(user):
    """Rounds the user's enterprise may apply to now, with its application if any."""
    enterprise = enterprise_of(user)
    if enterprise is None:
        return []
    rounds = [
        r
        for r in SelectionRound.objects.visible_to(user)
        .filter(status=RoundStatus.OPEN)
        .select_related("region")
        if r.region.contains(enterprise.region)
    ]
    mine = {
        a.round_id: a for a in Application.objects.filter(enterprise=enterprise, round__in=rounds)
    }
    return [(r, mine.get(r.pk)) for r in rounds]
