from django.db.models import Count, F, Q, Window
from django.db.models.functions import DenseRank
from django.utils.translation import gettext as _

from registry.models import Enterprise
from selection import blind
from selection.choices import IDENTITY_ATTACHMENT_KINDS, ApplicationStatus, RoundStatus
from selection.models import (
    Application,
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
    )


def application_list(user):
    return Application.objects.visible_to(user).select_related(
        "round", "round__region", "enterprise", "enterprise__region"
    )


def round_applications(user, selection_round, params):
    """The round page's applications: visible to `user`, `status` from the parameters,
    latest submitted first (the page and the export)."""
    applications = application_list(user).filter(round=selection_round)
    status = params.get("status")
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    return applications.order_by("-submitted_at", "-id")


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
    """Members with their load and progress (one query)."""
    from django.db.models import Q

    return (
        selection_round.panel_members.select_related("user", "user__organisation")
        .annotate(
            expected=Count("assignments", distinct=True),
            done=Count(
                "assignments",
                filter=Q(assignments__sheet__submitted_at__isnull=False),
                distinct=True,
            ),
        )
        .order_by("user__full_name")
    )


def application_progress(selection_round):
    """Applications under panel review (with or without experts yet: one whose only sheet
    was withdrawn still needs a replacement), with `expected` (assigned sheets) and `done`
    (submitted sheets). Complete = done ≥ the round's k and done == expected."""
    from django.db.models import Exists, OuterRef, Q

    from selection.models import Assignment

    review_states = [
        ApplicationStatus.ELIGIBLE,
        ApplicationStatus.UNDER_REVIEW,
        ApplicationStatus.SCORED,
    ]
    assigned = Exists(Assignment.objects.filter(application=OuterRef("pk")))
    return (
        selection_round.applications.filter(Q(status__in=review_states) | Q(assigned))
        .select_related("enterprise")
        .annotate(
            expected=Count("assignments", distinct=True),
            done=Count(
                "assignments",
                filter=Q(assignments__sheet__submitted_at__isnull=False),
                distinct=True,
            ),
        )
        .order_by("enterprise__name")
    )


def outliers(selection_round):
    """Applications whose submitted totals spread more than the round allows, and
    panelists whose totals sit on average more than half that away from the median
    total of the applications they scored (the median resists the outlier itself).
    Returns (applications, panelists) as lists of dicts."""
    from collections import defaultdict
    from decimal import Decimal
    from statistics import median

    from selection.models import ScoreSheet

    rows = ScoreSheet.objects.filter(
        assignment__application__round=selection_round, submitted_at__isnull=False
    ).values_list("assignment__application_id", "assignment__panel_member_id", "total")
    by_app = defaultdict(dict)
    for app_id, member_id, total in rows:
        by_app[app_id][member_id] = total
    spread_limit = selection_round.outlier_spread
    apps = []
    deviations = defaultdict(list)
    for app_id, totals in by_app.items():
        if len(totals) >= 2 and max(totals.values()) - min(totals.values()) > spread_limit:
            apps.append(
                {"application_id": app_id, "spread": max(totals.values()) - min(totals.values())}
            )
        if len(totals) >= 2:
            middle = median(totals.values())
            for member_id, total in totals.items():
                deviations[member_id].append(total - middle)
    members = []
    for member_id, values in deviations.items():
        mean = sum(values) / len(values)
        if abs(mean) > spread_limit / 2:
            members.append(
                {"panel_member_id": member_id, "deviation": mean.quantize(Decimal("0.01"))}
            )
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
