"""Two institutions' offers on one need accepted at the same moment, from separate
connections, through the API: exactly one is accepted, the other gets 409 with the
clear sentence, never a 500, and the need holds one accepted offer.

SQLite serialises writers, so the race does not exist there: PostgreSQL only."""

from decimal import Decimal

import pytest
from django.db import connection
from rest_framework.test import APIClient

from finance.models import FinancingNeed, NeedStatus, Offer, OfferStatus
from finance.services.talks import make_offer
from tests.finance.factories import institution_user, need, offer, world
from tests.vouchers.test_concurrency import run_threads

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent writers need PostgreSQL (SQLite serialises every write)",
    ),
]
ROUNDS = 5  # needs raced on, one after another


def _accept(user, offer_pk):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    response = client.post(f"/api/v1/financing-offers/{offer_pk}/accept/")
    return response.status_code, response.json()


def test_concurrent_accepts_of_two_institutions_offers_one_wins():
    w = world()
    other, other_user = institution_user()
    for _ in range(ROUNDS):
        n = need(w)
        ours = offer(w, n)
        theirs = make_offer(n, actor=other_user, institution=other, amount=Decimal("4500000"),
                            rate=Decimal("3.60"), term_months=24)  # fmt: skip
        results, errors = run_threads([lambda o=o: _accept(w.member, o.pk) for o in (ours, theirs)])
        assert errors == []
        codes = sorted(code for code, _body in results)
        assert codes == [200, 409], results
        refusal = next(body for code, body in results if code == 409)
        assert "该需求已接受了一个融资方案。" in str(refusal), refusal
        assert Offer.objects.filter(need=n, status=OfferStatus.ACCEPTED).count() == 1
        assert Offer.objects.filter(need=n, status=OfferStatus.MADE).count() == 1
        assert FinancingNeed.objects.get(pk=n.pk).status == NeedStatus.IN_TALKS
