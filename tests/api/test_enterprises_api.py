import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import issue_api_token
from registry import services
from tests.factories import PASSWORD, BureauUserFactory, EnterpriseFactory, UserFactory, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def zhejiang(api):
    user = BureauUserFactory(region=region("330000"), email="zj@example.cn")
    api.force_authenticate(user)
    return user


def names(response):
    return [row["name"] for row in response.json()["results"]]


def test_token_by_email_or_phone_then_authenticated_call(api):
    user = BureauUserFactory(region=region("330000"), email="zj@example.cn", phone="13811112222")
    keys = []
    for username in ("zj@example.cn", "138 1111 2222"):
        response = api.post(
            "/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json"
        )
        assert response.status_code == 200
        keys.append(response.json()["token"])
    assert len(set(keys)) == 2  # each exchange issues a new key; both work
    assert ApiToken.objects.filter(user=user).count() == 2
    for key in keys:
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert api.get("/api/v1/me/").json()["region"] == "330000"


def test_token_with_wrong_password_is_a_readable_401(api):
    UserFactory(email="a@example.cn")
    response = api.post(
        "/api/v1/auth/token/", {"username": "a@example.cn", "password": "x"}, format="json"
    )
    assert response.status_code == 401
    assert response.json() == {"detail": "邮箱/手机号或密码不正确。"}


def test_token_endpoint_shares_the_login_lockout(api):
    UserFactory(email="a@example.cn")
    for _ in range(10):
        api.post(
            "/api/v1/auth/token/", {"username": "a@example.cn", "password": "x"}, format="json"
        )
    response = api.post(
        "/api/v1/auth/token/", {"username": "a@example.cn", "password": PASSWORD}, format="json"
    )
    assert response.status_code in (401, 403, 429)
    assert not ApiToken.objects.exists()


def test_missing_fields_give_field_errors(api):
    response = api.post("/api/v1/auth/token/", {}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert set(body["errors"]) == {"username", "password"}


def test_anonymous_gets_json_401(api):
    response = api.get("/api/v1/enterprises/")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_list_is_scoped_filtered_and_paginated(api, zhejiang):
    hz = EnterpriseFactory(name="杭州甲", region=region("330100"), industry="03")
    EnterpriseFactory(name="宁波乙", region=region("330200"), industry="01")
    EnterpriseFactory(name="北京丙", region=region("110000"), industry="03")
    services.admit_enterprise(hz, tier="leading", category="tech", actor=zhejiang, reason="x")

    assert names(api.get("/api/v1/enterprises/")) == ["宁波乙", "杭州甲"]
    assert names(api.get("/api/v1/enterprises/", {"industry": "03"})) == ["杭州甲"]
    assert names(api.get("/api/v1/enterprises/", {"region": "330200"})) == ["宁波乙"]
    assert names(api.get("/api/v1/enterprises/", {"region": "110000"})) == []
    assert names(api.get("/api/v1/enterprises/", {"tier": "leading"})) == ["杭州甲"]
    assert names(api.get("/api/v1/enterprises/", {"q": "宁波"})) == ["宁波乙"]
    assert names(api.get("/api/v1/enterprises/", {"ordering": "-name"})) == ["杭州甲", "宁波乙"]
    row = api.get("/api/v1/enterprises/", {"tier": "leading"}).json()["results"][0]
    assert row["tier"] == "leading"
    assert row["region"] == "330100"
    assert row["region_name"] == "浙江省杭州市"


def test_pagination_counts_and_links(api, zhejiang):
    EnterpriseFactory.create_batch(25, region=region("330100"))
    first = api.get("/api/v1/enterprises/").json()
    assert first["count"] == 25
    assert len(first["results"]) == 20
    assert first["next"].endswith("page=2")
    assert len(api.get("/api/v1/enterprises/", {"page": 2}).json()["results"]) == 5
    assert len(api.get("/api/v1/enterprises/", {"page_size": 5}).json()["results"]) == 5


def test_out_of_range_page_is_readable_404(api, zhejiang):
    response = api.get("/api/v1/enterprises/", {"page": 99})
    assert response.status_code == 404
    assert response.json()["detail"]


def test_invalid_filter_value_is_a_400_naming_the_field(api, zhejiang):
    response = api.get("/api/v1/enterprises/", {"industry": "99"})
    assert response.status_code == 400
    assert "industry" in response.json()["errors"]


def test_detail_has_contacts_and_no_delete_or_put(api, zhejiang):
    enterprise = EnterpriseFactory(region=region("330100"))
    response = api.get(f"/api/v1/enterprises/{enterprise.pk}/")
    assert response.json()["contact_name"] == "张敏"
    assert response.json()["verification_status"] == "verified"
    assert api.delete(f"/api/v1/enterprises/{enterprise.pk}/").status_code == 405
    assert api.put(f"/api/v1/enterprises/{enterprise.pk}/", {"name": "x"}).status_code == 405


def test_regions_are_public_reference_data(api):
    response = api.get("/api/v1/regions/", {"level": "province"})
    assert response.status_code == 200
    assert len(response.json()) == 34
    assert api.get("/api/v1/regions/330100/").json()["parent"] == "330000"


def test_schema_and_swagger_are_served_locally(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/enterprises/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
    assert b"/static/drf_spectacular_sidecar/" in docs.content


def test_session_auth_write_needs_csrf(zhejiang):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(zhejiang)
    response = client.post("/api/v1/notifications/read_all/")
    assert response.status_code == 403


@pytest.mark.parametrize("rows", [1, 45])
def test_list_query_budget_with_token(rows):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = BureauUserFactory(region=region("330000"))
    EnterpriseFactory.create_batch(rows, region=region("330100"))
    _token, key = issue_api_token(user=user)
    client = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/v1/enterprises/", {"industry": "03"}).status_code == 200
    # token with user and region, count, page of ids, the page's rows
    assert len(ctx.captured_queries) == 4


def test_deep_pages_keep_the_sort_order(api, zhejiang):
    for n in range(45):
        EnterpriseFactory(
            name=f"企业{n:02d}", region=region("330100"), founded_on=f"20{n % 20:02d}-01-01"
        )
    expected = [f"企业{n:02d}" for n in sorted(range(45), key=lambda n: (-(n % 20), -n))]
    got = []
    for page in (1, 2, 3):
        got += names(
            api.get("/api/v1/enterprises/", {"ordering": "-founded_on,-name", "page": page})
        )
    assert got == expected
