"""Every page or endpoint that takes a password or a bank account marks those fields
sensitive, so that no error report (mailed, logged or the DEBUG page) shows them."""

from decimal import Decimal

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.debug import SafeExceptionReporterFilter

from config.errors import SensitiveDataFilter
from policies.models import PolicyGrant
from policies.services import lifecycle as policies
from tests.factories import (
    BureauUserFactory,
    PolicyFactory,
    UserFactory,
    enterprise_user,
    region,
    registry_enterprise,
)

pytestmark = pytest.mark.django_db

STARS = SafeExceptionReporterFilter.cleansed_substitute
SECRET = "Pl41n-Secret#2026"


def reset_url(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("password_reset_confirm", args=[uid, token])


def grant_url(user, capture):
    zhejiang = BureauUserFactory(region=region("330000"))
    enterprise = registry_enterprise("330100", revenue=Decimal("20000000"))
    policy = PolicyFactory(created_by=zhejiang)
    with capture(execute=True):  # the matching job runs after the commit
        policies.publish_policy(policy, actor=zhejiang)
    grant = PolicyGrant.objects.get(policy=policy, enterprise=enterprise)
    user.delete()
    return enterprise_user(enterprise), reverse("policies:grant-respond", args=[grant.pk])


# (what, who is signed in, where, what is posted, the fields that must never show)
CASES = {
    "login": (None, lambda u: reverse("login"), {"username": "a@b.cn", "password": SECRET}),
    "password change": (
        "user",
        lambda u: reverse("password_change"),
        {"old_password": SECRET, "new_password1": SECRET, "new_password2": SECRET},
    ),
    "password reset (set a new one)": (
        None,
        reset_url,
        {"new_password1": SECRET, "new_password2": SECRET},
    ),
    "registration": (
        None,
        lambda u: reverse("registry:register"),
        {"email": "n@b.cn", "password": SECRET, "password2": SECRET},
    ),
    "join an enterprise": (
        None,
        lambda u: reverse("registry:join"),
        {"email": "n@b.cn", "password": SECRET, "password2": SECRET},
    ),
    "API token": (None, lambda u: reverse("api-token"), {"username": "a@b.cn", "password": SECRET}),
    "admin password change": (
        "admin",
        lambda u: reverse("admin:auth_user_password_change", args=[u.pk]),
        {"password1": SECRET, "password2": SECRET},
    ),
    "policy grant: bank account": (
        "grant",
        None,
        {"account_name": "A 数科", "bank_name": "示范银行", "account_number": "6222000011112222"},
    ),
}
SENSITIVE = {"password", "password1", "password2", "old_password", "new_password1",
             "new_password2", "account_number"}  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_views_taking_passwords_or_bank_accounts_mark_them_sensitive(
    case, django_capture_on_commit_callbacks
):
    who, url, data = CASES[case]
    user = UserFactory(is_staff=(who == "admin"), is_superuser=(who == "admin"))
    if who == "grant":
        user, address = grant_url(user, django_capture_on_commit_callbacks)
    else:
        address = url(user)
    client = Client()
    if who:
        client.force_login(user)
    response = client.post(address, data)
    request = response.wsgi_request
    shown = SensitiveDataFilter().get_post_parameters(request)
    secrets = SENSITIVE & set(data)
    assert secrets, "every case posts at least one sensitive field"
    for field in secrets:
        assert shown[field] == STARS, field
    assert SECRET not in str(shown) and "6222000011112222" not in str(shown)
