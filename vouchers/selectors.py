"""Reads of the voucher app: the grant computation (min of its terms), offers for one
contract under several programmes, reconciliation, totals and overdue settlements."""

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Region
from vouchers.models import (
    AWAITING_SETTLEMENT_STATES,
    Claim,
    EnterpriseYearCap,
    LedgerEntry,
    LedgerKind,
    MembershipStatus,
    ProgramProvider,
    ValidityUnit,
    Voucher,
    VoucherProgram,
)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
TERM_NAMES = ("sought", "ratio_amount", "annual_remaining", "contract_cap", "budget_remaining")


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same date `years` later (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def expiry_date(program, issued_on: datetime.date) -> datetime.date:
    """The last day a voucher issued on `issued_on` can be claimed against."""
    if program.validity_unit == ValidityUnit.MONTH:
        return add_months(issued_on, program.validity_length)
    return issued_on + datetime.timedelta(days=program.validity_length)


def is_startup(program, enterprise, on: datetime.date) -> bool:
    """Founded at most `startup_age_years` years before `on` (the programme has a start-up
    ratio)."""
    if program.startup_ratio is None:
        return False
    return enterprise.founded_on >= add_years(on, -program.startup_age_years)


@dataclass(frozen=True)
class GrantTerms:
    """Every term of granted = min(sought, ratio × contract, remaining annual cap,
    per-contract cap, remaining budget), kept so a page can show each one."""

    sought: Decimal
    ratio: Decimal
    is_startup: bool
    ratio_amount: Decimal
    annual_remaining: Decimal
    contract_cap: Decimal
    budget_remaining: Decimal

    @property
    def granted(self) -> Decimal:
        return max(min(getattr(self, name) for name in TERM_NAMES), ZERO)

    @property
    def binding(self) -> str:
        """The name of the term that decides the amount (the first one at the min)."""
        return min(TERM_NAMES, key=lambda name: getattr(self, name))

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in TERM_NAMES} | {
            "ratio": self.ratio, "is_startup": self.is_startup, "granted": self.granted,
            "binding": self.binding,
        }  # fmt: skip


def grant_terms(program, enterprise, *, contract_amount, sought, on, cap=None) -> GrantTerms:
    """The terms for one contract on `on`. `cap` is the enterprise's annual-cap row of the
    programme's lineage for that year (locked, when approving); read here when not given.
    The annual cap is the lower of the row's and this programme's."""
    startup = is_startup(program, enterprise, on)
    ratio = program.startup_ratio if startup else program.subsidy_ratio
    if cap is None:
        cap = EnterpriseYearCap.objects.filter(
            enterprise=enterprise, program_id=program.lineage_id, year=on.year
        ).first()
    cap_limit = min(program.annual_cap, cap.cap) if cap else program.annual_cap
    cap_used = cap.used if cap else ZERO
    return GrantTerms(
        sought=sought,
        ratio=ratio,
        is_startup=startup,
        ratio_amount=(contract_amount * ratio).quantize(CENT, rounding=ROUND_DOWN),
        annual_remaining=max(cap_limit - cap_used, ZERO),
        contract_cap=program.contract_cap,
        budget_remaining=program.budget - program.reserved - program.spent,
    )


@dataclass(frozen=True)
class Offer:
    program: VoucherProgram
    terms: GrantTerms


def offers_for_contract(enterprise, provider, *, contract_amount, sought, signed_on, on=None):
    """Where one contract qualifies under several programmes: each open programme of the
    enterprise's area that has the provider approved, whose window holds the signing date
    and whose conditions the enterprise meets, with the grant it would get there — the most
    favourable first. The enterprise can take only one (the contract is used once)."""
    from vouchers.services.eligibility import check_eligible, related_party

    on = on or timezone.localdate()
    if related_party(provider, enterprise):
        return []
    area = Region.ancestor_paths(enterprise.region.path)
    approved = ProgramProvider.objects.filter(
        provider=provider, status=MembershipStatus.APPROVED
    ).values("program_id")
    programs = (
        VoucherProgram.objects.open_on(on)
        .filter(jurisdiction__path__in=area, pk__in=approved)
        .filter(opens_on__lte=signed_on, closes_on__gte=signed_on)
        .select_related("jurisdiction")
    )
    offers = []
    for program in programs:
        if check_eligible(program, enterprise, on=on) is not None:
            continue
        terms = grant_terms(program, enterprise, contract_amount=contract_amount, sought=sought,
                            on=on)  # fmt: skip
        if terms.granted > 0:
            offers.append(Offer(program, terms))
    return sorted(offers, key=lambda o: (-o.terms.granted, o.program.pk))


def _sum(kind):
    return Coalesce(
        Sum("amount", filter=Q(kind=kind)),
        Value(ZERO),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )


def reconciliation(programs) -> list[dict]:
    """Per programme: the balances beside the sums of its ledger rows, and whether they
    agree (reserved = reserve − release − spend; spent = spend). Two queries."""
    programs = list(programs)
    sums = {
        row["program_id"]: row
        for row in LedgerEntry.objects.filter(program__in=programs)
        .values("program_id")
        .annotate(
            reserve=_sum(LedgerKind.RESERVE),
            release=_sum(LedgerKind.RELEASE),
            spend=_sum(LedgerKind.SPEND),
        )
        .order_by()
    }
    out = []
    for program in programs:
        s = sums.get(program.pk, {"reserve": ZERO, "release": ZERO, "spend": ZERO})
        ledger_reserved = s["reserve"] - s["release"] - s["spend"]
        out.append(
            {
                "program": program,
                "budget": program.budget,
                "reserved": program.reserved,
                "spent": program.spent,
                "ledger_reserved": ledger_reserved,
                "ledger_spent": s["spend"],
                "balanced": ledger_reserved == program.reserved and s["spend"] == program.spent,
            }
        )
    return out


def voucher_reconciliation(vouchers) -> list[dict]:
    """Per voucher: amount = reserve rows, released = release rows, settled = spend rows."""
    vouchers = list(vouchers)
    sums = {
        row["voucher_id"]: row
        for row in LedgerEntry.objects.filter(voucher__in=vouchers)
        .values("voucher_id")
        .annotate(
            reserve=_sum(LedgerKind.RESERVE),
            release=_sum(LedgerKind.RELEASE),
            spend=_sum(LedgerKind.SPEND),
        )
        .order_by()
    }
    out = []
    for v in vouchers:
        s = sums.get(v.pk, {"reserve": ZERO, "release": ZERO, "spend": ZERO})
        out.append(
            {
                "voucher": v,
                "balanced": s["reserve"] == v.amount
                and s["release"] == v.released
                and s["spend"] == v.settled,
                **s,
            }
        )
    return out


def cap_reconciliation(caps) -> list[dict]:
    """Per enterprise-year cap row: used = granted less released over its vouchers (every
    version of the lineage, that calendar year). One query, whatever the number of rows: the
    vouchers are grouped by enterprise, year and the lineage's root programme."""
    caps = list(caps)
    if not caps:
        return []
    sums = {
        (row["enterprise_id"], row["cap_year"], row["lineage"]): row
        for row in Voucher.objects.filter(
            enterprise_id__in={c.enterprise_id for c in caps},
            cap_year__in={c.year for c in caps},
        )
        .annotate(lineage=Coalesce("program__root_id", "program_id"))
        .values("enterprise_id", "cap_year", "lineage")
        .annotate(
            granted=Coalesce(Sum("amount"), Value(ZERO), output_field=DecimalField()),
            released=Coalesce(Sum("released"), Value(ZERO), output_field=DecimalField()),
        )
        .order_by()
    }
    out = []
    for cap in caps:
        agg = sums.get((cap.enterprise_id, cap.year, cap.program_id))
        ledger = agg["granted"] - agg["released"] if agg else ZERO
        out.append({"cap": cap, "ledger_used": ledger, "balanced": ledger == cap.used})
    return out


def _totals(program, *group_by):
    return (
        Voucher.objects.filter(program=program)
        .values(*group_by)
        .annotate(
            vouchers=Count("id"),
            granted=Sum("amount"),
            claimed=Sum("claimed"),
            settled=Sum("settled"),
        )
    )


def totals_by_provider(program):
    """Per provider of a programme: vouchers issued, granted, claimed, settled (one query)."""
    return _totals(program, "provider_id", "provider__organisation__name").order_by(
        "-granted", "provider_id"
    )


def totals_by_hub_node(program):
    """Per 东数西算 hub node of the providers (compute programmes): the same sums."""
    return _totals(program, "provider__hub_node").order_by("provider__hub_node")


def overdue_settlements(user, today=None):
    """Claims visible to `user` whose settlement deadline has passed unsettled."""
    today = today or timezone.localdate()
    return (
        Claim.objects.visible_to(user)
        .filter(status__in=AWAITING_SETTLEMENT_STATES, settle_due_on__lt=today)
        .select_related("voucher", "program", "provider__organisation", "enterprise")
        .order_by("settle_due_on", "pk")
    )


def remaining_annual_cap(enterprise, program, year) -> Decimal:
    row = EnterpriseYearCap.objects.filter(
        enterprise=enterprise, program_id=program.lineage_id, year=year
    ).first()
    if row is None:
        return program.annual_cap
    return max(min(row.cap, program.annual_cap) - row.used, ZERO)
