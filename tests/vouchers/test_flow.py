"""The voucher flow end to end: apply → approve → claim → confirm → verify → settle, and
expire/cancel, with the ledger reconciled after each step."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from config.errors import DomainError
from tests.vouchers.factories import apply, file_claim, issue, world
from tests.vouchers.invariants import assert_invariants
from vouchers.models import (
    Claim,
    ClaimStatus,
    EnterpriseYearCap,
    LedgerEntry,
    VoucherApplication,
    VoucherStatus,
)
from vouchers.services import applications as apps
from vouchers.services import claims

pytestmark = pytest.mark.django_db


def balanced(w):
    return assert_invariants(w.program)


def file(w, voucher, amount, key="k1", invoice=None):
    return file_claim(w, voucher, amount, key=key, invoice=invoice)


def test_full_flow_settles_and_reconciles():
    w = world()
    voucher = issue(w, amount="1000000")
    assert voucher.amount == Decimal("200000.00")  # 20% of the contract
    assert voucher.code == f"compute-110000-{w.program.year}-000001"
    program = balanced(w)
    assert (program.reserved, program.spent) == (Decimal("200000.00"), Decimal("0.00"))
    claim = file(w, voucher, "150000")
    claim = claims.confirm_claim(claim, actor=w.member)
    assert claim.settle_due_on is not None
    claim = claims.verify_claim(claim, actor=w.staff)
    claim = claims.settle_claim(claim, actor=w.staff)
    assert claim.status == ClaimStatus.SETTLED
    program = balanced(w)
    assert (program.reserved, program.spent) == (Decimal("50000.00"), Decimal("150000.00"))
    voucher.refresh_from_db()
    assert (voucher.status, voucher.claimed, voucher.settled) == (
        VoucherStatus.PARTLY_REDEEMED, Decimal("150000.00"), Decimal("150000.00"))  # fmt: skip


def test_settle_twice_settles_once():
    w = world()
    voucher = issue(w)
    claim = file(w, voucher, "200000")
    claims.confirm_claim(claim, actor=w.member)
    claims.verify_claim(claim, actor=w.staff)
    claims.settle_claim(claim, actor=w.staff)
    claims.settle_claim(claim, actor=w.staff)
    assert LedgerEntry.objects.filter(kind="spend").count() == 1
    program = balanced(w)
    assert program.spent == Decimal("200000.00")
    voucher.refresh_from_db()
    assert voucher.status == VoucherStatus.SETTLED


def test_claim_retried_with_same_key_returns_the_first():
    w = world()
    voucher = issue(w)
    first = file(w, voucher, "1000", key="same")
    again = file(w, voucher, "1000", key="same")
    assert again.pk == first.pk
    assert Claim.objects.count() == 1
    voucher.refresh_from_db()
    assert voucher.claimed == Decimal("1000.00")


def test_claim_over_remaining_refused_nothing_changed():
    w = world()
    voucher = issue(w)
    file(w, voucher, "150000", key="a")
    with pytest.raises(DomainError, match="剩余金额"):
        file(w, voucher, "50000.01", key="b")
    voucher.refresh_from_db()
    assert voucher.claimed == Decimal("150000.00")
    assert Claim.objects.count() == 1


def test_invoice_number_once_per_provider():
    w = world()
    voucher = issue(w)
    file(w, voucher, "100", key="a", invoice="INV-1")
    with pytest.raises(DomainError, match="发票号码"):
        file(w, voucher, "100", key="b", invoice="INV-1")
    voucher.refresh_from_db()
    assert voucher.claimed == Decimal("100.00")


def test_expire_releases_what_is_left_exactly_once():
    w = world()
    voucher = issue(w)
    file(w, voucher, "50000")
    later = voucher.expires_on + datetime.timedelta(days=1)
    assert claims.expire_vouchers(on=later) == 1
    assert claims.expire_vouchers(on=later) == 0
    voucher.refresh_from_db()
    assert (voucher.status, voucher.released) == (VoucherStatus.EXPIRED, Decimal("150000.00"))
    program = balanced(w)
    assert program.reserved == Decimal("50000.00")
    assert LedgerEntry.objects.filter(kind="release").count() == 1


def test_claim_rejected_after_expiry_is_released():
    w = world()
    voucher = issue(w)
    claim = file(w, voucher, "50000")
    claims.expire_vouchers(on=voucher.expires_on + datetime.timedelta(days=1))
    claims.reject_claim(claim, actor=w.staff, reason="发票不符")
    program = balanced(w)
    assert program.reserved == Decimal("0.00")
    cap = EnterpriseYearCap.objects.get()
    assert cap.used == Decimal("0.00")


def test_cancel_voucher_releases_and_refuses_claims():
    w = world()
    voucher = issue(w)
    voucher = claims.cancel_voucher(voucher, actor=w.staff, reason="合同解除")
    assert voucher.status == VoucherStatus.CANCELLED
    with pytest.raises(DomainError):
        file(w, voucher, "1")
    program = balanced(w)
    assert program.reserved == Decimal("0.00")


def test_approve_grants_min_of_terms_budget_binding():
    w = world(budget=Decimal("250000.00"), annual_cap=Decimal("200000.00"),
              contract_cap=Decimal("200000.00"))  # fmt: skip
    first = issue(w, amount="1000000")
    assert first.amount == Decimal("200000.00")
    second = world_same_program_voucher(w)
    assert second.amount == Decimal("50000.00")
    assert second.term_budget_remaining == Decimal("50000.00")
    balanced(w)


def world_same_program_voucher(w):
    from tests.factories import enterprise_user, registry_enterprise

    w.enterprise = registry_enterprise("110000")
    w.member = enterprise_user(w.enterprise)
    return issue(w, amount="1000000")


def test_approve_refused_when_budget_exhausted_nothing_changed():
    w = world(budget=Decimal("200000.00"), annual_cap=Decimal("200000.00"),
              contract_cap=Decimal("200000.00"))  # fmt: skip
    issue(w, amount="1000000")
    from tests.factories import enterprise_user, registry_enterprise

    w.enterprise = registry_enterprise("110000")
    w.member = enterprise_user(w.enterprise)
    application = apply(w, amount="1000000")
    with pytest.raises(DomainError, match="预算已用完"):
        apps.approve_application(application, actor=w.staff)
    application.refresh_from_db()
    assert application.status == "applied"
    assert LedgerEntry.objects.count() == 1
    balanced(w)


def test_annual_cap_binds_second_voucher():
    w = world(annual_cap=Decimal("250000.00"))
    issue(w, amount="1000000")
    second = issue(w, amount="1000000")
    assert second.amount == Decimal("50000.00")
    assert second.term_annual_remaining == Decimal("50000.00")
    assert EnterpriseYearCap.objects.get().used == Decimal("250000.00")


def test_contract_used_in_any_programme_refused():
    w = world()
    apply(w, number="HT-DUP")
    with pytest.raises(DomainError, match="重复享受补贴"):
        apply(w, number="HT-DUP")
    assert VoucherApplication.objects.count() == 1


def test_startup_ratio_at_boundary():
    today = timezone.localdate()
    w = world(startup_ratio=Decimal("0.6000"), startup_age_years=3)
    w.enterprise.founded_on = today.replace(year=today.year - 3)
    w.enterprise.save(update_fields=["founded_on"])
    voucher = issue(w, amount="100000")
    assert (voucher.is_startup, voucher.amount) == (True, Decimal("60000.00"))
    w.enterprise.founded_on = today.replace(year=today.year - 3) - datetime.timedelta(days=1)
    w.enterprise.save(update_fields=["founded_on"])
    voucher = issue(w, amount="100000")
    assert (voucher.is_startup, voucher.amount) == (False, Decimal("20000.00"))
