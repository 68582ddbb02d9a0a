"""A Hypothesis state machine over apply / approve / claim / confirm / verify / settle /
reject / expire / cancel, in any order, against a small budget: after every step the
ledger's invariants hold (tests/vouchers/invariants.py), a retried claim returns the
first one, and settling twice settles once. Bounded to run in well under 30 seconds."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    rule,
)

from config.errors import DomainError
from tests.factories import enterprise_user, registry_enterprise
from tests.vouchers.factories import apply, file_claim, world
from tests.vouchers.invariants import assert_invariants
from vouchers.models import (
    CLAIM_TRANSITIONS,
    OPEN_VOUCHER_STATES,
    Claim,
    ClaimStatus,
    LedgerEntry,
    Voucher,
)
from vouchers.services import applications as apps
from vouchers.services import claims

pytestmark = pytest.mark.django_db


class VoucherLedger(RuleBasedStateMachine):
    applications = Bundle("applications")
    vouchers = Bundle("vouchers")
    filed = Bundle("claims")

    def __init__(self):
        super().__init__()
        # Each example runs in a savepoint rolled back at teardown.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.keys = 0

    @initialize()
    def setup(self):
        self.w = world(
            budget=Decimal("300000.00"),
            subsidy_ratio=Decimal("0.5000"),
            contract_cap=Decimal("100000.00"),
            annual_cap=Decimal("150000.00"),
        )
        second = registry_enterprise("110000")
        self.members = {
            self.w.enterprise.pk: self.w.member,
            second.pk: enterprise_user(second),
        }
        self.enterprises = [self.w.enterprise, second]

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    @rule(
        target=applications,
        which=st.integers(0, 1),
        amount=st.integers(1, 40).map(lambda n: Decimal(n * 10000)),
    )
    def apply(self, which, amount):
        self.w.enterprise = self.enterprises[which]
        self.w.member = self.members[self.w.enterprise.pk]
        return apply(self.w, amount=amount)

    @rule(target=vouchers, application=consumes(applications))
    def approve(self, application):
        before = LedgerEntry.objects.count()
        try:
            voucher = apps.approve_application(application, actor=self.w.staff)
        except DomainError:
            assert LedgerEntry.objects.count() == before
            return None  # nothing issued
        assert voucher.amount == min(voucher.terms.values())
        return voucher

    @rule(
        target=filed,
        voucher=vouchers,
        share=st.sampled_from([Decimal("0.25"), Decimal("0.5"), Decimal("1")]),
        retry=st.booleans(),
    )
    def claim(self, voucher, share, retry):
        if voucher is None:
            return None
        voucher = Voucher.objects.get(pk=voucher.pk)
        self.keys += 1
        amount = max((voucher.amount * share).quantize(Decimal("0.01")), Decimal("0.01"))
        try:
            claim = file_claim(self.w, voucher, amount, key=f"k{self.keys}")
        except DomainError:
            return None
        if retry:
            again = file_claim(self.w, voucher, amount, key=f"k{self.keys}")
            assert again.pk == claim.pk
        return claim

    def _step(self, claim, target, service, **kwargs):
        """Call the service: it must succeed when the table allows the move, and refuse
        (changing nothing) when it does not; settling a settled claim returns it."""
        if claim is None:
            return
        claim = Claim.objects.get(pk=claim.pk)
        allowed = target in CLAIM_TRANSITIONS[ClaimStatus(claim.status)]
        if target == ClaimStatus.SETTLED and claim.status == ClaimStatus.SETTLED:
            allowed = True
        if allowed:
            assert service(claim, **kwargs).status == target
        else:
            with pytest.raises(DomainError):
                service(claim, **kwargs)
            assert Claim.objects.get(pk=claim.pk).status == claim.status

    @rule(claim=filed)
    def confirm(self, claim):
        if claim is not None:
            member = self.members[claim.enterprise_id]
            self._step(claim, ClaimStatus.CONFIRMED, claims.confirm_claim, actor=member)

    @rule(claim=filed)
    def verify(self, claim):
        self._step(claim, ClaimStatus.VERIFIED, claims.verify_claim, actor=self.w.staff)

    @rule(claim=filed)
    def settle_twice(self, claim):
        if claim is None:
            return
        self._step(claim, ClaimStatus.SETTLED, claims.settle_claim, actor=self.w.staff)
        self._step(claim, ClaimStatus.SETTLED, claims.settle_claim, actor=self.w.staff)
        claim = Claim.objects.get(pk=claim.pk)
        spends = LedgerEntry.objects.filter(claim=claim, kind="spend").count()
        assert spends == (1 if claim.status == ClaimStatus.SETTLED else 0)

    @rule(claim=filed)
    def reject(self, claim):
        self._step(claim, ClaimStatus.REJECTED, claims.reject_claim, actor=self.w.staff,
                   reason="发票不符")  # fmt: skip

    @rule(voucher=vouchers)
    def expire(self, voucher):
        if voucher is None:
            return
        voucher = Voucher.objects.get(pk=voucher.pk)
        later = voucher.expires_on + datetime.timedelta(days=1)
        claims.expire_voucher(voucher, on=later)
        releases = LedgerEntry.objects.filter(voucher=voucher, kind="release").count()
        assert claims.expire_voucher(voucher, on=later) is None
        assert LedgerEntry.objects.filter(voucher=voucher, kind="release").count() == releases

    @rule(voucher=vouchers)
    def cancel(self, voucher):
        if voucher is None:
            return
        voucher = Voucher.objects.get(pk=voucher.pk)
        if voucher.status in OPEN_VOUCHER_STATES:
            cancelled = claims.cancel_voucher(voucher, actor=self.w.staff, reason="合同解除")
            assert cancelled.status == "cancelled"
        else:
            with pytest.raises(DomainError):
                claims.cancel_voucher(voucher, actor=self.w.staff, reason="合同解除")

    @invariant()
    def ledger_holds(self):
        if hasattr(self, "w"):
            assert_invariants(self.w.program)


VoucherLedger.TestCase.settings = settings(
    max_examples=10,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    database=None,
)


def test_voucher_ledger_state_machine():
    VoucherLedger.TestCase().runTest()
