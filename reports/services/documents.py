"""The short documents, rendered in the request: a round's result list (公示名单, staff and
public versions), its panel minutes (评审纪要) and an enterprise profile (企业画像).

Each gathers its rows in a fixed number of queries and renders one template under
templates/reports/ through reports.pdf.render_pdf. Who may ask is checked by the caller
(views and API) with reports.permissions; objects arrive already inside visible_to.
"""

from collections import defaultdict

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.choices import EntryStatus
from reports.pdf import render_pdf
from selection.choices import ApplicationStatus, RoundStatus
from selection.models import PanelCriterion, Score, ScoreSheet

RESULT_STATES = [
    ApplicationStatus.PROPOSED,
    ApplicationStatus.CONFIRMED,
    ApplicationStatus.ADMITTED,
    ApplicationStatus.NOT_SELECTED,
]
# What the public may see: a notice that began (confirmed results) or a closed round.
PUBLIC_ROUND_STATES = (RoundStatus.NOTICE, RoundStatus.CLOSED)


def _context(**extra) -> dict:
    return {"portal_name": settings.PORTAL_NAME, "generated_at": timezone.now(), **extra}


def round_results(selection_round):
    """Staff version: every result with scores, ranked."""
    return (
        selection_round.applications.filter(status__in=RESULT_STATES)
        .select_related("enterprise", "enterprise__region")
        .order_by("-final_score", "id")
    )


def public_round_results(selection_round):
    """The public version: selected results only, in tier then name order."""
    states = [ApplicationStatus.CONFIRMED, ApplicationStatus.ADMITTED]
    return (
        selection_round.applications.filter(status__in=states)
        .exclude(proposed_tier="")
        .select_related("enterprise", "enterprise__region")
        .order_by("proposed_tier", "enterprise__name", "id")
    )


def is_public(selection_round) -> bool:
    return selection_round.status in PUBLIC_ROUND_STATES


def round_results_html(selection_round, *, public: bool) -> str:
    rows = public_round_results(selection_round) if public else round_results(selection_round)
    return render_to_string(
        "reports/round_results.html",
        _context(round=selection_round, rows=rows, public=public),
    )


def round_results_pdf(selection_round, *, public: bool) -> bytes:
    return render_pdf(round_results_html(selection_round, public=public))


def panelist_labels(selection_round, members) -> dict[int, str]:
    """How the minutes name each panelist: by name, or (blind round) by a number and an
    affiliation only, in a stable order that does not follow the names."""
    if not selection_round.hide_enterprise_names:
        return {m.pk: f"{m.user.full_name}（{m.get_affiliation_display()}）" for m in members}
    ordered = sorted(members, key=lambda m: m.pk)
    return {
        m.pk: _("专家%(n)s（%(affiliation)s）")
        % {"n": i, "affiliation": m.get_affiliation_display()}
        for i, m in enumerate(ordered, start=1)
    }


def minutes(selection_round) -> dict:
    """Submitted score sheets of the round, per application, per panelist, per criterion:
    four queries whatever the round's size."""
    criteria = list(PanelCriterion.objects.filter(round=selection_round).order_by("order", "pk"))
    sheets = list(
        ScoreSheet.objects.filter(
            assignment__application__round=selection_round, submitted_at__isnull=False
        )
        .select_related("assignment__panel_member__user", "assignment__application__enterprise")
        .order_by("assignment__application__final_score", "assignment__application_id", "pk")
    )
    values = defaultdict(dict)
    for sheet_id, criterion_id, value in Score.objects.filter(sheet__in=sheets).values_list(
        "sheet_id", "criterion_id", "value"
    ):
        values[sheet_id][criterion_id] = value
    members = {s.assignment.panel_member.pk: s.assignment.panel_member for s in sheets}
    labels = panelist_labels(selection_round, list(members.values()))
    applications = {}
    for sheet in sheets:
        application = sheet.assignment.application
        block = applications.setdefault(application.pk, {"application": application, "rows": []})
        block["rows"].append(
            {
                "panelist": labels[sheet.assignment.panel_member.pk],
                "scores": [values[sheet.pk].get(c.pk) for c in criteria],
                "total": sheet.total,
            }
        )
    ordered = sorted(
        applications.values(),
        key=lambda b: (-(b["application"].final_score or 0), b["application"].pk),
    )
    return {"criteria": criteria, "applications": ordered, "panelists": sorted(labels.values())}


def minutes_html(selection_round) -> str:
    return render_to_string(
        "reports/minutes.html", _context(round=selection_round, **minutes(selection_round))
    )


def minutes_pdf(selection_round) -> bytes:
    return render_pdf(minutes_html(selection_round))


def enterprise_profile(enterprise) -> dict:
    """Tier history, growth labels and support received (policy grants, data resources)."""
    from policies.models import GrantStatus
    from resources.models import ResourceStatus

    entry = getattr(enterprise, "registry_entry", None)
    changes = list(entry.changes.order_by("created_at", "id")) if entry else []
    return {
        "enterprise": enterprise,
        "entry": entry,
        "in_registry": bool(entry and entry.status == EntryStatus.ACTIVE),
        "changes": changes,
        "labels": list(enterprise.labels.order_by("-granted_on", "id")),
        "grants": list(
            enterprise.grants.exclude(status=GrantStatus.LAPSED)
            .select_related("policy")
            .order_by("-matched_at", "id")
        ),
        "resources": list(
            enterprise.data_resources.filter(status=ResourceStatus.CODED).order_by("code")
        ),
        "reports": list(enterprise.annual_reports.order_by("-year")[:5]),
    }


def enterprise_profile_pdf(enterprise) -> bytes:
    html = render_to_string(
        "reports/enterprise_profile.html", _context(**enterprise_profile(enterprise))
    )
    return render_pdf(html)
