"""The budget ledger's moves: the only code that changes a programme's `reserved`/`spent`,
a voucher's balances or an enterprise's annual cap.

Every move is a conditional UPDATE with F() expressions whose rowcount is checked — never
a value read into Python and written back — and a LedgerEntry row. Callers hold the row
locks in one fixed order: application or claim → voucher → annual cap → programme →
code sequence (`lock_*` below), so that concurrent moves never deadlock.
"""

import secrets
from decimal import Decimal

from django.db.models import F
from django.utils.translation import gettext as _

from config.errors import DomainError
from vouchers.models import (
    EnterpriseYearCap,
    LedgerEntry,
    LedgerKind,
    Voucher,
    VoucherProgram,
    VoucherSequence,
)
from vouchers.models.choices import OPEN_VOUCHER_STATES

CENT = Decimal("0.01")


def lock_program(program) -> VoucherProgram:
    return (
        VoucherProgram.objects.select_for_update(of=("self",))
        .select_related("jurisdiction")
        .get(pk=program.pk)
    )


def lock_voucher(voucher) -> Voucher:
    return (
        Voucher.objects.select_for_update(of=("self",))
        .select_related("program", "enterprise", "provider")
        .get(pk=voucher.pk)
    )


def cap_row(enterprise, program, year) -> EnterpriseYearCap:
    """The enterprise's annual-cap row in the programme's lineage, created at the
    programme's cap if absent (unlocked)."""
    row, _created = EnterpriseYearCap.objects.get_or_create(
        enterprise=enterprise,
        program_id=program.lineage_id,
        year=year,
        defaults={"cap": program.annual_cap},
    )
    return row


def lock_cap(enterprise, program, year) -> EnterpriseYearCap:
    row = cap_row(enterprise, program, year)
    return EnterpriseYearCap.objects.select_for_update().get(pk=row.pk)


def _entry(kind, amount, *, program, voucher, claim=None, actor=None) -> LedgerEntry:
    return LedgerEntry.objects.create(
        program_id=program.pk,
        voucher=voucher,
        claim=claim,
        kind=kind,
        amount=amount,
        actor=actor if actor and actor.is_authenticated else None,
    )


def reserve(program, cap, amount, *, voucher, actor) -> None:
    """Reserve `amount` of the programme's budget and of the enterprise's annual cap.
    Refuses (DomainError, nothing moved) when either has no room."""
    moved = VoucherProgram.objects.filter(
        pk=program.pk, budget__gte=F("reserved") + F("spent") + amount
    ).update(reserved=F("reserved") + amount)
    if moved != 1:
        raise DomainError(_("计划预算余额不足，无法预留这笔金额。"))
    moved = EnterpriseYearCap.objects.filter(pk=cap.pk, cap__gte=F("used") + amount).update(
        used=F("used") + amount
    )
    if moved != 1:
        raise DomainError(_("该企业本年度在本计划的额度已不足。"))
    _entry(LedgerKind.RESERVE, amount, program=program, voucher=voucher, actor=actor)


def release(voucher, amount, *, actor, claim=None) -> None:
    """Give `amount` of a voucher back to the programme's budget and the enterprise's annual
    cap (expiry, cancellation, a claim rejected after either). The voucher is locked."""
    if amount <= 0:
        return
    moved = Voucher.objects.filter(
        pk=voucher.pk, amount__gte=F("claimed") + F("released") + amount
    ).update(released=F("released") + amount)
    if moved != 1:
        raise DomainError(_("释放金额超过了券的剩余金额。"))
    moved = EnterpriseYearCap.objects.filter(
        enterprise_id=voucher.enterprise_id,
        program_id=voucher.program.lineage_id,
        year=voucher.cap_year,
        used__gte=amount,
    ).update(used=F("used") - amount)
    if moved != 1:
        raise DomainError(_("企业年度额度记录与券不一致，未释放。"))
    moved = VoucherProgram.objects.filter(pk=voucher.program_id, reserved__gte=amount).update(
        reserved=F("reserved") - amount
    )
    if moved != 1:
        raise DomainError(_("计划的预留金额与券不一致，未释放。"))
    _entry(LedgerKind.RELEASE, amount, program=voucher.program, voucher=voucher, actor=actor,
           claim=claim)  # fmt: skip


def hold(voucher, amount) -> bool:
    """Hold `amount` of an open voucher for a claim: False when it has not that much left."""
    return (
        Voucher.objects.filter(
            pk=voucher.pk,
            status__in=OPEN_VOUCHER_STATES,
            amount__gte=F("claimed") + F("released") + amount,
        ).update(claimed=F("claimed") + amount)
        == 1
    )


def unhold(voucher, amount) -> None:
    """A claim no longer holds `amount` (rejected, or resubmitted for less)."""
    moved = Voucher.objects.filter(pk=voucher.pk, claimed__gte=F("settled") + amount).update(
        claimed=F("claimed") - amount
    )
    if moved != 1:
        raise DomainError(_("券的申领金额与申领不一致。"))


def spend(claim, *, actor) -> None:
    """Settle a claim: its amount moves from reserved to spent (the claim is locked)."""
    amount = claim.amount
    moved = Voucher.objects.filter(pk=claim.voucher_id, claimed__gte=F("settled") + amount).update(
        settled=F("settled") + amount
    )
    if moved != 1:
        raise DomainError(_("结算金额超过了券的已申领金额。"))
    moved = VoucherProgram.objects.filter(pk=claim.program_id, reserved__gte=amount).update(
        reserved=F("reserved") - amount, spent=F("spent") + amount
    )
    if moved != 1:
        raise DomainError(_("计划的预留金额不足以结算这笔申领。"))
    _entry(LedgerKind.SPEND, amount, program=claim.program, voucher=claim.voucher, claim=claim,
           actor=actor)  # fmt: skip


def next_code(program) -> str:
    """`<kind>-<region code>-<year>-<seq>`: the sequence row of that kind, region and year is
    locked and advanced by one (after the programme's lock, in the fixed order)."""
    row, _created = VoucherSequence.objects.get_or_create(
        kind=program.kind, region_id=program.jurisdiction_id, year=program.year
    )
    VoucherSequence.objects.filter(pk=row.pk).update(last=F("last") + 1)
    last = VoucherSequence.objects.select_for_update().values_list("last", flat=True).get(pk=row.pk)
    return f"{program.kind}-{program.jurisdiction.code}-{program.year}-{last:06d}"


def new_token() -> str:
    return secrets.token_urlsafe(18)[:24]
