import pytest
from rest_framework.test import APIClient

from policies.models import Policy, PolicyGrant
from tests.factories import UserFactory
from tests.policies.conftest import OTHER_ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def _as(api, user):
    api.force_authenticate(user)
    return api


def test_policies_listed_by_visibility(api, world):
    titles = lambda user: sorted(  # noqa: E731
        row["title"] for row in _as(api, user).get("/api/v1/policies/").json()["results"]
    )
    assert titles(world["zhejiang"]) == ["人才公寓权益", "数据要素企业研发费用奖补", "首台套"]
    assert titles(world["hangzhou"]) == ["数据要素企业研发费用奖补", "首台套"]
    assert titles(world["beijing"]) == []
    assert titles(world["member_a"]) == ["数据要素企业研发费用奖补", "首台套"]


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_policies_and_grants_refused_to_other_roles(api, world, role):
    _as(api, UserFactory(role=role))
    assert api.get("/api/v1/policies/").status_code == 403
    assert api.get(f"/api/v1/policies/{world['policy'].pk}/").status_code == 403
    assert api.get("/api/v1/policy-grants/").status_code == 403
    assert api.post(f"/api/v1/policy-grants/{world['grant_a'].pk}/deliver/").status_code == 403


def test_anonymous_refused(api, world):
    # No credentials: 401 naming the token scheme (issue #8), not 403.
    assert api.get("/api/v1/policies/").status_code == 401
    assert api.get("/api/v1/policy-grants/").status_code == 401


def test_other_jurisdiction_and_enterprise_get_404(api, world):
    _as(api, world["beijing"])
    assert api.get(f"/api/v1/policies/{world['policy'].pk}/").status_code == 404
    assert api.get(f"/api/v1/policy-grants/{world['grant_a'].pk}/").status_code == 404
    assert api.post(f"/api/v1/policy-grants/{world['grant_a'].pk}/deliver/").status_code == 404
    _as(api, world["member_b"])
    assert api.get(f"/api/v1/policy-grants/{world['grant_a'].pk}/").status_code == 404
    response = api.post(f"/api/v1/policy-grants/{world['grant_a'].pk}/decline/", {"reason": "x"})
    assert response.status_code == 404
    assert PolicyGrant.objects.get(pk=world["grant_a"].pk).status == "notified"


def test_enterprise_cannot_write_policies(api, world):
    _as(api, world["member_a"])
    assert api.post(f"/api/v1/policies/{world['draft'].pk}/publish/").status_code == 403
    assert api.post("/api/v1/policies/preview/", {}, format="json").status_code == 403


def test_create_refuses_unknown_field_with_the_problem(api, world):
    _as(api, world["zhejiang"])
    body = {
        "title": "算力券",
        "department": "浙江省数据局",
        "kind": "subsidy",
        "mode": "auto",
        "benefit": "补贴",
        "jurisdiction": "330000",
        "valid_from": "2026-01-01",
        "valid_until": "2027-12-31",
        "beneficiary": "入库企业",
        "contact": "0571",
        "conditions": {"all": [{"field": "password", "op": "eq", "value": "x"}]},
    }
    response = api.post("/api/v1/policies/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"conditions": ["all[0]：未知字段“password”"]}
    body["conditions"] = {"all": [{"field": "employees", "op": "gte", "value": 50}]}
    response = api.post("/api/v1/policies/", body, format="json")
    assert response.status_code == 201
    assert response.json()["description"] == "同时满足：从业人员 ≥ 50 人"
    assert Policy.objects.get(title="算力券").created_by == world["zhejiang"]


def test_child_bureau_cannot_edit_or_publish_parent_policy(api, world):
    _as(api, world["hangzhou"])
    response = api.patch(f"/api/v1/policies/{world['policy'].pk}/", {"title": "改"}, format="json")
    assert response.status_code == 403
    assert (
        api.post(f"/api/v1/policies/{world['policy'].pk}/withdraw/", {"reason": "x"}).status_code
        == 403
    )
    assert Policy.objects.get(pk=world["policy"].pk).status == "published"


@pytest.mark.parametrize("code", ["33\x000100", "330100.", "", "3301000", 3301000, True, None])
def test_a_region_code_that_is_not_six_digits_is_a_400_not_a_500(api, world, code):
    """Found by schemathesis on PostgreSQL: a NUL byte reached the query and failed it."""
    _as(api, world["zhejiang"])
    response = api.post(
        "/api/v1/policies/preview/", {"jurisdiction": code, "conditions": {}}, format="json"
    )
    assert response.status_code == 400
    assert "jurisdiction" in response.json()["errors"]


def test_preview_and_publish(api, world, django_capture_on_commit_callbacks):
    _as(api, world["zhejiang"])
    response = api.post(
        "/api/v1/policies/preview/",
        {
            "jurisdiction": "330100",
            "conditions": {"all": [{"field": "revenue", "op": "gte", "value": 25_000_000}]},
        },
        format="json",
    )
    assert response.json() == {
        "count": 1,
        "sample": ["B 数科"],
        "description": "同时满足：营业收入 ≥ 25,000,000 元",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/policies/{world['draft'].pk}/publish/")
    assert response.json()["status"] == "published"
    assert world["draft"].grants.count() == 2


def test_grants_accept_decline_deliver(api, world):
    _as(api, world["member_a"])
    url = f"/api/v1/policy-grants/{world['grant_a'].pk}/"
    response = api.post(
        url + "accept/",
        {"account_name": "A 数科", "bank_name": "示范银行", "account_number": "6222000011112222"},
        format="json",
    )
    assert response.json()["status"] == "accepted"
    _as(api, world["zhejiang"])
    response = api.post(url + "deliver/", {"note": "已拨付"}, format="json")
    assert (response.json()["status"], response.json()["delivery_note"]) == ("delivered", "已拨付")
    quick = PolicyGrant.objects.get(policy=world["quick"])
    _as(api, world["member_b"])
    response = api.post(f"/api/v1/policy-grants/{quick.pk}/decline/", {"reason": ""})
    assert response.status_code == 400
    response = api.post(f"/api/v1/policy-grants/{quick.pk}/decline/", {"reason": "不需要"})
    assert response.json()["status"] == "declined"


def test_grants_filter_by_status_and_overdue(api, world):
    _as(api, world["zhejiang"])
    rows = api.get("/api/v1/policy-grants/", {"status": "notified"}).json()["results"]
    assert sorted(r["enterprise_name"] for r in rows) == ["A 数科", "B 数科", "B 数科"]
    PolicyGrant.objects.filter(pk=world["grant_a"].pk).update(due_on="2026-01-05")
    rows = api.get("/api/v1/policy-grants/", {"overdue": "true"}).json()["results"]
    assert [(r["enterprise_name"], r["is_overdue"]) for r in rows] == [("A 数科", True)]
