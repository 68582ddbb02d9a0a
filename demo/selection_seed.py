"""Demo selection rounds: a draft, an open round with applications in several states,
and a round in formal review — all made through the selection services."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from registry.models import Enterprise, Membership
from registry.services import approve_membership, request_membership
from selection.choices import RoundStatus
from selection.models import SelectionRound
from selection.services import applications as app_services
from selection.services import rounds as round_services
from selection.services.review import review_application

DEMO_PDF = b"%PDF-1.4\n% demo attachment\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
# (bureau e-mail, year, title, final status); the rounds' windows are set from today.
ROUNDS = [
    ("zhejiang@demo.cn", 2026, "2026年度浙江省数创企业遴选", RoundStatus.OPEN),
    ("shanghai@demo.cn", 2026, "2026年度上海市数创企业遴选", RoundStatus.FORMAL_REVIEW),
    ("hangzhou@demo.cn", 2027, "2027年度杭州市数创企业遴选（筹备中）", RoundStatus.DRAFT),
    ("beijing@demo.cn", 2026, "2026年度北京市数创企业遴选", RoundStatus.PANEL_REVIEW),
    ("hangzhou@demo.cn", 2026, "2026年度杭州市数创企业遴选", RoundStatus.TIERING),
    ("zhejiang@demo.cn", 2025, "2025年度浙江省数创企业遴选", RoundStatus.NOTICE),
    ("national@demo.cn", 2025, "2025年度国家数创企业遴选", RoundStatus.CLOSED),
]
PANEL_STATES = [
    RoundStatus.PANEL_REVIEW,
    RoundStatus.TIERING,
    RoundStatus.NOTICE,
    RoundStatus.CLOSED,
]
# Two more demo experts so that panels can span the four pillars.
EXTRA_PANELISTS = [
    ("expert4@demo.cn", "18800000024", "冯立群", "government", "示范市发展和改革委员会"),
    ("expert5@demo.cn", "18800000025", "许嘉文", "enterprise", "示范数字产业集团有限公司"),
]
# What happens to the Zhejiang applications, in order of the enterprises picked.
ZHEJIANG_PLAN = ["eligible", "submitted", "returned", "eligible", "submitted", "ineligible",
                 "draft", "submitted", "eligible", "resubmitted"]  # fmt: skip


def seed_selection(users, password, *, log=print) -> None:
    made = 0
    for email, year, title, status in ROUNDS:
        bureau = users[email]
        if SelectionRound.objects.filter(region=bureau.region, year=year).exists():
            continue
        selection_round = _round(bureau, year, title)
        if status != RoundStatus.DRAFT:
            selection_round = round_services.set_round_status(
                selection_round, RoundStatus.OPEN, actor=bureau
            )
            plan = _plan(email, year, status)
            for enterprise, fate in zip(
                _applicants(bureau.region, len(plan), password), plan, strict=False
            ):
                _apply(selection_round, enterprise, fate, bureau)
        if status not in (RoundStatus.DRAFT, RoundStatus.OPEN):
            _close_window(selection_round)  # the applications are in; the window has closed
        if status == RoundStatus.FORMAL_REVIEW:
            round_services.set_round_status(selection_round, status, actor=bureau)
        if status in PANEL_STATES:
            from demo.selection_panel_seed import run_panel

            run_panel(selection_round, bureau, status, users, password)
        if year < timezone.localdate().year:  # an earlier year's round ran in that year
            _backdate_windows(selection_round, year)
        made += 1
    log(f"遴选轮次：新建 {made} 个")


def _close_window(selection_round):
    closed = timezone.now() - datetime.timedelta(hours=1)
    SelectionRound.objects.filter(pk=selection_round.pk).update(application_closes_at=closed)
    selection_round.refresh_from_db()


def _backdate_windows(selection_round, year):
    opens = timezone.make_aware(datetime.datetime(year, 3, 1, 9, 0))
    SelectionRound.objects.filter(pk=selection_round.pk).update(
        application_opens_at=opens,
        application_closes_at=opens + datetime.timedelta(days=60),
        review_opens_on=datetime.date(year, 5, 10),
        review_closes_on=datetime.date(year, 6, 30),
    )


def _plan(email, year, status):
    if status in PANEL_STATES:
        return ["eligible"] * 6
    if email == "zhejiang@demo.cn":
        return ZHEJIANG_PLAN
    return ["submitted"] * 3


def _round(bureau, year, title):
    now = timezone.now()
    return round_services.create_round(
        actor=bureau,
        region=bureau.region,
        year=year,
        title=title,
        application_opens_at=now - datetime.timedelta(days=10),
        application_closes_at=now + datetime.timedelta(days=20),
        review_opens_on=timezone.localdate(now + datetime.timedelta(days=21)),
        review_closes_on=timezone.localdate(now + datetime.timedelta(days=50)),
    )


def _applicants(region, count, password):
    """Enterprises of the region with an active member, giving some a demo member."""
    # One round per enterprise: an expert who saw it named in one round and blind in another
    # would be a (detected) conflict, and the demo's panels would lose their sheets.
    enterprises = list(
        Enterprise.objects.filter(
            region__path__startswith=region.path, applications__isnull=True
        ).order_by("uscc")[:count]
    )
    for enterprise in enterprises:
        if not Membership.objects.active().filter(enterprise=enterprise).exists():
            phone = f"189{enterprise.pk:08d}"  # one account per enterprise, whatever the round
            membership = request_membership(
                account={
                    "email": f"ent.{enterprise.pk}@demo.cn",
                    "phone": phone,
                    "full_name": f"{enterprise.contact_name}",
                    "password": password,
                },
                uscc=enterprise.uscc,
            )
            approve_membership(membership, actor=_bureau_of(region))
    return enterprises


def _bureau_of(region):
    from accounts.models import User

    return User.objects.get(role="bureau", region=region)


def _member(enterprise):
    return Membership.objects.active().filter(enterprise=enterprise).first().user


def _apply(selection_round, enterprise, fate, bureau):
    member = _member(enterprise)
    application = app_services.start_application(
        actor=member, enterprise=enterprise, selection_round=selection_round
    )
    seed = int(enterprise.uscc[8:16]) % 7
    app_services.save_application(
        application,
        actor=member,
        figures=_figures(selection_round.year - 1, seed),
        category=enterprise.category,
        tier_sought=["potential", "growth", "leading"][seed % 3],
        size=enterprise.size,
        innovation_summary=f"{enterprise.name}围绕{enterprise.get_industry_display()}持续投入研发。",
        data_practice="参与公共数据授权运营，建设行业数据产品。",
        growth_plan="未来三年拓展长三角市场，计划开展新一轮融资。",
        award_level="provincial" if seed == 0 else "none",
        rd_institution_level="none",
    )
    if fate == "draft":
        return
    app_services.add_attachment(
        application,
        actor=member,
        upload=SimpleUploadedFile("营业执照.pdf", DEMO_PDF),
        kind="business_licence",
    )
    app_services.add_attachment(
        application,
        actor=member,
        upload=SimpleUploadedFile("2025年度审计报告.pdf", DEMO_PDF),
        kind="financial",
    )
    application = app_services.submit_application(application, actor=member, declaration=True)
    checklist = list(selection_round.checklist.all())
    all_ok = {item.pk: (True, "") for item in checklist}
    if fate in ("returned", "resubmitted"):
        items = {**all_ok, checklist[1].pk: (False, "2024 年度研发费用与审计报告不一致，请核对。")}
        application = review_application(application, actor=bureau, outcome="returned", items=items)
        if fate == "resubmitted":
            application = app_services.submit_application(
                application, actor=member, declaration=True
            )
    elif fate == "eligible":
        review_application(application, actor=bureau, outcome="eligible", items=all_ok)
    elif fate == "ineligible":
        review_application(
            application,
            actor=bureau,
            outcome="ineligible",
            items=all_ok,
            reason="近三年存在严重失信记录，不符合申报条件。",
        )


def _figures(last_year, seed):
    base = Decimal(8_000_000 + seed * 9_000_000)
    growth = Decimal("1.25") + Decimal(seed) / 20
    rows = {}
    for offset in range(3):
        revenue = (base * growth**offset).quantize(Decimal("0.01"))
        employees = 40 + seed * 25 + offset * 10
        rows[last_year - 2 + offset] = {
            "revenue": revenue,
            "main_business_revenue": (revenue * Decimal("0.88")).quantize(Decimal("0.01")),
            "rd_expense": (revenue * Decimal(4 + seed) / 100).quantize(Decimal("0.01")),
            "rd_staff": employees * (20 + seed * 5) // 100,
            "employees": employees,
            "invention_patents": seed * 3 + offset,
            "software_copyrights": 5 + seed * 4 + offset * 2,
            "debt_ratio": Decimal(30 + seed * 6),
            "financing_raised": Decimal(3_000_000) if seed == 5 and offset == 2 else Decimal(0),
            "valuation": None,
        }
    return rows
