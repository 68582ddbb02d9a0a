"""为我推荐 and 推荐企业 as pages and API: who sees what, reasons shown, query counts that
do not grow with the number of scenarios or enterprises."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import BureauUserFactory, enterprise_user, registry_enterprise
from tests.query_budget import queries_of_get
from tests.scenarios.factories import approved_publisher, make_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    publisher, user, staff = approved_publisher()
    scenario = make_scenario(publisher, user, staff, title="城市大脑人工智能场景")
    fit = registry_enterprise("330100", tier="growth", industry="03", category="tech",
                              name="甲智能")  # fmt: skip
    return {"publisher": publisher, "user": user, "staff": staff, "scenario": scenario,
            "fit": fit, "member": enterprise_user(fit)}  # fmt: skip


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_enterprise_page_and_home_card_show_the_scenario_with_its_reasons(client, w):
    client.force_login(w["member"])
    page = client.get(reverse("scenarios:recommended")).content.decode()
    assert "城市大脑人工智能场景" in page and "同属数字技术应用业（+20 分）" in page
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="scenario-recommended"' in home and "67 分" in home


def test_scenario_tab_for_publisher_and_staff_refused_to_enterprise(client, w):
    url = reverse("scenarios:recommended-enterprises", args=[w["scenario"].pk])
    for user in (w["user"], w["staff"]):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "甲智能" in page and "培育库成长型企业（+7 分）" in page
    client.force_login(w["member"])
    assert client.get(url).status_code == 403
    client.force_login(BureauUserFactory())  # 北京: another jurisdiction
    assert client.get(url).status_code == 403


def test_api_both_ways_with_reasons_as_data_and_text(w):
    mine = _api(w["member"]).get("/api/v1/scenarios/recommended/")
    assert mine.status_code == 200
    [row] = mine.json()
    assert row["scenario"]["id"] == w["scenario"].pk and row["score"] == 67
    assert row["reasons"][0] == {
        "code": "kind", "points": 25,
        "text": "场景类型“技术应用新场景”与企业创新类型“数字技术创新”相符（+25 分）",
    }  # fmt: skip
    url = f"/api/v1/scenarios/{w['scenario'].pk}/recommended-enterprises/"
    [found] = _api(w["user"]).get(url).json()
    assert (found["enterprise"], found["name"], found["score"]) == (w["fit"].pk, "甲智能", 67)
    assert _api(w["member"]).get(url).status_code == 403
    assert _api(w["user"]).get("/api/v1/scenarios/recommended/").status_code == 403


def test_recommendation_pages_query_counts_do_not_grow(client, w):
    def counts():
        client.force_login(w["member"])
        mine = queries_of_get(client, reverse("scenarios:recommended"))
        client.force_login(w["user"])
        theirs = queries_of_get(
            client, reverse("scenarios:recommended-enterprises", args=[w["scenario"].pk])
        )
        return mine, theirs

    before = counts()
    for n in range(3):
        make_scenario(w["publisher"], w["user"], w["staff"])
        registry_enterprise("330100", industry="03", category="tech", name=f"乙{n}")
    assert counts() == before
