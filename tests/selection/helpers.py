"""Rounds and applications built through the services, as users would build them."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from selection.choices import RoundStatus
from selection.services import applications as app_services
from selection.services import rounds as round_services
from tests.factories import BureauUserFactory, EnterpriseFactory, enterprise_user, region

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def make_round(*, bureau=None, region_code="330000", year=2026, status=RoundStatus.OPEN):
    bureau = bureau or BureauUserFactory(region=region(region_code))
    now = timezone.now()
    selection_round = round_services.create_round(
        actor=bureau,
        region=bureau.region,
        year=year,
        title=f"{year}年度数创企业遴选",
        application_opens_at=now - datetime.timedelta(days=1),
        application_closes_at=now + datetime.timedelta(days=30),
        review_opens_on=timezone.localdate(now + datetime.timedelta(days=31)),
        review_closes_on=timezone.localdate(now + datetime.timedelta(days=60)),
    )
    path = [RoundStatus.OPEN, RoundStatus.FORMAL_REVIEW, RoundStatus.PANEL_REVIEW]
    for step in path[: path.index(status) + 1] if status in path else []:
        if step == RoundStatus.FORMAL_REVIEW:
            close_window(selection_round)
        if step == RoundStatus.PANEL_REVIEW:
            seat_panel(selection_round)
        selection_round = round_services.set_round_status(selection_round, step, actor=bureau)
    return selection_round


def close_window(selection_round):
    """Time passes: the application window has just closed (the review dates still lie
    after it)."""
    from selection.models import SelectionRound

    closed = timezone.now() - datetime.timedelta(minutes=1)
    SelectionRound.objects.filter(pk=selection_round.pk).update(application_closes_at=closed)
    selection_round.refresh_from_db()


def seat_panel(selection_round):
    """Enough panelists for the round's k, if it has fewer."""
    from selection.services import panel as panel_services
    from tests.factories import UserFactory

    for n in range(
        selection_round.panel_members.count(), selection_round.panelists_per_application
    ):
        panel_services.add_panel_member(
            selection_round,
            actor=selection_round.created_by,
            user=UserFactory(role="panelist", full_name=f"专家{n}"),
            affiliation=AFFILIATIONS[n % len(AFFILIATIONS)],
        )


def strong_figures(last_year=2025):
    """Three years of a healthy, research-heavy enterprise."""
    rows = {}
    for offset, revenue in enumerate(
        [Decimal("30000000"), Decimal("45000000"), Decimal("70000000")]
    ):
        rows[last_year - 2 + offset] = {
            "revenue": revenue,
            "main_business_revenue": revenue * Decimal("0.9"),
            "rd_expense": revenue * Decimal("0.12"),
            "rd_staff": 60,
            "employees": 150,
            "invention_patents": 12,
            "software_copyrights": 30,
            "debt_ratio": Decimal("35"),
            "financing_raised": Decimal("0"),
            "valuation": None,
        }
    return rows


APPLICATION_TEXT = {
    "category": "tech",
    "tier_sought": "growth",
    "size": "small",
    "innovation_summary": "自主研发隐私计算平台。",
    "data_practice": "与公共数据授权运营平台合作。",
    "growth_plan": "三年内拓展至五个省份。",
    "award_level": "none",
    "rd_institution_level": "none",
}


def ready_application(selection_round, *, enterprise=None, member=None):
    """A complete draft: text, three years of figures and one PDF."""
    enterprise = enterprise or EnterpriseFactory(region=region("330100"))
    member = member or enterprise_user(enterprise)
    application = app_services.start_application(
        actor=member, enterprise=enterprise, selection_round=selection_round
    )
    app_services.save_application(
        application,
        actor=member,
        figures=strong_figures(selection_round.year - 1),
        **APPLICATION_TEXT,
    )
    app_services.add_attachment(
        application,
        actor=member,
        upload=SimpleUploadedFile("营业执照.pdf", PDF),
        kind="business_licence",
    )
    application.refresh_from_db()
    return application, member


def eligible_application(selection_round, **kwargs):
    """An application that passed formal review (the round must still be open)."""
    from selection.services.review import review_application

    application, member = ready_application(selection_round, **kwargs)
    application = app_services.submit_application(application, actor=member, declaration=True)
    items = {item.pk: (True, "") for item in selection_round.checklist.all()}
    application = review_application(
        application, actor=selection_round.created_by, outcome="eligible", items=items
    )
    return application, member


AFFILIATIONS = ["government", "enterprise", "university", "investment", "research", "incubator"]


def panel_round(*, applications=3, panelists=5, k=3, hide_names=False):
    """A round in panel review with eligible applications and a panel of mixed types."""
    from selection.models import SelectionRound
    from selection.services import panel as panel_services
    from tests.factories import UserFactory

    selection_round = make_round()
    SelectionRound.objects.filter(pk=selection_round.pk).update(
        panelists_per_application=k, hide_enterprise_names=hide_names
    )
    selection_round.refresh_from_db()
    apps = [eligible_application(selection_round)[0] for _ in range(applications)]
    bureau = selection_round.created_by
    members = [
        panel_services.add_panel_member(
            selection_round,
            actor=bureau,
            user=UserFactory(role="panelist", full_name=f"专家{n}"),
            affiliation=AFFILIATIONS[n % len(AFFILIATIONS)],
        )
        for n in range(panelists)
    ]
    close_window(selection_round)
    for step in (RoundStatus.FORMAL_REVIEW, RoundStatus.PANEL_REVIEW):
        selection_round = round_services.set_round_status(selection_round, step, actor=bureau)
    return selection_round, apps, members


def score_sheet(sheet, total):
    """Score every criterion at `total` percent of its maximum and submit."""
    from selection.services import scoring

    user = sheet.assignment.panel_member.user
    criteria = sheet.assignment.application.round.criteria.all()
    values = {c.pk: (Decimal(total) * c.max_score / 100, "评语") for c in criteria}
    scoring.save_scores(sheet, actor=user, values=values)
    return scoring.submit_sheet(sheet, actor=user)


def tiering_round(totals_by_application, *, panelists=5):
    """A round in tiering: each application scored by the panel with the given totals."""
    from selection.models import ScoreSheet
    from selection.services import panel as panel_services

    selection_round, apps, members = panel_round(
        applications=len(totals_by_application), panelists=panelists, k=panelists
    )
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    for application, totals in zip(apps, totals_by_application, strict=True):
        sheets = ScoreSheet.objects.filter(assignment__application=application).order_by("id")
        for sheet, total in zip(sheets, totals, strict=True):
            score_sheet(sheet, total)
    selection_round = round_services.set_round_status(
        selection_round, RoundStatus.TIERING, actor=selection_round.created_by
    )
    return selection_round, apps
