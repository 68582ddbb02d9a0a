"""Pages for a signed-in user are never stored; public pages and static files may be."""

import pytest
from django.test import Client

from tests.factories import PASSWORD, BureauUserFactory, UserFactory


def cache_directives(response):
    return {d.strip() for d in response.headers.get("Cache-Control", "").split(",") if d.strip()}


@pytest.mark.django_db
def test_cache_control_signed_in_page_is_no_store_private(client):
    client.force_login(BureauUserFactory())

    response = client.get("/registry/enterprises/")

    assert response.status_code == 200
    assert {"no-store", "private", "no-cache", "max-age=0"} <= cache_directives(response)


@pytest.mark.django_db
def test_cache_control_signed_in_user_on_public_notice_is_no_store(client):
    client.force_login(BureauUserFactory())

    response = client.get("/selection/notice/")

    assert response.status_code == 200
    assert "no-store" in cache_directives(response)


@pytest.mark.django_db
def test_cache_control_token_api_response_is_no_store(client):
    user = UserFactory()
    key = client.post("/api/v1/auth/token/", {"username": user.email, "password": PASSWORD}).json()[
        "token"
    ]

    response = Client().get("/api/v1/me/", headers={"authorization": f"Token {key}"})

    assert response.status_code == 200
    assert {"no-store", "private"} <= cache_directives(response)


@pytest.mark.django_db
def test_cache_control_anonymous_public_notice_is_not_no_store(client):
    response = client.get("/selection/notice/")

    assert response.status_code == 200
    assert "no-store" not in cache_directives(response)
    assert "private" not in cache_directives(response)


@pytest.mark.django_db
def test_cache_control_static_file_is_not_no_store(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "portal.css").write_text("body {}")
    client = Client()  # its handler builds WhiteNoise with this STATIC_ROOT
    client.force_login(BureauUserFactory())

    response = client.get("/static/css/portal.css")

    assert response.status_code == 200
    assert "no-store" not in cache_directives(response)
    assert "private" not in cache_directives(response)
