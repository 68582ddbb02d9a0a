"""The ledger's invariants, checked by the concurrency and the stateful tests."""

from decimal import Decimal

from vouchers.models import (
    ClaimStatus,
    EnterpriseYearCap,
    LedgerEntry,
    Voucher,
    VoucherProgram,
)
from vouchers.selectors import cap_reconciliation, reconciliation, voucher_reconciliation


def assert_invariants(program) -> VoucherProgram:
    """reserved, spent ≥ 0 and their sum ≤ budget; every balance (programme, voucher,
    enterprise-year) equals the sum of its ledger rows; no voucher over-claimed; what the
    claims hold is the voucher's `claimed`; no claim spent twice. Returns the programme
    as it is now."""
    program = VoucherProgram.objects.get(pk=program.pk)
    assert program.reserved >= 0 and program.spent >= 0
    assert program.reserved + program.spent <= program.budget
    assert all(r["balanced"] for r in reconciliation([program]))
    vouchers = Voucher.objects.filter(program=program)
    assert all(r["balanced"] for r in voucher_reconciliation(vouchers))
    caps = EnterpriseYearCap.objects.filter(program_id=program.lineage_id)
    assert all(r["balanced"] for r in cap_reconciliation(caps))
    for v in vouchers.prefetch_related("claims"):
        assert v.claimed + v.released <= v.amount
        assert v.settled <= v.claimed
        held = sum(
            (c.amount for c in v.claims.all() if c.status != ClaimStatus.REJECTED), Decimal("0")
        )
        assert held == v.claimed
        settled = sum(
            (c.amount for c in v.claims.all() if c.status == ClaimStatus.SETTLED), Decimal("0")
        )
        assert settled == v.settled
    for cap in caps:
        assert 0 <= cap.used <= cap.cap
    spends = list(
        LedgerEntry.objects.filter(program=program, kind="spend").values_list("claim_id", flat=True)
    )
    assert len(spends) == len(set(spends))
    return program
