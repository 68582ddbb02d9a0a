"""The panel's progress stored on each application and sheet (issue #14).

`Application.sheets_assigned`, `sheets_submitted` and `score_spread`, and
`ScoreSheet.deviation` (total − the application's median submitted total), recomputed
for the applications whose assignments or sheets changed. Every service that assigns,
unassigns, submits or withdraws calls `refresh_review_counts` inside its transaction
(settle_review does for most of them), so that the panel page reads a round of any size
by these columns instead of aggregating every sheet on each request.
"""

from collections import defaultdict
from decimal import Decimal
from statistics import median

from django.db.models import Case, Count, F, Max, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from selection.models import Application, Assignment, ScoreSheet

CHUNK = 2_000
CENT = Decimal("0.01")


def _per_application():
    submitted = Q(sheet__submitted_at__isnull=False)
    return (
        Assignment.objects.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(
            n=Count("id"),
            done=Count("id", filter=submitted),
            high=Max("sheet__total", filter=submitted),
            low=Min("sheet__total", filter=submitted),
        )
    )


def refresh_review_counts(application_ids) -> None:
    """Recompute the counts, spread and per-sheet deviations of these applications (a
    few queries per 2,000 applications). Call it inside the transaction that changed
    their assignments or sheets. Idempotent."""
    ids = sorted(set(application_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        per_app = _per_application()
        spread = per_app.annotate(
            spread=Case(
                When(done__gte=2, then=F("high") - F("low")),
                default=Value(None),
                output_field=Application._meta.get_field("score_spread"),
            )
        )
        Application.objects.filter(pk__in=chunk).update(
            sheets_assigned=Coalesce(Subquery(per_app.values("n")), 0),
            sheets_submitted=Coalesce(Subquery(per_app.values("done")), 0),
            score_spread=Subquery(spread.values("spread")),
        )
        _refresh_deviations(chunk)


def _refresh_deviations(application_ids) -> None:
    """ScoreSheet.deviation = total − the median submitted total of its application
    (None below two submitted sheets); only the rows that change are written."""
    rows = ScoreSheet.objects.filter(assignment__application_id__in=application_ids).values_list(
        "pk", "assignment__application_id", "submitted_at", "total", "deviation"
    )
    by_app = defaultdict(list)
    for pk, app_id, submitted_at, total, deviation in rows:
        by_app[app_id].append((pk, total if submitted_at is not None else None, deviation))
    changed = []
    for sheets in by_app.values():
        totals = [t for _pk, t, _d in sheets if t is not None]
        middle = median(totals) if len(totals) >= 2 else None
        for pk, total, old in sheets:
            new = None
            if middle is not None and total is not None:
                new = (total - middle).quantize(CENT)
            if new != old:
                changed.append(ScoreSheet(pk=pk, deviation=new))
    if changed:
        ScoreSheet.objects.bulk_update(changed, ["deviation"], batch_size=500)
