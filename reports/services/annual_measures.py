"""The annual report's sections on the three measures: vouchers (数据券、算法券、算力券),
scenarios (应用场景) and financing (投融资对接), for one jurisdiction and year.

Eleven aggregate queries, whatever the rows. What belongs to the jurisdiction: a voucher programme
of it or below; a scenario list issued under it (and the responses, awards and first
purchases of its scenarios); a financing need of an enterprise located in it. "In the
year" is the row's own date: issued, settled, published, responded, awarded, purchased,
funded, received.
"""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from finance.models import FinancingNeed, Offer
from registry.models import FinancingReceipt, FinancingSource
from scenarios.models import (
    Award,
    CaseStatus,
    FirstPurchase,
    FirstPurchaseDecision,
    Response,
    Scenario,
    TypicalCase,
)
from vouchers.models import Claim, ClaimStatus, Voucher, VoucherKind, VoucherProgram

ZERO = Decimal("0")


def _money(value) -> Decimal:
    return value if value is not None else ZERO


def _by_kind(rows, choices) -> list[tuple[str, int]]:
    counts = dict(rows)
    return [(label, counts.get(value, 0)) for value, label in choices]


def voucher_figures(jurisdiction, year: int, start, end) -> dict:
    programs = VoucherProgram.objects.filter(
        jurisdiction__path__startswith=jurisdiction.path, year=year
    )
    in_area = Q(program__jurisdiction__path__startswith=jurisdiction.path)
    issued = Voucher.objects.filter(in_area, issued_at__gte=start, issued_at__lt=end)
    settled = Claim.objects.filter(
        in_area, status=ClaimStatus.SETTLED, settled_at__gte=start, settled_at__lt=end
    )
    issued_by_kind = issued.values_list("program__kind").annotate(n=Count("pk")).order_by()
    issued_sum = issued.aggregate(n=Count("pk"), s=Sum("amount"))
    settled_sum = settled.aggregate(n=Count("pk"), s=Sum("amount"))
    return {
        "voucher_programs": programs.count(),
        "vouchers_issued": issued_sum["n"],
        "vouchers_issued_amount": _money(issued_sum["s"]),
        "claims_settled": settled_sum["n"],
        "claims_settled_amount": _money(settled_sum["s"]),
        "vouchers_by_kind": _by_kind(issued_by_kind, VoucherKind.choices),
    }


def scenario_figures(jurisdiction, year: int, start, end) -> dict:
    in_area = "scenario_list__jurisdiction__path__startswith"
    published = Scenario.objects.filter(
        **{in_area: jurisdiction.path}, published_at__gte=start, published_at__lt=end
    )
    responses = Response.objects.filter(
        **{f"scenario__{in_area}": jurisdiction.path}, created_at__gte=start, created_at__lt=end
    )
    awards = Award.objects.filter(
        **{f"response__scenario__{in_area}": jurisdiction.path},
        awarded_at__gte=start,
        awarded_at__lt=end,
    )
    purchases = FirstPurchase.objects.filter(
        **{f"award__response__scenario__{in_area}": jurisdiction.path},
        purchased_on__gte=start.date(),
        purchased_on__lt=end.date(),
    )
    scenarios = published.aggregate(n=Count("pk"), lists=Count("scenario_list", distinct=True))
    won = awards.aggregate(n=Count("pk"), s=Sum("amount"))
    bought = purchases.aggregate(
        n=Count("pk"), confirmed=Count("pk", filter=Q(decision=FirstPurchaseDecision.CONFIRMED))
    )
    return {
        "scenario_lists": scenarios["lists"],
        "scenarios_published": scenarios["n"],
        "scenario_responses": responses.count(),
        "scenario_awards": won["n"],
        "scenario_awards_amount": _money(won["s"]),
        "first_purchases": bought["n"],
        "first_purchases_confirmed": bought["confirmed"],
        "typical_cases": typical_cases(jurisdiction, start, end),
    }


TYPICAL_CASES_LISTED = 50


def typical_cases(jurisdiction, start, end) -> list[dict]:
    """The typical cases (典型案例) staff published in the year and still show, newest
    first: what the report names as replicable, with the enterprise and the scenario."""
    cases = (
        TypicalCase.objects.filter(
            jurisdiction__path__startswith=jurisdiction.path,
            status=CaseStatus.PUBLISHED,
            published_at__gte=start,
            published_at__lt=end,
        )
        .order_by("-published_at", "-pk")
        .values("title", "enterprise__name", "award__response__scenario__title")
    )
    return [
        {"title": c["title"], "enterprise": c["enterprise__name"],
         "scenario": c["award__response__scenario__title"]}
        for c in cases[:TYPICAL_CASES_LISTED]
    ]  # fmt: skip


def finance_figures(jurisdiction, year: int, start, end) -> dict:
    in_area = {"enterprise__region__path__startswith": jurisdiction.path}
    needs = FinancingNeed.objects.filter(**in_area, published_at__gte=start, published_at__lt=end)
    funded = Offer.objects.filter(
        need__enterprise__region__path__startswith=jurisdiction.path,
        funded_on__gte=start.date(),
        funded_on__lt=end.date(),
    )
    received = (
        FinancingReceipt.objects.filter(
            **in_area, received_on__gte=start.date(), received_on__lt=end.date()
        )
        .values_list("source")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    by_source = dict(received)
    sought = needs.aggregate(n=Count("pk"), s=Sum("amount"))
    obtained = funded.aggregate(n=Count("pk"), s=Sum("funded_amount"))
    return {
        "financing_needs": sought["n"],
        "financing_sought": _money(sought["s"]),
        "financing_funded": obtained["n"],
        "financing_obtained": _money(obtained["s"]),
        "financing_by_source": [
            (label, _money(by_source.get(value))) for value, label in FinancingSource.choices
        ],
    }


def measure_figures(jurisdiction, year: int, start, end) -> dict:
    return {
        **voucher_figures(jurisdiction, year, start, end),
        **scenario_figures(jurisdiction, year, start, end),
        **finance_figures(jurisdiction, year, start, end),
    }


def measure_charts(figures: dict, charts) -> dict:
    """The sections' charts, each with its title (the figure table beside it is its text)."""
    f = figures
    drawn = {
        "vouchers": (f["vouchers_by_kind"], _("本年度发放券数（按券种）"), ""),
        "scenarios": (
            [(_("发布场景"), f["scenarios_published"]), (_("揭榜方案"), f["scenario_responses"]),
             (_("揭榜成功"), f["scenario_awards"]), (_("首购首用"), f["first_purchases"])],
            _("应用场景对接"), "",
        ),
        "financing": (
            [(_("拟融资金额"), f["financing_sought"]),
             (_("对接到位金额"), f["financing_obtained"])],
            _("融资需求与到位金额（元）"), _("元"),
        ),
        "financing_sources": (f["financing_by_source"], _("融资到位（按来源，元）"), _("元")),
    }  # fmt: skip
    return {
        key: {"title": title, "svg": charts.bar_chart(data, title=title, unit=unit)}
        for key, (data, title, unit) in drawn.items()
    }
