import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_default_language_is_simplified_chinese(client):
    response = client.get(reverse("login"))
    body = response.content.decode()
    assert '<html lang="zh-hans">' in body
    assert "登录数创企业培育库" in body


def test_switch_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    body = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in body
    assert "Sign in to the" in body
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "登录数创企业培育库" in client.get(reverse("login")).content.decode()


def test_accept_language_header_is_honoured(client):
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="en">' in body
