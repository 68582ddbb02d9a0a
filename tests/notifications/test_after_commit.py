"""Side effects wait for the commit and never turn a committed action into an error."""

import logging
import socket

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from audit.models import AuditEvent
from notifications.models import Notification
from notifications.tasks import send_notification_email
from registry import services
from registry.choices import MembershipStatus
from registry.models import Membership
from tests.factories import EnterpriseFactory, MembershipFactory, enterprise_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def mail_server_down(settings):
    """SMTP to a local port nothing listens on: every send is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }


@pytest.fixture
def pending():
    enterprise = EnterpriseFactory()
    owner = enterprise_user(enterprise)
    membership = MembershipFactory(enterprise=enterprise, status=MembershipStatus.PENDING)
    return owner, membership


def test_approval_with_the_mail_server_down_succeeds_once_and_mails_later(
    client, pending, mail_server_down, settings, caplog
):
    owner, membership = pending
    client.force_login(owner)
    with caplog.at_level(logging.ERROR, logger="config.celery"):
        response = client.post(
            reverse("registry:membership-decide", args=[membership.pk]),
            {"decision": "approve"},
            follow=True,
        )
    assert response.status_code == 200
    assert "已同意" in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE
    assert AuditEvent.objects.filter(action="membership.active").count() == 1
    notification = Notification.objects.get(recipient=membership.user)
    assert notification.emailed_at is None  # the failed send gave its claim back
    assert "notifications.send_email" in caplog.text
    assert "failed after its transaction committed" in caplog.text
    assert mail.outbox == []

    # The mail server is back: the task's retry (or a rerun) sends it, once.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert send_notification_email(notification_id=notification.pk) is True
    assert send_notification_email(notification_id=notification.pk) is False
    assert [m.to for m in mail.outbox] == [[membership.user.email]]


def test_a_rolled_back_action_notifies_and_mails_nobody(pending):
    owner, membership = pending
    with pytest.raises(RuntimeError), transaction.atomic():
        services.approve_membership(membership, actor=owner)
        raise RuntimeError("the caller's transaction fails after the approval")
    assert Membership.objects.get(pk=membership.pk).status == MembershipStatus.PENDING
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action="membership.active").exists()
    assert mail.outbox == []


def test_a_committed_action_mails_after_the_commit_not_before(pending):
    owner, membership = pending
    with transaction.atomic():
        services.approve_membership(membership, actor=owner)
        assert mail.outbox == []  # still inside the transaction
    assert [m.to for m in mail.outbox] == [[membership.user.email]]
    assert Notification.objects.get().emailed_at is not None
