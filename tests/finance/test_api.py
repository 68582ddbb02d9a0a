"""The finance API: the flow (draft, publish, offer, accept, fund), one accepted offer per
need (409), scoping (an unshared need is 404 to an institution), strict filters, scores."""

from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from finance.models import FinancingNeed, Offer
from registry.models import FinancingReceipt
from tests.finance.factories import institution_user, need, need_values, offer, world

pytestmark = pytest.mark.django_db


def _as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_flow_through_the_api():
    w = world()
    values = {**need_values(), "needed_by": need_values()["needed_by"].isoformat()}
    response = _as(w.member).post("/api/v1/financing-needs/", values, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert _as(w.member).post(f"/api/v1/financing-needs/{pk}/publish/").json()["status"] == (
        "published"
    )
    response = _as(w.banker).post(
        f"/api/v1/financing-needs/{pk}/offer/",
        {"amount": "2000000", "rate": "3.9", "term_months": 12},
        format="json",
    )
    assert response.status_code == 201, response.json()
    offer_pk = response.json()["id"]
    assert _as(w.member).post(f"/api/v1/financing-offers/{offer_pk}/accept/").status_code == 200
    response = _as(w.banker).post(
        f"/api/v1/financing-offers/{offer_pk}/fund/",
        {"amount": "2000000", "funded_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert response.json()["status"] == "funded"
    assert FinancingReceipt.objects.get().amount == Decimal("2000000.00")
    assert FinancingNeed.objects.get(pk=pk).outcome == "financed"


def test_second_accept_is_409():
    w = world()
    n = need(w)
    first, second = offer(w, n), offer(w, n)
    assert _as(w.member).post(f"/api/v1/financing-offers/{first.pk}/accept/").status_code == 200
    response = _as(w.member).post(f"/api/v1/financing-offers/{second.pk}/accept/")
    assert response.status_code == 409
    second.refresh_from_db()
    assert second.status == "made"


def test_unshared_need_is_404_to_an_institution():
    w = world()
    n = need(w, audience="recommended")
    assert _as(w.banker).get(f"/api/v1/financing-needs/{n.pk}/").status_code == 404
    response = _as(w.banker).post(
        f"/api/v1/financing-needs/{n.pk}/offer/", {"amount": "1", "rate": "3"}, format="json"
    )
    assert response.status_code == 404
    assert _as(w.banker).get("/api/v1/financing-needs/").json()["count"] == 0
    assert not Offer.objects.exists()


def test_recommendation_shares_the_need():
    w = world()
    n = need(w, audience="recommended")
    response = _as(w.staff).post(
        "/api/v1/recommendations/",
        {"needs": [n.pk], "institutions": [w.bank.pk], "note": "优质项目"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert _as(w.banker).get(f"/api/v1/financing-needs/{n.pk}/").status_code == 200


def test_filters_are_strict():
    w = world()
    assert _as(w.member).get("/api/v1/financing-needs/?status=nonsense").status_code == 400
    assert _as(w.member).get("/api/v1/financing-needs/?enterprise=abc").status_code == 400


def test_other_roles_refused():
    from tests.factories import UserFactory

    for role in ("panelist", "provider", "publisher"):
        assert _as(UserFactory(role=role)).get("/api/v1/financing-needs/").status_code == 403
    _other, other_user = institution_user()
    assert _as(other_user).post("/api/v1/financing-needs/", {}, format="json").status_code == 403
