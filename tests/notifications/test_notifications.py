import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_notify_creates_in_app_rows_and_emails_after_commit(django_capture_on_commit_callbacks):
    alice, bob = UserFactory(email="alice@example.cn"), UserFactory(email="bob@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        notify([alice, bob, alice], title="企业注册审核通过", body="请登录查看。", url="/")
    assert Notification.objects.filter(recipient=alice).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.cn", "bob@example.cn"]
    assert mail.outbox[0].subject == "[数创企业培育库] 企业注册审核通过"
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_email_is_sent_once_even_if_task_runs_twice(django_capture_on_commit_callbacks):
    from notifications.tasks import send_notification_email

    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        [row] = notify([user], title="t")
    assert send_notification_email(notification_id=row.pk) is False
    assert len(mail.outbox) == 1


def test_inactive_users_are_not_notified():
    notify([UserFactory(is_active=False)], title="t")
    assert not Notification.objects.exists()


def test_unread_count_in_header_and_mark_read(client):
    user = UserFactory()
    notify([user], title="第一条", email=False)
    notify([user], title="第二条", email=False)
    client.force_login(user)
    body = client.get(reverse("home")).content.decode()
    assert 'data-testid="unread-count">2<' in body
    client.post(reverse("notifications:read"))
    assert 'data-testid="unread-count"' not in client.get(reverse("home")).content.decode()


def test_users_see_only_their_own_notifications(client):
    alice, bob = UserFactory(), UserFactory()
    notify([alice], title="给 alice 的消息", email=False)
    client.force_login(bob)
    assert "给 alice 的消息" not in client.get(reverse("notifications:list")).content.decode()
    assert client.get("/api/v1/notifications/").json()["count"] == 0
    client.post(reverse("notifications:read"))
    assert Notification.objects.get().read_at is None


def test_mark_read_never_redirects_off_site(client):
    client.force_login(UserFactory())
    for target in ("https://evil.example.com/", "//evil.example.com/"):
        response = client.post(reverse("notifications:read"), {"next": target})
        assert response.url == reverse("notifications:list")
    assert client.post(reverse("notifications:read"), {"next": "/"}).url == "/"
