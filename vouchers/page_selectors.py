"""Reads the voucher pages need beyond vouchers/selectors.py: eligibility of many
programmes at once (the enterprise's facts read once), the budget burn-down series, and
the filters of the lists."""

import datetime
from decimal import Decimal

import django_filters
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conditions.engine import evaluate
from registry.facts import facts_of
from vouchers.models import (
    AWAITING_SETTLEMENT_STATES,
    ApplicationStatus,
    Claim,
    ClaimStatus,
    LedgerEntry,
    LedgerKind,
    MembershipStatus,
    ProgramProvider,
    ProgramStatus,
    Provider,
    Voucher,
    VoucherApplication,
    VoucherKind,
    VoucherProgram,
    VoucherStatus,
)
from vouchers.services.eligibility import region_names

ZERO = Decimal("0.00")


def eligibility_of(programs, enterprise, *, on=None) -> dict[int, dict]:
    """Per programme id: {"eligible": bool, "explanation": [condition data]} — evaluated
    exactly as 政策匹配 does, the enterprise's facts and the region names read once."""
    on = on or timezone.localdate()
    programs = list(programs)
    if not programs:
        return {}
    facts = facts_of(enterprise, as_of=on) if any(p.conditions for p in programs) else {}
    names = region_names() if any(p.conditions for p in programs) else {}
    out = {}
    for program in programs:
        if not program.conditions:
            out[program.pk] = {"eligible": True, "explanation": []}
            continue
        result = evaluate(program.conditions, facts, region_names=names)
        out[program.pk] = {
            "eligible": bool(result.matched),
            "explanation": [r.data for r in result.explanation],
        }
    return out


def burn_down(program, *, width=640, height=220, pad=32) -> dict:
    """Budget, reserved and spent over time (one point per day with a ledger movement),
    scaled to an SVG box drawn by the template: polylines, axis labels, the budget line."""
    rows = (
        LedgerEntry.objects.filter(program=program)
        .order_by("created_at", "id")
        .values_list("created_at", "kind", "amount")
    )
    reserved = spent = ZERO
    days: dict[datetime.date, tuple[Decimal, Decimal]] = {}
    for created_at, kind, amount in rows:
        if kind == LedgerKind.RESERVE:
            reserved += amount
        elif kind == LedgerKind.RELEASE:
            reserved -= amount
        else:
            reserved -= amount
            spent += amount
        days[timezone.localdate(created_at)] = (reserved, spent)
    start = timezone.localdate(program.published_at) if program.published_at else program.opens_on
    points = [(start, ZERO, ZERO)] + [(d, r, s) for d, (r, s) in sorted(days.items())]
    points = sorted({p[0]: p for p in points}.values())
    first, last = points[0][0], max(points[-1][0], timezone.localdate())
    span = max((last - first).days, 1)
    top = max(program.budget, Decimal("1"))

    def x(day):
        return round(pad + (width - 2 * pad) * (day - first).days / span, 1)

    def y(value):
        return round(height - pad - float(value / top) * (height - 2 * pad), 1)

    def line(series):
        coords = [(x(d), y(v)) for d, v in series] + [(x(last), y(series[-1][1]))]
        return " ".join(f"{a},{b}" for a, b in coords)

    return {
        "width": width,
        "height": height,
        "pad": pad,
        "budget_y": y(program.budget),
        "zero_y": y(ZERO),
        "x0": pad,
        "x1": width - pad,
        "reserved": line([(d, r) for d, r, _s in points]),
        "used": line([(d, r + s) for d, r, s in points]),
        "spent": line([(d, s) for d, _r, s in points]),
        "first": first,
        "last": last,
        "points": points,
    }


def own_provider(user):
    """The user's provider row, or None when the organisation is not registered yet."""
    return (
        Provider.objects.filter(organisation_id=user.organisation_id)
        .select_related("organisation")
        .first()
    )


def staff_figures(user) -> dict:
    """The staff's queue counts (also on the home page)."""
    today = timezone.localdate()
    applications = VoucherApplication.objects.visible_to(user)
    claims = Claim.objects.visible_to(user)
    return {
        "awaiting_applications": applications.filter(status=ApplicationStatus.APPLIED).count(),
        "awaiting_claims": claims.filter(status__in=AWAITING_SETTLEMENT_STATES).count(),
        "overdue_claims": claims.filter(
            status__in=AWAITING_SETTLEMENT_STATES, settle_due_on__lt=today
        ).count(),
        "pending_providers": ProgramProvider.objects.visible_to(user)
        .filter(status=MembershipStatus.APPLIED)
        .count(),
    }


def provider_totals(provider) -> dict:
    """A provider's totals: vouchers presented to it, claimed, settled, awaiting payment."""
    vouchers = Voucher.objects.filter(provider=provider).aggregate(
        n=Count("id"), amount=Sum("amount"), claimed=Sum("claimed"), settled=Sum("settled")
    )
    claims = Claim.objects.filter(provider=provider).aggregate(
        filed=Count("id", filter=~Q(status__in=[ClaimStatus.REJECTED])),
        awaiting=Sum("amount", filter=Q(status__in=AWAITING_SETTLEMENT_STATES)),
        settled=Sum("amount", filter=Q(status=ClaimStatus.SETTLED)),
    )
    return {"voucher_totals": vouchers, "claim_totals": claims}


class ProgramFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("计划名称"), method="filter_q")
    kind = django_filters.ChoiceFilter(
        label=_("券种"), choices=VoucherKind.choices, empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=ProgramStatus.choices, empty_label=_("全部")
    )
    year = django_filters.NumberFilter(label=_("年度"))

    class Meta:
        model = VoucherProgram
        fields = ["q", "kind", "status", "year"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(name__icontains=value.strip()) if value.strip() else queryset


class _PartyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("企业、服务商或编号"), method="filter_q")
    program = django_filters.NumberFilter(label=_("计划编号"), field_name="program_id")
    code_field = "contract_number"

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name__icontains=value)
            | Q(provider__organisation__name__icontains=value)
            | Q(**{f"{self.code_field}__icontains": value})
        )


class ApplicationFilter(_PartyFilter):
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=ApplicationStatus.choices, empty_label=_("全部")
    )

    class Meta:
        model = VoucherApplication
        fields = ["q", "status", "program"]


class VoucherFilter(_PartyFilter):
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=VoucherStatus.choices, empty_label=_("全部")
    )
    code_field = "code"

    class Meta:
        model = Voucher
        fields = ["q", "status", "program"]


class ClaimFilter(_PartyFilter):
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=ClaimStatus.choices, empty_label=_("全部")
    )
    overdue = django_filters.BooleanFilter(
        label=_("仅看逾期未结算"),
        method="filter_overdue",
        widget=django_filters.widgets.BooleanWidget(),
    )
    code_field = "invoice_number"

    class Meta:
        model = Claim
        fields = ["q", "status", "program", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            status__in=AWAITING_SETTLEMENT_STATES, settle_due_on__lt=timezone.localdate()
        )
