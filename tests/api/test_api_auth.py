"""Bad or missing credentials: the same JSON 401 with a WWW-Authenticate header everywhere."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from config.api_urls import router
from tests.factories import PASSWORD, BureauUserFactory

pytestmark = pytest.mark.django_db

LIST_URLS = sorted(
    {reverse(pattern.name) for pattern in router.urls if pattern.name.endswith("-list")}
)
WRONG = "Token 0123456789abcdef0123456789abcdef01234567"


def test_every_router_list_is_covered():
    assert "/api/v1/enterprises/" in LIST_URLS
    assert "/api/v1/regions/" in LIST_URLS  # public reference data
    # + exports, annual reports (#11), 9 voucher lists (#10), 7 finance lists (#13), 6
    # scenario lists (#12, typical cases the sixth), the caller's API tokens, staff's
    # formal-review and follow-up queues (#14)
    assert "/api/v1/formal-review-queue/" in LIST_URLS
    assert "/api/v1/follow-ups/" in LIST_URLS
    assert len(LIST_URLS) == 42


@pytest.mark.parametrize("url", [*LIST_URLS, "/api/v1/me/"])
def test_api_wrong_token_is_json_401_with_scheme(url):
    response = APIClient().get(url, headers={"authorization": WRONG})

    assert response.status_code == 401
    assert response.json() == {"detail": "无效的令牌。"}
    assert response["WWW-Authenticate"] == "Token"


def test_api_wrong_token_on_token_endpoint_is_json_401():
    user = BureauUserFactory()

    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": user.email, "password": PASSWORD},
        format="json",
        headers={"authorization": WRONG},
    )

    assert response.status_code == 401
    assert response.json() == {"detail": "无效的令牌。"}
    assert response["WWW-Authenticate"] == "Token"


def test_api_malformed_token_header_is_json_401():
    response = APIClient().get("/api/v1/me/", headers={"authorization": "Token two words"})

    assert response.status_code == 401
    assert set(response.json()) == {"detail"}
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("url", ["/api/v1/me/", "/api/v1/enterprises/", "/api/v1/policies/"])
def test_api_no_credentials_is_json_401_not_403(url):
    response = APIClient().get(url)

    assert response.status_code == 401
    assert response.json() == {"detail": "身份认证信息未提供。"}
    assert response["WWW-Authenticate"] == "Token"


def test_api_no_credentials_on_public_regions_is_allowed():
    assert APIClient().get("/api/v1/regions/").status_code == 200


def test_api_session_without_token_still_works():
    user = BureauUserFactory()
    client = APIClient()
    client.force_login(user)

    response = client.get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["email"] == user.email
