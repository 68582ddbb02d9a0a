"""The enterprise's scenario figures: registry.selectors.scenario_awards_received on its
page and in its annual-report form, and the awards on its timeline."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.selectors import scenario_awards_received
from scenarios.services import scenarios as scenario_services
from tests.factories import enterprise_user, registry_enterprise
from tests.scenarios.factories import approved_publisher, award, make_response, make_scenario

pytestmark = pytest.mark.django_db


def _won(publisher, user, staff, member, enterprise, **extra):
    scenario = make_scenario(publisher, user, staff)
    response = make_response(scenario, member, enterprise)
    scenario_services.close_scenario(scenario, actor=user)
    return award(scenario, user, response, **extra)


@pytest.fixture
def w():
    publisher, user, staff = approved_publisher()
    enterprise = registry_enterprise("330100")
    member = enterprise_user(enterprise)
    _won(publisher, user, staff, member, enterprise)  # a first purchase, 1,000,000
    _won(publisher, user, staff, member, enterprise, form="pilot", amount=Decimal("50000"),
         new_product=False, product_name="")  # fmt: skip
    return {"staff": staff, "member": member, "enterprise": enterprise}


def test_awards_received_counts_amounts_and_first_purchases_by_year(w):
    year = timezone.localdate().year
    expected = {"n": 2, "amount": Decimal("1050000.00"), "first_purchases": 1}
    assert scenario_awards_received(w["enterprise"]) == expected
    assert scenario_awards_received(w["enterprise"], year=year) == expected
    assert scenario_awards_received(w["enterprise"], year=year - 1) == {
        "n": 0, "amount": None, "first_purchases": 0,
    }  # fmt: skip
    other = registry_enterprise("330100")
    assert scenario_awards_received(other)["n"] == 0


def test_enterprise_page_report_form_and_timeline_show_the_awards(client, w):
    client.force_login(w["staff"])
    page = client.get(reverse("registry:enterprise-detail", args=[w["enterprise"].pk]))
    text = page.content.decode()
    assert "2 项，合计 1050000.00 元，其中首购首用 1 项" in text
    assert 'data-action="scenario_award.created"' in text
    assert 'data-action="scenario_first_purchase.created"' in text
    client.force_login(w["member"])
    year = timezone.localdate().year
    form = client.get(reverse("registry:report-edit", args=[year])).content.decode()
    assert f"{year} 年应用场景揭榜中选 2 项" in form
    earlier = client.get(reverse("registry:report-edit", args=[year - 1]))
    assert earlier.context["awards_received"]["n"] == 0
