"""The demo's financing matchmaking as `make run` leaves it (the `demo_world` fixture)."""

import pytest

from finance.models import (
    CreditScore,
    FinancingNeed,
    Institution,
    ListingCase,
    Offer,
)
from registry.models import FinancingReceipt, RegistryEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_world")]


def test_institutions_of_each_kind_and_the_bank_approved():
    kinds = set(Institution.objects.approved().values_list("kind", flat=True))
    assert kinds == {"bank", "investment", "guarantor", "fund"}
    bank = Institution.objects.get(organisation__users__email="bank@demo.cn")
    assert bank.status == "approved"
    assert Institution.objects.filter(status="applied").count() == 1


def test_needs_in_every_state_with_offers_and_outcomes():
    states = set(FinancingNeed.objects.values_list("status", "outcome"))
    assert states == {
        ("draft", ""), ("published", ""), ("in_talks", ""), ("closed", "financed"),
        ("closed", "not_financed"), ("closed", "withdrawn"),
    }  # fmt: skip
    assert set(Offer.objects.values_list("status", flat=True)) >= {"made", "funded", "lapsed"}
    assert FinancingReceipt.objects.get().source == "equity"


def test_every_verified_enterprise_scored_and_a_listing_pipeline():
    assert CreditScore.objects.count() >= RegistryEntry.objects.count() > 0
    assert ListingCase.objects.count() == 2


def test_edited_product_recommended_enterprise_and_two_scorecard_versions():
    from audit.models import AuditEvent
    from finance.models import EnterpriseShare, FinancialProduct, Scorecard

    credit = FinancialProduct.objects.get(name="科创信用贷")
    assert (
        credit.conditions
        and AuditEvent.objects.filter(
            action="financial_product.updated", object_id=str(credit.pk)
        ).exists()
    )
    share = EnterpriseShare.objects.get()
    assert share.institution.organisation.users.filter(email="bank@demo.cn").exists()
    current = Scorecard.objects.get(is_current=True)
    assert current.version == 2
    assert "vouchers_awards" in {f["key"] for f in current.factors}
    assert CreditScore.objects.filter(scorecard__version=1).exists()
    assert FinancingNeed.objects.filter(stage="a").exists()
