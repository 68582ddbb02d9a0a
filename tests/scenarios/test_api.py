"""The scenario API: the same services and scoping as the pages."""

import pytest
from rest_framework.test import APIClient

from scenarios.models import Response, Scenario
from tests.factories import enterprise_user, registry_enterprise
from tests.scenarios.factories import approved_publisher, make_response, make_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    publisher, user, staff = approved_publisher()
    scenario = make_scenario(publisher, user, staff, title="人工智能客服场景")
    enterprise = registry_enterprise("330100")
    return {"publisher": publisher, "user": user, "staff": staff, "scenario": scenario,
            "enterprise": enterprise, "member": enterprise_user(enterprise)}  # fmt: skip


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_enterprise_responds_once_and_reads_only_its_own(w):
    client = _client(w["member"])
    body = {"summary": "摘要", "approach": "路线", "price": "1000.00", "timeline": "1 个月"}
    url = f"/api/v1/scenarios/{w['scenario'].pk}/respond/"
    created = client.post(url, body, format="json")
    assert created.status_code == 201 and created.json()["status"] == "submitted"
    again = client.post(url, body, format="json")
    assert again.status_code == 400
    assert Response.objects.count() == 1
    other = registry_enterprise("330100")
    stranger = _client(enterprise_user(other))
    response_id = created.json()["id"]
    assert stranger.get(f"/api/v1/scenario-responses/{response_id}/").status_code == 404
    assert stranger.get("/api/v1/scenario-responses/").json()["count"] == 0
    other_publisher = _client(approved_publisher(code="330200")[1])
    assert other_publisher.get(f"/api/v1/scenario-responses/{response_id}/").status_code == 404
    assert _client(w["user"]).get(f"/api/v1/scenario-responses/{response_id}/").status_code == 200


def test_the_api_search_finds_chinese_words_and_filters(w):
    make_scenario(w["publisher"], w["user"], w["staff"], title="港口调度",
                  description="堆场优化。", kind="data_enablement")  # fmt: skip
    client = _client(w["member"])
    titles = [r["title"] for r in client.get("/api/v1/scenarios/", {"q": "智能"}).json()["results"]]
    assert titles == ["人工智能客服场景"]
    kinds = client.get("/api/v1/scenarios/", {"kind": "data_enablement"}).json()["results"]
    assert [r["title"] for r in kinds] == ["港口调度"]
    assert client.get("/api/v1/scenarios/", {"kind": "nonsense"}).status_code == 400


def test_staff_publish_through_the_api_and_others_are_refused(w):
    draft = make_scenario(w["publisher"], w["user"], w["staff"], status="submitted")
    url = f"/api/v1/scenarios/{draft.pk}/publish/"
    assert _client(w["user"]).post(url).status_code == 403
    assert _client(w["member"]).post(url).status_code == 404  # a draft is not public
    assert Scenario.objects.get(pk=draft.pk).status == "submitted"
    assert _client(w["staff"]).post(url).json()["status"] == "published"


def test_the_publisher_awards_through_the_api(w):
    made = make_response(w["scenario"], w["member"], w["enterprise"])
    client = _client(w["user"])
    assert client.post(f"/api/v1/scenarios/{w['scenario'].pk}/close/").status_code == 200
    answer = client.post(f"/api/v1/scenarios/{w['scenario'].pk}/award/", {"awards": [{
        "response": made.pk, "form": "purchase", "amount": "3000000.00",
        "starts_on": "2026-12-01", "ends_on": "2027-12-01", "product_name": "智能客服机器人",
        "new_product": True,
    }]}, format="json")  # fmt: skip
    assert answer.status_code == 200 and answer.json()["status"] == "awarded"
    purchases = _client(w["staff"]).get("/api/v1/first-purchases/").json()["results"]
    assert [(p["subsidy"], p["eligible"]) for p in purchases] == [("300000.00", True)]
