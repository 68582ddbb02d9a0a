from django.db.models import Count, F, Q, Window
from django.db.models.functions import DenseRank
from django.utils.translation import gettext as _

from config.lookups import id_filter
from registry.choices import Tier
from registry.models import Enterprise
from selection import blind
from selection.choices import IDENTITY_ATTACHMENT_KINDS, ApplicationStatus, RoundStatus
from selection.models import (
    Application,
    ApplicationFigures,
    ConflictReport,
    FormalReview,
    Objection,
    Score,
    ScoreSheet,
    SelectionRound,
)


def round_list(user):
    return (
        SelectionRound.objects.visible_to(user)
        .select_related("region")
        .annotate(application_count=Count("applications"))
        .order_by("-year", "-id")
    )


def application_list(user):
    return Application.objects.visible_to(user).select_related(
        "round", "round__region", "enterprise", "enterprise__region"
    )


def round_applications(user, selection_round, params):
    """The round's application list (the page and the export), `status` from the
    parameters, newest submission first (index application_round_recent). A round the user
    manages shows all its applications, so no visibility join is needed, and the count
    reads the one table; a round above the user's jurisdiction (read-only) keeps the
    visible_to filter. Page it with config.pagination.DeferredJoinPaginator: ids sorted and
    sliced first, then the page's wide rows with select_related."""
    from selection.permissions import can_manage_round

    if can_manage_round(user, selection_round):
        applications = Application.objects.filter(round=selection_round)
    else:
        applications = Application.objects.visible_to(user).filter(round=selection_round)
    status = params.get("status", "")
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    return applications.select_related("enterprise__region").order_by("-submitted_at", "-id")


RESULT_STATUSES = (
    ApplicationStatus.PROPOSED,
    ApplicationStatus.CONFIRMED,
    ApplicationStatus.ADMITTED,
    ApplicationStatus.NOT_SELECTED,
)


def round_results(selection_round):
    """The tiering results of a round, best score first (the results page and export)."""
    return (
        selection_round.applications.filter(status__in=RESULT_STATUSES)
        .select_related("enterprise", "enterprise__region")
        .order_by("-final_score", "id")
    )


def round_objections(user, selection_round):
    """The objections to a round's results that `user` may see (page and export)."""
    return (
        Objection.objects.visible_to(user)
        .filter(application__round=selection_round)
        .select_related("application__enterprise", "filed_by", "resolved_by")
        .order_by("-created_at", "-id")
    )


def round_formal_reviews(user, selection_round):
    """The formal-review decisions on a round's applications `user` may see, newest
    first, with the number of checklist items that failed."""
    return (
        FormalReview.objects.filter(
            application__in=Application.objects.visible_to(user).filter(round=selection_round)
        )
        .select_related("application__enterprise", "reviewer")
        .annotate(failed_items=Count("items", filter=Q(items__passed=False)))
        .order_by("-created_at", "-id")
    )


def round_scores(user, selection_round):
    """Every criterion score of the round's submitted sheets that `user` may see, per
    application, expert and criterion; `expert_no` numbers the experts 1…k in the round
    (what a blind round shows instead of their names)."""
    sheets = ScoreSheet.objects.visible_to(user).filter(
        assignment__application__round=selection_round, submitted_at__isnull=False
    )
    return (
        Score.objects.filter(sheet__in=sheets)
        .select_related(
            "sheet__assignment__panel_member__user",
            "sheet__assignment__application__enterprise",
            "sheet__assignment__application__round",
            "criterion",
        )
        .annotate(expert_no=Window(DenseRank(), order_by=F("sheet__assignment__panel_member_id")))
        .order_by(
            "sheet__assignment__application__enterprise__name",
            "sheet__assignment__application_id",
            "sheet__assignment__panel_member_id",
            "criterion__order",
            "criterion_id",
        )
    )


def round_conflict_reports(selection_round):
    """Conflicts reported after scoring on a round, pending first, newest first."""
    return (
        ConflictReport.objects.filter(application__round=selection_round)
        .select_related("panel_member__user", "application__enterprise", "decided_by")
        .order_by("status", "-reported_at", "-id")
    )


def status_counts(selection_round) -> list[tuple[str, str, int]]:
    counts = dict(
        selection_round.applications.values_list("status").annotate(n=Count("id")).order_by()
    )
    return [(value, label, counts.get(value, 0)) for value, label in ApplicationStatus.choices]


def tier_distribution(selection_round) -> list[tuple[str, int]]:
    """The round's results per tier as they stand now (overrides included), ladder order,
    "not selected" last, in the reader's language: one aggregate query."""
    counts = dict(
        selection_round.applications.filter(status__in=RESULT_STATUSES)
        .values_list("proposed_tier")
        .annotate(n=Count("id"))
        .order_by()
    )
    if not counts:
        return []
    rows = [(str(label), counts.get(value, 0)) for value, label in Tier.choices]
    return [*rows, (_("未入选"), counts.get("", 0))]


def panelist_workload(user) -> list[dict]:
    """A panelist's sheets per round in panel review: waiting and submitted, with the
    round's review deadline, soonest deadline first (one aggregate query)."""
    return list(
        ScoreSheet.objects.visible_to(user)
        .filter(assignment__application__round__status=RoundStatus.PANEL_REVIEW)
        .values(
            round_id=F("assignment__application__round_id"),
            title=F("assignment__application__round__title"),
            closes_on=F("assignment__application__round__review_closes_on"),
        )
        .annotate(
            waiting=Count("id", filter=Q(submitted_at__isnull=True)),
            submitted=Count("id", filter=Q(submitted_at__isnull=False)),
        )
        .order_by("closes_on", "round_id")
    )


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


def panel_overview(selection_round):
    """Every member with their load (`expected`), progress (`done`), score figures and
    deviation (selection.oversight.with_figures; the panel page shows them a page at a
    time)."""
    from selection import oversight

    return oversight.with_figures(oversight.experts(selection_round), selection_round)


def outliers(selection_round):
    """Applications whose submitted totals spread more than the round allows, and
    panelists whose totals sit on average more than half that away from the median
    total of the applications they scored (the median resists the outlier itself).
    Returns (applications, panelists) as lists of dicts, from aggregate queries."""
    from selection import oversight

    limit = selection_round.outlier_spread
    apps = [
        {"application_id": pk, "spread": spread}
        for pk, spread in oversight.under_review(selection_round)
        .filter(score_spread__gt=limit)
        .order_by("pk")
        .values_list("pk", "score_spread")
    ]
    members = [
        {"panel_member_id": m.pk, "deviation": m.deviation}
        for m in panel_overview(selection_round)
        if m.flagged
    ]
    return apps, members


def applicant_label(application, user) -> str:
    """The enterprise's name, or a code when the round hides names from panelists."""
    if blind.is_blind_for(application.round, user):
        return _("申请 %(code)s") % {"code": f"A-{application.round.year}-{application.pk:05d}"}
    return application.enterprise.name


ESSAY_FIELDS = ("innovation_summary", "data_practice", "growth_plan")


def reader_terms(application, user) -> blind.IdentityTerms:
    """What must be blanked out of this application's texts for `user` (nothing unless
    the user reads it as a panelist of a round that hides names)."""
    if not blind.is_blind_for(application.round, user):
        return blind.IdentityTerms()
    return blind.identity_terms(application.enterprise)


def essays_for(application, user, *, terms=None) -> list[tuple[str, str]]:
    """(label, text) of the application's free text as `user` may read it."""
    terms = reader_terms(application, user) if terms is None else terms
    return [
        (
            Application._meta.get_field(name).verbose_name,
            blind.redact(getattr(application, name), terms),
        )
        for name in ESSAY_FIELDS
    ]


def attachments_for(application, user):
    """The attachments `user` may open: a panelist never gets an identity document."""
    attachments = application.attachments.all()
    if user.role == "panelist":
        attachments = attachments.exclude(kind__in=IDENTITY_ATTACHMENT_KINDS)
    return attachments


def attachment_name(attachment, user) -> str:
    """The real file name, or a neutral one for a blind panel."""
    if blind.is_blind_for(attachment.application.round, user):
        return attachment.neutral_name
    return attachment.original_name


RESULT_PUBLIC_STATES = {"confirmed", "admitted", "not_selected"}


def result_visible(application, user) -> bool:
    """Staff see proposals as they form; enterprises only once staff confirmed them.
    A panelist never: every result aggregates other experts' scores."""
    if user.role == "panelist":
        return False
    if user.is_staff_reviewer:
        return application.status in RESULT_PUBLIC_STATES | {"proposed"}
    return application.status in RESULT_PUBLIC_STATES


# Application figures checked against the enterprise's accepted annual report of the
# same year: (figures field, report field).
REPORT_COMPARED = [
    ("revenue", "revenue"),
    ("main_business_revenue", "main_business_revenue"),
    ("rd_expense", "rd_expense"),
    ("employees", "employees"),
    ("rd_staff", "rd_staff"),
    ("invention_patents", "invention_patents"),
    ("software_copyrights", "software_copyrights"),
    ("financing_raised", "financing_this_year"),
]


def figures_against_reports(application) -> list[dict]:
    """Where the application's figures differ from the enterprise's ACCEPTED annual report
    of the same year: a flag for staff in formal review, with both figures, not a refusal
    (a report may have been corrected since). Two queries, whatever the number of years."""
    from registry.models import AnnualReport
    from registry.models.monitoring import ReportStatus

    figures = list(application.figures.order_by("year"))
    reports = {
        r.year: r
        for r in AnnualReport.objects.filter(
            enterprise_id=application.enterprise_id,
            status=ReportStatus.ACCEPTED,
            year__in=[f.year for f in figures],
        )
    }
    rows = []
    for f in figures:
        report = reports.get(f.year)
        if report is None:
            continue
        for field, report_field in REPORT_COMPARED:
            declared, reported = getattr(f, field), getattr(report, report_field)
            if declared != reported:
                rows.append(
                    {
                        "year": f.year,
                        "field": field,
                        "label": f._meta.get_field(field).verbose_name,
                        "declared": declared,
                        "reported": reported,
                        "report_id": report.pk,
                    }
                )
    return rows


def admitted_figures(enterprise_ids) -> list[dict]:
    """The yearly figures of admitted applications (staff reviewed and the panel scored
    them), one query: the growth labels read them for a year with no accepted report
    (registry.services.labels.FIGURE_SOURCES). The latest application comes first: its
    figures for a year are the ones read."""
    return list(
        ApplicationFigures.objects.filter(
            application__status=ApplicationStatus.ADMITTED,
            **id_filter("application__enterprise_id", enterprise_ids),
        )
        .order_by("-application_id", "year")
        .values("year", "revenue", "valuation", enterprise_id=F("application__enterprise_id"))
    )
