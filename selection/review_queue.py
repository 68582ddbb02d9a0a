"""Staff's queue of applications awaiting formal review (形式审查) across the open rounds
of their jurisdiction (issue #14): which ones may be marked eligible in bulk, and why the
others must be read one by one. Reads only; the decision goes through
`selection.services.review`."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from config.filters import IdFilter, StrictFilterSet
from registry.models import AnnualReport
from registry.models.monitoring import ReportStatus
from selection.choices import AWAITING_REVIEW_STATES, ApplicationStatus, RoundStatus
from selection.models import Application, ApplicationFigures
from selection.selectors import REPORT_COMPARED

# Rounds whose applications may be waiting for formal review.
REVIEWING_ROUNDS = (RoundStatus.OPEN, RoundStatus.FORMAL_REVIEW)


def _differs_from_accepted_report():
    """An application some of whose yearly figures differ from the enterprise's accepted
    report of the same year (selectors.figures_against_reports says which, on its page)."""
    same = Q(**{report: OuterRef(field) for field, report in REPORT_COMPARED})
    differing_report = AnnualReport.objects.filter(
        enterprise_id=OuterRef("application__enterprise_id"),
        year=OuterRef("year"),
        status=ReportStatus.ACCEPTED,
    ).exclude(same)
    return ApplicationFigures.objects.filter(application=OuterRef("pk")).filter(
        Exists(differing_report)
    )


def review_queue(user):
    """Applications waiting for formal review in the rounds the user manages (their
    jurisdiction's, open or in formal review), oldest submission first, each annotated
    with `mismatch` (figures differ from an accepted report). Admins: every round."""
    if not (user.is_authenticated and user.is_staff_reviewer):
        return Application.objects.none()
    applications = Application.objects.filter(
        status__in=AWAITING_REVIEW_STATES, round__status__in=REVIEWING_ROUNDS
    )
    if not user.is_admin:
        applications = applications.filter(round__region__path__startswith=user.region.path)
    return (
        applications.select_related("round__region", "enterprise__region")
        .annotate(mismatch=Exists(_differs_from_accepted_report()))
        .order_by("submitted_at", "id")
    )


class ReviewQueueFilter(StrictFilterSet):
    """The formal-review queue's filters (page and API): one round, one waiting state."""

    round = IdFilter(label=_("轮次"), field_name="round_id")
    status = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[(s, ApplicationStatus(s).label) for s in sorted(AWAITING_REVIEW_STATES)],
        empty_label=_("全部"),
    )

    class Meta:
        model = Application
        fields = ["round", "status"]


def review_queue_filter(user, params) -> ReviewQueueFilter:
    return ReviewQueueFilter(params, queryset=review_queue(user))


def bulk_blockers(application) -> list[str]:
    """Why an application must be reviewed on its own page (stable keys): its figures
    differ from an accepted report, or it comes back after a return (read the
    corrections)."""
    blockers = []
    if application.mismatch:
        blockers.append("mismatch")
    if application.status == ApplicationStatus.RESUBMITTED:
        blockers.append("resubmitted")
    return blockers
