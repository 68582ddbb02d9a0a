"""Needs and talks: the state machine, offers, acceptance, outcomes flowing into the
registry's financing figures and the enterprise's timeline."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from config.errors import ConflictError, DomainError
from finance.models import (
    Institution,
    InstitutionStatus,
    NeedStatus,
    Offer,
    OfferStatus,
    Outcome,
)
from finance.services.institutions import register_institution, suspend_institution
from finance.services.needs import (
    close_not_financed,
    name_institutions,
    update_need,
    withdraw_need,
)
from finance.services.talks import (
    accept_offer,
    decline_offer,
    express_interest,
    post_message,
    record_funding,
    record_lapse,
    record_meeting,
)
from registry.models import FinancingReceipt
from registry.services.financing import financing_by_source
from tests.factories import UserFactory, enterprise_user
from tests.finance.factories import accepted, institution_user, need, offer, world

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_need_publish_interest_offer_accept_fund_closes_financed():
    w = world()
    n = need(w)
    assert n.status == NeedStatus.PUBLISHED
    express_interest(n, actor=w.banker, institution=w.bank)
    n.refresh_from_db()
    assert n.status == NeedStatus.IN_TALKS
    o = accept_offer(offer(w, n), actor=w.member)
    assert o.status == OfferStatus.ACCEPTED
    o = record_funding(o, actor=w.banker, amount=Decimal("4000000"), funded_on=TODAY())
    n.refresh_from_db()
    assert (o.status, n.status, n.outcome) == ("funded", "closed", "financed")
    assert financing_by_source(w.enterprise) == {"bank_loan": Decimal("4000000.00")}
    actions = set(
        AuditEvent.objects.filter(enterprise=w.enterprise).values_list("action", flat=True)
    )
    assert {"offer.made", "offer.accepted", "offer.funded", "financing.received"} <= actions
    assert "financing_need.closed" in actions


def test_funding_twice_adds_once():
    w = world()
    o = accepted(w)
    record_funding(o, actor=w.banker, amount=Decimal("1000"), funded_on=TODAY())
    with pytest.raises(DomainError):
        record_funding(o, actor=w.banker, amount=Decimal("1000"), funded_on=TODAY())
    assert FinancingReceipt.objects.count() == 1


def test_funding_above_offer_refused_nothing_changes():
    w = world()
    o = accepted(w)
    with pytest.raises(DomainError):
        record_funding(o, actor=w.banker, amount=Decimal("4000000.01"), funded_on=TODAY())
    o.refresh_from_db()
    assert o.status == OfferStatus.ACCEPTED
    assert not FinancingReceipt.objects.exists()


def test_equity_offer_counts_as_equity():
    w = world()
    fund, partner = institution_user("investment")
    n = need(w, kind="equity")
    o = Offer.objects.get(
        pk=__import__("finance.services.talks", fromlist=["make_offer"]).make_offer(
            n, actor=partner, institution=fund, amount=Decimal("20000000"),
            valuation=Decimal("200000000"),
        ).pk
    )  # fmt: skip
    accept_offer(o, actor=w.member)
    record_funding(o, actor=partner, amount=Decimal("20000000"), funded_on=TODAY())
    assert financing_by_source(w.enterprise) == {"equity": Decimal("20000000.00")}


def test_second_accept_refused_as_conflict():
    w = world()
    n = need(w)
    first, second = offer(w, n), offer(w, n, amount="3000000")
    accept_offer(first, actor=w.member)
    with pytest.raises(ConflictError):
        accept_offer(second, actor=w.member)
    second.refresh_from_db()
    assert second.status == OfferStatus.MADE


def test_database_refuses_two_accepted_offers():
    w = world()
    n = need(w)
    first, second = offer(w, n), offer(w, n)
    Offer.objects.filter(pk=first.pk).update(status=OfferStatus.ACCEPTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.filter(pk=second.pk).update(status=OfferStatus.ACCEPTED)


def test_database_refuses_offer_amount_zero():
    w = world()
    o = offer(w, need(w))
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.filter(pk=o.pk).update(amount=0)


def test_offer_without_rate_or_valuation_refused():
    w = world()
    n = need(w)
    with pytest.raises(DomainError):
        offer(w, n, rate=None)
    assert not Offer.objects.exists()


def test_decline_then_lapse_and_close_not_financed():
    w = world()
    n = need(w)
    decline_offer(offer(w, n), actor=w.member)
    o = accept_offer(offer(w, n), actor=w.member)
    with pytest.raises(DomainError):
        close_not_financed(n, actor=w.member)
    record_lapse(o, actor=w.banker)
    n = close_not_financed(n, actor=w.member)
    assert (n.status, n.outcome) == (NeedStatus.CLOSED, Outcome.NOT_FINANCED)


def test_withdraw_withdraws_open_offers():
    w = world()
    n = need(w)
    o = offer(w, n)
    n = withdraw_need(n, actor=w.member)
    o.refresh_from_db()
    assert (n.outcome, o.status) == (Outcome.WITHDRAWN, OfferStatus.WITHDRAWN)
    with pytest.raises(DomainError):
        offer(w, n)


def test_only_a_member_accepts():
    w = world()
    o = offer(w, need(w))
    for actor in (w.banker, w.staff, enterprise_user()):
        with pytest.raises(DomainError):
            accept_offer(o, actor=actor)
    o.refresh_from_db()
    assert o.status == OfferStatus.MADE


def test_draft_edits_only_while_draft():
    w = world()
    n = need(w, publish=False)
    n = update_need(n, actor=w.member, amount=Decimal("6000000"))
    assert n.amount == Decimal("6000000")
    from finance.services.needs import publish_need

    publish_need(n, actor=w.member)
    with pytest.raises(DomainError):
        update_need(n, actor=w.member, amount=Decimal("1"))


def test_named_need_needs_a_name_before_publishing():
    w = world()
    n = need(w, publish=False, audience="named")
    from finance.services.needs import publish_need

    with pytest.raises(DomainError):
        publish_need(n, actor=w.member)
    name_institutions(n, actor=w.member, institutions=[w.bank])
    assert publish_need(n, actor=w.member).status == NeedStatus.PUBLISHED


def test_thread_meeting_and_suspended_institution():
    w = world()
    n = need(w)
    post_message(n, actor=w.banker, institution=w.bank, body="请提供近三年审计报告。")
    post_message(n, actor=w.member, institution=w.bank, body="已上传。")
    record_meeting(n, actor=w.banker, institution=w.bank, met_on=TODAY(), notes="实地走访。")
    assert n.messages.count() == 2
    suspend_institution(w.bank, actor=w.staff.__class__.objects.filter(
        role="bureau", region__code="330000").first(), reason="资质复核")  # fmt: skip
    w.bank.refresh_from_db()
    with pytest.raises(DomainError):
        offer(w, n)


def test_meeting_in_future_refused():
    w = world()
    n = need(w)
    with pytest.raises(DomainError):
        record_meeting(
            n, actor=w.banker, institution=w.bank,
            met_on=TODAY() + datetime.timedelta(days=1), notes="x",
        )  # fmt: skip


def test_institution_registration_refuses_wrong_kinds_and_others():
    from accounts.models import Organisation

    org = Organisation.objects.create(name="某服务商", kind="provider")
    user = UserFactory(role="institution", organisation=org)
    with pytest.raises(DomainError):
        register_institution(org, actor=user)
    bank = Organisation.objects.create(name="某银行", kind="bank")
    with pytest.raises(DomainError):
        register_institution(bank, actor=user)
    assert not Institution.objects.exists()


def test_institution_approval_by_staff_of_its_jurisdiction_only():
    from finance.services.institutions import approve_institution
    from tests.factories import BureauUserFactory, region

    institution, _user = institution_user(approved=False, region_code="330000")
    with pytest.raises(DomainError):
        approve_institution(institution, actor=BureauUserFactory(region=region("110000")))
    with pytest.raises(DomainError):
        approve_institution(institution, actor=BureauUserFactory(region=region("330100")))
    institution = approve_institution(institution, actor=BureauUserFactory(region=region("330000")))
    assert institution.status == InstitutionStatus.APPROVED
    assert AuditEvent.objects.filter(action="institution.approved").count() == 1


def test_days_to_funding_count_shanghai_days():
    """Published at 00:30 in Shanghai (16:30 UTC the day before) and funded that same
    Shanghai day: 0 days, not the 1 a UTC date would give."""
    from finance.selectors import dashboard

    w = world()
    o = accepted(w)
    funded_on = datetime.date(2026, 3, 10)
    published = datetime.datetime(2026, 3, 9, 16, 30, tzinfo=datetime.UTC)
    type(o.need).objects.filter(pk=o.need_id).update(published_at=published)
    record_funding(o, actor=w.banker, amount=Decimal("4000000"), funded_on=funded_on)
    assert dashboard(w.staff)["mean_days_to_funding"] == 0
