"""Several enterprises, banks and a publisher working at once through the scenario and
financing pages, on the database the suite runs on (the embedded SQLite file, or PostgreSQL
in CI): no request fails, every write is saved once, and the one-accepted-offer-per-need
and one-response-per-enterprise rules hold when two requests race."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from finance.models import FinancingNeed, NeedStatus, Offer, OfferStatus
from scenarios.models import Response
from tests.concurrency import expect_redirect, run_at_once
from tests.factories import enterprise_user, registry_enterprise
from tests.finance.factories import institution_user
from tests.scenarios.factories import approved_publisher, make_scenario

pytestmark = pytest.mark.django_db(transaction=True)

ENTERPRISES = 4


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def need_post(index) -> dict:
    return {
        "title": f"并发融资需求{index}",
        "kind": "debt",
        "amount": "3000000",
        "purpose": "采购算力服务器。",
        "term_months": "24",
        "collateral": "",
        "needed_by": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
        "audience": "all",
    }


def response_post(index, version) -> dict:
    return {
        "summary": f"方案{index}-{version}",
        "approach": "基于城市数据中台的决策模型。",
        "price": "800000",
        "timeline": "六个月",
        "references": "",
    }


def test_enterprises_and_banks_at_once_through_the_pages():
    publisher, publisher_user, staff = approved_publisher()
    scenario = make_scenario(publisher, publisher_user, staff)
    members = [enterprise_user(registry_enterprise()) for _ in range(ENTERPRISES)]
    banks = [institution_user() for _ in range(2)]

    def enterprise_session(index, member):
        def session(errors):
            client = logged_in(member)
            respond = reverse("scenarios:respond", args=[scenario.pk])
            # Sent again, the response is edited, not doubled.
            for version in (1, 2):
                expect_redirect(errors, client.post(respond, response_post(index, version)),
                                f"enterprise {index} response {version}")  # fmt: skip
            expect_redirect(errors, client.post(reverse("finance:need-create"), need_post(index)),
                            f"enterprise {index} need")  # fmt: skip
            need = FinancingNeed.objects.get(title=f"并发融资需求{index}")
            publish = reverse("finance:need-act", args=[need.pk, "publish"])
            expect_redirect(errors, client.post(publish), f"enterprise {index} publish")

        return session

    errors = run_at_once([enterprise_session(i, m) for i, m in enumerate(members)])
    assert errors == []
    assert Response.objects.filter(scenario=scenario).count() == ENTERPRISES
    assert sorted(Response.objects.values_list("summary", flat=True)) == [
        f"方案{i}-2" for i in range(ENTERPRISES)
    ]
    needs = list(FinancingNeed.objects.filter(status=NeedStatus.PUBLISHED).order_by("title"))
    assert len(needs) == ENTERPRISES

    # Both banks offer on every need at once.
    def bank_session(index, user):
        def session(errors):
            client = logged_in(user)
            for need in needs:
                response = client.post(
                    reverse("finance:offer-create", args=[need.pk]),
                    {"amount": "3000000", "rate": "3.60", "term_months": "24", "note": ""},
                )
                expect_redirect(errors, response, f"bank {index} offer on {need.pk}")

        return session

    errors = run_at_once([bank_session(i, user) for i, (_, user) in enumerate(banks)])
    assert errors == []
    assert Offer.objects.count() == 2 * ENTERPRISES

    # Each enterprise accepts both of its offers at once (two tabs): one of them wins.
    def accept(member, offer):
        def session(errors):
            url = reverse("finance:offer-act", args=[offer.pk, "accept"])
            expect_redirect(errors, logged_in(member).post(url), f"accept {offer.pk}")

        return session

    sessions = [
        accept(member, offer)
        for member, need in zip(members, needs, strict=True)
        for offer in Offer.objects.filter(need=need)
    ]
    assert run_at_once(sessions) == []
    for need in needs:
        assert Offer.objects.filter(need=need, status=OfferStatus.ACCEPTED).count() == 1
    assert AuditEvent.objects.filter(action="scenario_response.submitted").count() == ENTERPRISES
