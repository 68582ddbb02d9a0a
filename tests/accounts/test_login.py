import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role
from tests.factories import PASSWORD, BureauUserFactory, UserFactory, enterprise_user, region

pytestmark = pytest.mark.django_db


def login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_by_email_any_case(client):
    user = UserFactory(email="zhang.wei@example.cn")
    response = login(client, "Zhang.Wei@Example.cn")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize("typed", ["13912345678", "139 1234 5678", "+86 139-1234-5678"])
def test_login_by_phone_in_common_formats(client, typed):
    user = UserFactory(phone="13912345678")
    response = login(client, typed)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_wrong_password_shows_message(client):
    UserFactory(email="a@example.cn")
    response = login(client, "a@example.cn", "wrong-password")
    assert response.status_code == 200
    assert "密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_inactive_user_cannot_log_in(client):
    UserFactory(email="a@example.cn", is_active=False)
    assert login(client, "a@example.cn").status_code == 200
    assert "_auth_user_id" not in client.session


def test_account_locks_after_ten_failures_even_with_right_password(client):
    UserFactory(email="a@example.cn", phone="13900000001")
    for attempt in range(10):
        # Alternate e-mail and phone: the lock counts the account, not the string typed.
        login(client, "a@example.cn" if attempt % 2 else "13900000001", "wrong")
    response = login(client, "a@example.cn")
    assert response.status_code == 429
    assert "已被锁定 1 小时" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_nine_failures_do_not_lock(client):
    UserFactory(email="a@example.cn")
    for _ in range(9):
        login(client, "a@example.cn", "wrong")
    assert login(client, "a@example.cn").status_code == 302


def test_lock_of_one_account_leaves_others_alone(client):
    UserFactory(email="a@example.cn")
    UserFactory(email="b@example.cn")
    for _ in range(10):
        login(client, "a@example.cn", "wrong")
    assert login(client, "b@example.cn").status_code == 302


def test_session_expires_after_30_idle_minutes(client, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    client.force_login(UserFactory())
    session = client.session
    session.set_expiry(-1)  # as if the idle time had passed
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_logout_is_post_only_and_ends_session(client):
    client.force_login(UserFactory())
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_link(client):
    UserFactory(email="a@example.cn", full_name="王芳")
    response = client.post(reverse("password_reset"), {"email": "a@example.cn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "王芳" in mail.outbox[0].body
    assert "/accounts/password/reset/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("make_user", "expected"),
    [
        (lambda: BureauUserFactory(region=region("330000")), "浙江省辖区企业"),
        (lambda: enterprise_user(), "本企业"),
        (lambda: UserFactory(role=Role.PANELIST), "分配给您"),
        (lambda: UserFactory(role=Role.INSTITUTION), "融资需求"),
        (lambda: UserFactory(role=Role.PROVIDER), "兑付"),
        (lambda: UserFactory(role=Role.PUBLISHER), "场景清单"),
        (lambda: UserFactory(role=Role.ADMIN, is_staff=True), "用户（按角色）"),
    ],
)
def test_home_page_is_role_aware(client, make_user, expected):
    client.force_login(make_user())
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_navigation_by_role(client):
    client.force_login(enterprise_user())
    body = client.get(reverse("home")).content.decode()
    assert reverse("registry:my-enterprise") in body
    assert f'href="{reverse("registry:enterprise-list")}"' not in body
    client.force_login(BureauUserFactory(region=region("330100")))
    body = client.get(reverse("home")).content.decode()
    assert reverse("registry:enterprise-list") in body
    assert reverse("audit:list") not in body  # a city's staff do not read the audit log
    client.force_login(BureauUserFactory(region=region("330000")))
    assert reverse("audit:list") in client.get(reverse("home")).content.decode()


def test_pending_joiner_sees_waiting_notice(client):
    from registry.services import request_membership
    from tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory(name="宁波港数科技有限公司")
    membership = request_membership(
        account={
            "full_name": "周杰",
            "email": "z@example.cn",
            "phone": "13700000000",
            "password": "Strong#Pass2026",
        },
        uscc=enterprise.uscc,
    )
    client.force_login(membership.user)
    body = client.get(reverse("home")).content.decode()
    assert "正在等待" in body
    assert client.get(reverse("registry:my-enterprise")).status_code == 403
