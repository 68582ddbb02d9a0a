"""Reads of the panel page (遴选培育组): progress, outliers and per-expert figures, all
computed by aggregate SQL and paginated, so that the page's query count and size do not
grow with the number of applications in the round (issue #14)."""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Sum,
    Value,
    When,
)

from config.pagination import DeferredJoinPaginator
from selection.choices import ApplicationStatus
from selection.models import Application, Assignment, ConflictOfInterest, PanelMember

PAGE_SIZE = 25
REVIEW_STATES = [
    ApplicationStatus.ELIGIBLE,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.SCORED,
]
CENT = Decimal("0.01")
_POINTS = DecimalField(max_digits=6, decimal_places=2)
SUBMITTED = Q(assignments__sheet__submitted_at__isnull=False)

# Per expert of a page, in one statement: assigned and submitted sheets, the mean and the
# mean square of their submitted totals (the spread is the square root of their
# difference) and their deviation: the mean, over the applications with at least two
# submitted sheets, of (their total − that application's median submitted total; the
# median resists the outlier itself). Window functions give the median on PostgreSQL and
# SQLite alike. Only the applications given to the page's experts are read, so the cost
# is their load, not the round's size.
FIGURES_SQL = """
WITH apps AS (
    SELECT DISTINCT a.application_id FROM selection_assignment a
    WHERE a.panel_member_id IN ({members})
),
ranked AS (
    SELECT a2.application_id, s2.total,
           ROW_NUMBER() OVER (PARTITION BY a2.application_id ORDER BY s2.total) AS rn,
           COUNT(*) OVER (PARTITION BY a2.application_id) AS n
    FROM selection_scoresheet s2
    JOIN selection_assignment a2 ON a2.id = s2.assignment_id
    WHERE s2.submitted_at IS NOT NULL
      AND a2.application_id IN (SELECT application_id FROM apps)
),
med AS (
    SELECT application_id, AVG(total) AS median FROM ranked
    WHERE n >= 2 AND rn IN ((n + 1) / 2, (n + 2) / 2)
    GROUP BY application_id
)
SELECT a.panel_member_id,
       COUNT(*),
       COUNT(s.submitted_at),
       AVG(CASE WHEN s.submitted_at IS NOT NULL THEN s.total END),
       AVG(CASE WHEN s.submitted_at IS NOT NULL THEN s.total * s.total END),
       AVG(CASE WHEN s.submitted_at IS NOT NULL THEN s.total - med.median END)
FROM selection_assignment a
LEFT JOIN selection_scoresheet s ON s.assignment_id = a.id
LEFT JOIN med ON med.application_id = a.application_id
WHERE a.panel_member_id IN ({members})
GROUP BY a.panel_member_id
"""


def cents(value):
    """Two places; SQLite answers floats, PostgreSQL Decimals."""
    return None if value is None else Decimal(str(value)).quantize(CENT)


# --- applications ----------------------------------------------------------------------


def with_sheet_counts(queryset):
    """`expected` (assigned sheets), `done` (submitted) and `spread` (highest − lowest
    submitted total; None below two) per application."""
    return queryset.annotate(
        expected=Count("assignments"),
        done=Count("assignments", filter=SUBMITTED),
        high=Max("assignments__sheet__total", filter=SUBMITTED),
        low=Min("assignments__sheet__total", filter=SUBMITTED),
    ).annotate(
        spread=Case(
            When(done__gte=2, then=ExpressionWrapper(F("high") - F("low"), output_field=_POINTS)),
            default=None,
            output_field=_POINTS,
        )
    )


def under_review(selection_round):
    """Applications under panel review (with or without experts yet: one whose only sheet
    was withdrawn still needs a replacement)."""
    assigned = Exists(Assignment.objects.filter(application=OuterRef("pk")))
    return selection_round.applications.filter(Q(status__in=REVIEW_STATES) | Q(assigned))


def progress_summary(selection_round) -> dict:
    """One aggregate query: applications under review, complete (done ≥ k and nothing
    pending), lacking submitted sheets (done < k), and flagged for spread."""
    k = selection_round.panelists_per_application
    per_app = with_sheet_counts(under_review(selection_round))
    one = Value(1)
    totals = per_app.aggregate(
        total=Count("id"),
        complete=Sum(
            Case(When(done__gte=k, done=F("expected"), then=one), default=Value(0)),
            output_field=IntegerField(),
        ),
        lacking=Sum(
            Case(When(done__lt=k, then=one), default=Value(0)), output_field=IntegerField()
        ),
        outliers=Sum(
            Case(When(spread__gt=selection_round.outlier_spread, then=one), default=Value(0)),
            output_field=IntegerField(),
        ),
    )
    return {key: value or 0 for key, value in totals.items()}


@dataclass(frozen=True)
class ProgressFilters:
    status: str = ""
    lacking: bool = False
    outliers: bool = False
    expert: int | None = None

    @classmethod
    def from_query(cls, params, selection_round):
        status = params.get("status", "")
        expert = params.get("expert", "")
        return cls(
            status=status if status in REVIEW_STATES else "",
            lacking=params.get("lacking") == "1",
            outliers=params.get("outliers") == "1",
            expert=int(expert) if expert.isdigit() else None,
        )

    @property
    def active(self) -> bool:
        return bool(self.status or self.lacking or self.outliers or self.expert)


def progress_queryset(selection_round, filters: ProgressFilters):
    """The rows of the progress list, filtered. Annotated (a GROUP BY over the round's
    sheets) only when a filter needs the counts: the plain list sorts ids alone."""
    qs = under_review(selection_round)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.expert:
        qs = qs.filter(
            Exists(
                Assignment.objects.filter(
                    application=OuterRef("pk"), panel_member_id=filters.expert
                )
            )
        )
    if filters.lacking or filters.outliers:
        qs = with_sheet_counts(qs)
        if filters.lacking:
            qs = qs.filter(done__lt=selection_round.panelists_per_application)
        if filters.outliers:
            qs = qs.filter(spread__gt=selection_round.outlier_spread)
    return qs.order_by("enterprise__name", "id")


def progress_page(selection_round, filters: ProgressFilters, number):
    """One page of the progress list: ids sorted and sliced first, then the page's rows
    with their counts and assignments (a fixed number of queries)."""
    page = DeferredJoinPaginator(progress_queryset(selection_round, filters), PAGE_SIZE).get_page(
        number
    )
    ids = [a.pk for a in page.object_list]
    rows = (
        with_sheet_counts(Application.objects.filter(pk__in=ids))
        .select_related("enterprise")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("panel_member__user", "sheet").order_by(
                    "panel_member__user__full_name", "id"
                ),
            )
        )
    )
    by_id = {a.pk: a for a in rows}
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    for application in page.object_list:
        application.flagged = (
            application.spread is not None and application.spread > selection_round.outlier_spread
        )
    return page


# --- experts ---------------------------------------------------------------------------


def experts(selection_round):
    """The round's experts, current ones first, by name (no figures: see with_figures)."""
    return selection_round.panel_members.select_related("user", "user__organisation").order_by(
        "removed_at", "user__full_name", "id"
    )


def with_figures(members, selection_round):
    """Set `expected`, `done`, `mean`, `spread`, `deviation` (two places, None when there
    is nothing to measure) and `flagged` (deviation beyond half the round's outlier
    spread) on each member: one aggregate query (FIGURES_SQL) for all of them."""
    members = list(members)
    figures = {}
    if members:
        sql = FIGURES_SQL.format(members=", ".join(["%s"] * len(members)))
        with connection.cursor() as cursor:
            cursor.execute(sql, [m.pk for m in members] * 2)
            figures = {row[0]: row[1:] for row in cursor.fetchall()}
    limit = selection_round.outlier_spread / 2
    for member in members:
        expected, done, mean, mean_square, deviation = figures.get(
            member.pk, (0, 0, None, None, None)
        )
        member.expected, member.done = expected, done
        member.spread = None
        if mean is not None and mean_square is not None:
            variance = max(0.0, float(mean_square) - float(mean) ** 2)
            member.spread = cents(math.sqrt(variance))
        member.mean = cents(mean)
        member.deviation = cents(deviation)
        member.flagged = member.deviation is not None and abs(member.deviation) > limit
    return members


def experts_page(selection_round, number):
    """A page of `experts` with their figures: a count, the page, one aggregate query."""
    page = Paginator(experts(selection_round), PAGE_SIZE).get_page(number)
    page.object_list = with_figures(page.object_list, selection_round)
    return page


def member_choices(selection_round):
    """(id, name) of the experts who may still be given applications."""
    return list(
        selection_round.panel_members.filter(removed_at__isnull=True)
        .order_by("user__full_name", "id")
        .values_list("id", "user__full_name")
    )


def conflicts_page(selection_round, number):
    conflicts = (
        ConflictOfInterest.objects.filter(panel_member__round=selection_round)
        .select_related("panel_member__user", "enterprise", "dismissed_by")
        .order_by("-created_at", "-id")
    )
    return Paginator(conflicts, PAGE_SIZE).get_page(number)


def member_of(selection_round, member_id):
    """The expert a filter names, if they sit on this round's panel."""
    if member_id is None:
        return None
    return (
        PanelMember.objects.filter(round=selection_round, pk=member_id)
        .select_related("user")
        .first()
    )
