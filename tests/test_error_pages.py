"""Error pages as `make run` serves them (DEBUG off): friendly, in the reader's language,
with nothing about the code, the URL map or what was submitted."""

import sys

import pytest
from django.contrib.auth.signals import user_logged_in
from django.core.signals import got_request_exception
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.views.debug import ExceptionReporter

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "Pl41n-Secret#2026"


@pytest.fixture
def production(settings):
    settings.DEBUG = False


@pytest.mark.parametrize(
    ("language", "title", "text"),
    [
        ("zh-hans", "页面不存在", "您访问的内容不存在"),
        ("en", "Page not found", "does not exist or is outside your viewing scope"),
    ],
)
def test_404_is_friendly_and_lists_no_urls(client, production, language, title, text):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    body = response.content.decode()
    assert response.status_code == 404
    assert title in body and text in body
    for leak in ("URLconf", "api/v1/", "admin/", "healthz", "Traceback"):
        assert leak not in body


@pytest.mark.parametrize(("language", "title"), [("zh-hans", "无权访问"), ("en", "Access denied")])
def test_403_is_friendly_in_both_languages(client, production, language, title):
    client.force_login(UserFactory(role="panelist"))
    response = client.get(reverse("registry:report-list"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 403
    assert title in response.content.decode()


@pytest.fixture
def login_breaks():
    """The last step of a login fails as SQLite did under load (issue #8)."""

    def locked(**kwargs):
        raise OperationalError("database is locked")

    user_logged_in.connect(locked, dispatch_uid="test-login-breaks")
    yield
    user_logged_in.disconnect(dispatch_uid="test-login-breaks")


@pytest.fixture
def reports():
    """The error report Django would mail or log for each uncaught exception (HTML, with
    the POST data and every frame's local variables)."""
    collected = []

    def report(sender, request, **kwargs):
        collected.append(ExceptionReporter(request, *sys.exc_info()).get_traceback_html())

    got_request_exception.connect(report, dispatch_uid="test-error-report")
    yield collected
    got_request_exception.disconnect(dispatch_uid="test-error-report")


def post_login(user, password):
    client = Client(raise_request_exception=False)
    return client.post(reverse("login"), {"username": user.email, "password": password})


def test_500_is_friendly_in_both_languages_and_never_echoes_the_password(
    production, login_breaks, reports
):
    user = UserFactory()
    user.set_password(SECRET)
    user.save()
    response = post_login(user, SECRET)
    body = response.content.decode()
    assert response.status_code == 500
    assert "系统暂时出现问题" in body and "Something went wrong" in body
    assert SECRET not in body and "database is locked" not in body and "Traceback" not in body
    [report] = reports
    assert "database is locked" in report  # it is the report of this failure
    assert SECRET not in report
    assert "********************" in report  # the POST data is there, starred


def test_debug_page_of_make_dev_hides_the_password_too(settings, login_breaks):
    settings.DEBUG = True
    user = UserFactory()
    user.set_password(SECRET)
    user.save()
    response = post_login(user, SECRET)
    body = response.content.decode()
    assert response.status_code == 500
    assert "database is locked" in body  # the developer's traceback page
    assert SECRET not in body


def test_a_normal_login_still_works(client, production):
    user = UserFactory()
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
