"""API keys are stored hashed, shown once, never in the admin, and revocable."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import issue_api_token, revoke_api_token
from accounts.tokens import digest_of
from config.errors import DomainError
from tests.factories import PASSWORD, AdminUserFactory, BureauUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def obtain(user):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": user.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    return response.json()


def me(key):
    return APIClient().get("/api/v1/me/", headers={"authorization": f"Token {key}"})


def test_api_token_obtained_key_authenticates_and_is_shown_with_its_prefix():
    user = BureauUserFactory()

    body = obtain(user)

    assert len(body["token"]) == 40
    assert body["prefix"] == body["token"][:8]
    response = me(body["token"])
    assert response.status_code == 200
    assert response.json()["email"] == user.email


def test_api_token_database_row_holds_no_key():
    user = BureauUserFactory()

    key = obtain(user)["token"]

    token = ApiToken.objects.get(user=user)
    assert token.digest == digest_of(key) != key
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        rows = cursor.fetchall()
    assert len(rows) == 1
    assert key not in repr(rows)
    assert not Token.objects.exists()  # nothing in DRF's clear-text table either


def test_api_token_admin_shows_prefix_and_dates_but_never_the_key_or_digest(client):
    user = BureauUserFactory()
    key = obtain(user)["token"]
    token = ApiToken.objects.get(user=user)
    client.force_login(AdminUserFactory(is_staff=True, is_superuser=True))

    pages = [
        client.get("/admin/accounts/apitoken/"),
        client.get(f"/admin/accounts/apitoken/{token.pk}/change/"),
    ]

    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        assert token.prefix in html
        assert key not in html
        assert token.digest not in html
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403


def test_api_token_revoked_key_fails_and_others_keep_working():
    user = BureauUserFactory()
    first, second = obtain(user)["token"], obtain(user)["token"]

    revoke_api_token(ApiToken.objects.get(prefix=first[:8]), actor=user)

    response = me(first)
    assert response.status_code == 401
    assert response.json() == {"detail": "无效的令牌。"}
    assert me(second).status_code == 200


def test_api_token_admin_action_revokes(client):
    user = BureauUserFactory()
    key = obtain(user)["token"]
    token = ApiToken.objects.get(user=user)
    client.force_login(AdminUserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        "/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}
    )

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert me(key).status_code == 401


def test_api_token_other_user_cannot_revoke():
    user = BureauUserFactory()
    key = obtain(user)["token"]
    token = ApiToken.objects.get(user=user)

    with pytest.raises(DomainError):
        revoke_api_token(token, actor=UserFactory())

    token.refresh_from_db()
    assert token.revoked_at is None
    assert me(key).status_code == 200


def test_api_token_of_deactivated_user_fails():
    user = BureauUserFactory()
    _token, key = issue_api_token(user=user)
    user.is_active = False
    user.save(update_fields=["is_active"])

    assert me(key).status_code == 401


def test_api_token_migration_hashes_existing_drf_keys_which_keep_working():
    user = BureauUserFactory()
    old = Token.objects.create(user=user)
    migration = importlib.import_module("accounts.migrations.0004_api_tokens_hashed")

    migration.hash_drf_tokens(apps, None)

    assert not Token.objects.exists()
    token = ApiToken.objects.get(user=user)
    assert (token.prefix, token.digest, token.created) == (
        old.key[:8],
        digest_of(old.key),
        old.created,
    )
    assert me(old.key).status_code == 200


def test_api_token_issuance_is_capped_and_revoking_one_frees_a_place():
    from accounts.services import MAX_ACTIVE_TOKENS

    user = BureauUserFactory()
    tokens = [issue_api_token(user=user)[0] for _ in range(MAX_ACTIVE_TOKENS)]
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": user.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400
    assert "撤销" in response.json()["detail"]
    assert ApiToken.objects.filter(user=user).count() == MAX_ACTIVE_TOKENS
    revoke_api_token(tokens[0], actor=user)
    assert obtain(user)["prefix"]


def test_api_tokens_listed_and_revoked_by_their_owner_only():
    user, other = BureauUserFactory(), BureauUserFactory()
    mine, key = issue_api_token(user=user)
    theirs, _key = issue_api_token(user=other)
    api = APIClient()
    api.force_authenticate(user)
    listed = api.get("/api/v1/api-tokens/").json()["results"]
    assert [(t["prefix"], t["active"]) for t in listed] == [(mine.prefix, True)]
    assert set(listed[0]) == {"id", "prefix", "created", "revoked_at", "active"}
    assert api.post(f"/api/v1/api-tokens/{theirs.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None
    revoked = api.post(f"/api/v1/api-tokens/{mine.pk}/revoke/")
    assert revoked.status_code == 200 and revoked.json()["active"] is False
    assert me(key).status_code == 401


def test_api_tokens_page_issues_a_key_shown_once_and_revokes(client):
    user = UserFactory()
    client.force_login(user)
    url = "/accounts/tokens/"
    assert "还没有令牌" in client.get(url).content.decode()
    issued = client.post(url)
    key = issued.context["new_key"]
    assert key in issued.content.decode() and "no-store" in issued["Cache-Control"]
    assert me(key).status_code == 200
    again = client.get(url).content.decode()
    assert key not in again and key[:8] in again
    token = ApiToken.objects.get(user=user)
    other = UserFactory()
    client.force_login(other)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    client.force_login(user)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert me(key).status_code == 401
