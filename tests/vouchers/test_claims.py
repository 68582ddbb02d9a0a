"""Claims: who files (by redemption mode), who confirms, verifies and settles; returns and
resubmissions move the voucher's hold by the difference; refusals change nothing."""

from decimal import Decimal

import pytest

from config.errors import DomainError
from tests.factories import BureauUserFactory, enterprise_user, region
from tests.vouchers.factories import file_claim, issue, make_provider, pdf, world
from tests.vouchers.invariants import assert_invariants
from vouchers.models import Claim, ClaimStatus, Voucher
from vouchers.services import claims

pytestmark = pytest.mark.django_db


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_discount_mode_enterprise_cannot_file():
    w = world()
    voucher = issue(w)
    with pytest.raises(DomainError, match="由服务商申领"):
        claims.file_claim(voucher, actor=w.member, idempotency_key="x", invoice_number="I",
                          amount=Decimal("1"), usage_quantity=1, usage_unit="卡时",
                          proof=pdf())  # fmt: skip
    assert Claim.objects.count() == 0


def test_reimburse_mode_enterprise_files_provider_confirms():
    w = world(redemption_mode="reimburse")
    voucher = issue(w)
    claim = claims.file_claim(voucher, actor=w.member, idempotency_key="x", invoice_number="I",
                              amount=Decimal("100"), usage_quantity=1, usage_unit="卡时",
                              proof=pdf())  # fmt: skip
    assert claim.claimant == "enterprise"
    with pytest.raises(DomainError, match="交易对方"):
        claims.confirm_claim(claim, actor=w.member)
    claim = claims.confirm_claim(claim, actor=w.provider_user)
    assert claim.status == ClaimStatus.CONFIRMED


def test_another_provider_cannot_file():
    w = world()
    voucher = issue(w)
    _other, other_user = make_provider()
    w.provider_user = other_user
    with pytest.raises(DomainError):
        file_claim(w, voucher, "1")
    assert reload(voucher).claimed == Decimal("0.00")


@pytest.mark.parametrize("who", ["provider", "other_member", "province"])
def test_confirm_refused_for_all_but_counterparty(who):
    w = world()
    claim = file_claim(w, issue(w), "100")
    actor = {
        "provider": lambda: w.provider_user,
        "other_member": lambda: enterprise_user(),
        "province": lambda: BureauUserFactory(region=region("110000")),
    }[who]()
    with pytest.raises(DomainError):
        claims.confirm_claim(claim, actor=actor)
    assert reload(claim).status == ClaimStatus.FILED


@pytest.mark.parametrize("who", ["provider", "member", "other_bureau"])
def test_verify_and_settle_only_by_programme_staff(who):
    w = world()
    claim = file_claim(w, issue(w), "100")
    claims.confirm_claim(claim, actor=w.member)
    actor = {"provider": w.provider_user, "member": w.member,
             "other_bureau": BureauUserFactory(region=region("310000"))}[who]  # fmt: skip
    with pytest.raises(DomainError):
        claims.verify_claim(claim, actor=actor)
    claims.verify_claim(claim, actor=w.staff)
    with pytest.raises(DomainError):
        claims.settle_claim(claim, actor=actor)
    assert reload(claim).status == ClaimStatus.VERIFIED
    assert_invariants(w.program)


def test_settle_refused_before_verification():
    w = world()
    claim = file_claim(w, issue(w), "100")
    with pytest.raises(DomainError, match="已提交"):
        claims.settle_claim(claim, actor=w.staff)
    assert reload(claim).status == ClaimStatus.FILED
    assert assert_invariants(w.program).spent == Decimal("0.00")


def test_return_then_resubmit_with_more_and_with_less():
    w = world()
    voucher = issue(w)  # 200,000
    claim = file_claim(w, voucher, "100000")
    claims.return_claim(claim, actor=w.member, reason="用量不符")
    claim = claims.resubmit_claim(claim, actor=w.provider_user, amount=Decimal("150000"))
    assert (claim.status, reload(voucher).claimed) == ("filed", Decimal("150000.00"))
    claims.return_claim(claim, actor=w.staff, reason="请附发票")
    claims.resubmit_claim(claim, actor=w.provider_user, amount=Decimal("50000"))
    assert reload(voucher).claimed == Decimal("50000.00")
    assert_invariants(w.program)


def test_resubmit_over_remaining_refused_nothing_changed():
    w = world()
    voucher = issue(w)
    claim = file_claim(w, voucher, "100000")
    file_claim(w, voucher, "100000")
    claims.return_claim(claim, actor=w.staff, reason="请附发票")
    with pytest.raises(DomainError, match="剩余金额"):
        claims.resubmit_claim(claim, actor=w.provider_user, amount=Decimal("100000.01"))
    assert (reload(claim).status, reload(claim).amount) == ("returned", Decimal("100000.00"))
    assert reload(voucher).claimed == Decimal("200000.00")


def test_return_needs_reason_and_rights():
    w = world()
    claim = file_claim(w, issue(w), "100")
    with pytest.raises(DomainError, match="原因"):
        claims.return_claim(claim, actor=w.staff, reason=" ")
    with pytest.raises(DomainError, match="无权"):
        claims.return_claim(claim, actor=w.provider_user, reason="x")
    assert reload(claim).status == ClaimStatus.FILED


def test_rejected_claim_frees_the_voucher():
    w = world()
    voucher = issue(w)
    claim = file_claim(w, voucher, "200000")
    assert reload(voucher).status == "redeemed"
    claims.reject_claim(claim, actor=w.staff, reason="发票作废")
    voucher = reload(voucher)
    assert (voucher.status, voucher.claimed) == ("issued", Decimal("0.00"))
    assert_invariants(w.program)


def test_cancel_refused_for_provider_and_without_reason():
    w = world()
    voucher = issue(w)
    with pytest.raises(DomainError):
        claims.cancel_voucher(voucher, actor=w.provider_user, reason="x")
    with pytest.raises(DomainError, match="原因"):
        claims.cancel_voucher(voucher, actor=w.staff, reason="")
    assert reload(voucher).status == "issued"
    assert Voucher.objects.get().released == Decimal("0.00")


def test_overdue_settlements_selector():
    import datetime

    from vouchers.selectors import overdue_settlements

    w = world()
    claim = file_claim(w, issue(w), "100")
    claims.confirm_claim(claim, actor=w.member)
    claim = reload(claim)
    assert list(overdue_settlements(w.staff)) == []
    late = claim.settle_due_on + datetime.timedelta(days=1)
    assert list(overdue_settlements(w.staff, today=late)) == [claim]
    assert list(overdue_settlements(w.provider_user, today=late)) == [claim]
    assert list(overdue_settlements(enterprise_user(), today=late)) == []
