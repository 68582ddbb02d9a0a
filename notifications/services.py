from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from config.dispatch import send_on_commit
from notifications.messages import as_source
from notifications.models import Notification


def notify(recipients, *, title, body="", url: str = "", email: bool = True):
    """Tell each recipient in the notification centre and, after commit, by e-mail.

    `title` and `body` are plain text or a `notifications.messages.Message`, which each
    reader then sees in their own language (the e-mail goes in zh-hans).

    Side effects: one Notification row per active recipient; one e-mail task per row
    sent once the transaction commits (in-process without a broker). A failed e-mail is
    logged and retried by the task; it never fails nor undoes the action that notified.
    """
    title, title_data = as_source(title)
    body, body_data = as_source(body)
    data = {k: v for k, v in (("title", title_data), ("body", body_data)) if v is not None}
    rows = Notification.objects.bulk_create(
        Notification(
            recipient=user, title=title, body=body, url=url, send_email=email, messages=data
        )  # fmt: skip
        for user in {u.pk: u for u in recipients if u.is_active}.values()
    )
    if email:
        for row in rows:
            send_on_commit("notifications.send_email", notification_id=row.pk)
    return rows


def deliver_email(notification: Notification) -> bool:
    """Send the e-mail for one notification once; a second call does nothing.

    The row is claimed first (one UPDATE sets emailed_at) and the mail sent outside any
    transaction, so no database lock is held while the mail server answers; a failed send
    gives the claim back, for the task's retry, and raises.
    """
    claimed = Notification.objects.filter(
        pk=notification.pk, send_email=True, emailed_at__isnull=True
    ).update(emailed_at=timezone.now())
    if not claimed:
        return False
    row = Notification.objects.select_related("recipient").get(pk=notification.pk)
    text = row.body
    if row.url:
        text = f"{text}\n\n{settings.PORTAL_BASE_URL}{row.url}"
    try:
        send_mail(
            subject=f"[{settings.PORTAL_NAME}] {row.title}",
            message=text,
            from_email=None,
            recipient_list=[row.recipient.email],
        )
    except Exception:
        Notification.objects.filter(pk=row.pk).update(emailed_at=None)
        raise
    return True


def mark_read(*, user, notification_ids=None) -> int:
    qs = Notification.objects.visible_to(user).unread()
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
