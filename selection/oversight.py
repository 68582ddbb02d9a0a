"""Reads of the panel page (遴选培育组): progress, outliers and per-expert figures, all
computed by aggregate SQL and paginated, so that the page's query count and size do not
grow with the number of applications in the round (issue #14)."""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import (
    Avg,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
)

from config.pagination import DeferredJoinPaginator
from selection.choices import ApplicationStatus
from selection.models import Assignment, ConflictOfInterest, PanelMember

PAGE_SIZE = 25
REVIEW_STATES = [
    ApplicationStatus.ELIGIBLE,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.SCORED,
]
CENT = Decimal("0.01")
SUBMITTED = Q(assignments__sheet__submitted_at__isnull=False)


def cents(value):
    """Two places; SQLite answers floats, PostgreSQL Decimals."""
    return None if value is None else Decimal(str(value)).quantize(CENT)


# --- applications ----------------------------------------------------------------------


def under_review(selection_round):
    """Applications under panel review (with or without experts yet: one whose only sheet
    was withdrawn still needs a replacement)."""
    return selection_round.applications.filter(
        Q(status__in=REVIEW_STATES) | Q(sheets_assigned__gt=0)
    )


def progress_summary(selection_round) -> dict:
    """One aggregate query over the applications' stored counts
    (services.review_counts): under review, complete (done ≥ k and nothing pending),
    lacking submitted sheets (done < k), and flagged for spread."""
    k = selection_round.panelists_per_application
    totals = under_review(selection_round).aggregate(
        total=Count("id"),
        complete=Count(
            "id", filter=Q(sheets_submitted__gte=k, sheets_submitted=F("sheets_assigned"))
        ),
        lacking=Count("id", filter=Q(sheets_submitted__lt=k)),
        outliers=Count("id", filter=Q(score_spread__gt=selection_round.outlier_spread)),
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
    """The rows of the progress list, filtered by the stored counts."""
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
    if filters.lacking:
        qs = qs.filter(sheets_submitted__lt=selection_round.panelists_per_application)
    if filters.outliers:
        qs = qs.filter(score_spread__gt=selection_round.outlier_spread)
    # The least reviewed first: what oversight looks for, and a sort on the narrow
    # stored counts rather than on the enterprises' names joined across the round.
    return qs.order_by("sheets_submitted", "id")


def progress_page(selection_round, filters: ProgressFilters, number, *, total=None):
    """One page of the progress list: ids sorted and sliced first, then the page's rows
    with their enterprise and assignments (a fixed number of queries). `total`, when
    the list is unfiltered, is the summary's count (one query fewer)."""
    qs = (
        progress_queryset(selection_round, filters)
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
    paginator = DeferredJoinPaginator(qs, PAGE_SIZE)
    if total is not None and not filters.active:
        paginator.count = total  # a cached_property: the summary already counted them
    page = paginator.get_page(number)
    for application in page.object_list:
        application.flagged = (
            application.score_spread is not None
            and application.score_spread > selection_round.outlier_spread
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
    spread) on each member: one aggregate query over their sheets, whose deviation from
    the application's median is stored (services.review_counts)."""
    members = list(members)
    submitted = Q(sheet__submitted_at__isnull=False)
    figures = {
        row["panel_member_id"]: row
        for row in Assignment.objects.filter(panel_member__in=[m.pk for m in members])
        .order_by()
        .values("panel_member_id")
        .annotate(
            expected=Count("id"),
            done=Count("id", filter=submitted),
            mean=Avg("sheet__total", filter=submitted),
            mean_square=Avg(
                F("sheet__total") * F("sheet__total"),
                filter=submitted,
                output_field=DecimalField(max_digits=12, decimal_places=4),
            ),
            deviation=Avg("sheet__deviation", filter=submitted),
        )
    }
    limit = selection_round.outlier_spread / 2
    for member in members:
        row = figures.get(member.pk, {})
        member.expected, member.done = row.get("expected", 0), row.get("done", 0)
        mean, mean_square = row.get("mean"), row.get("mean_square")
        member.spread = None
        if mean is not None and mean_square is not None:
            variance = max(0.0, float(mean_square) - float(mean) ** 2)
            member.spread = cents(math.sqrt(variance))
        member.mean = cents(mean)
        member.deviation = cents(row.get("deviation"))
        member.flagged = member.deviation is not None and abs(member.deviation) > limit
    return members


def experts_page(selection_round, number):
    """A page of `experts` with their figures: a count, the page, one aggregate query."""
    page = Paginator(experts(selection_round), PAGE_SIZE).get_page(number)
    page.object_list = with_figures(page.object_list, selection_round)
    return page


CANDIDATE_LIMIT = 20


def panelist_candidates(selection_round, query: str = ""):
    """Panelists not yet on the round's panel who match `query` (name, organisation or
    e-mail), by name: the "add member" control shows the first CANDIDATE_LIMIT of them,
    never every panelist of the country."""
    from accounts.models import Role, User

    candidates = User.objects.filter(role=Role.PANELIST, is_active=True).exclude(
        panel_seats__round=selection_round
    )
    query = (query or "").strip()[:100]
    if query:
        candidates = candidates.filter(
            Q(full_name__icontains=query)
            | Q(organisation__name__icontains=query)
            | Q(email__icontains=query)
        )
    return candidates.select_related("organisation").order_by("full_name", "id")


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
