from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from notifications.models import Notification


def notify(recipients, *, title: str, body: str = "", url: str = "", email: bool = True):
    """Tell each recipient in the notification centre and, after commit, by e-mail.

    Side effects: one Notification row per active recipient; one e-mail task per
    row queued with `transaction.on_commit` (runs in-process without a broker).
    """
    from notifications.tasks import send_notification_email

    rows = Notification.objects.bulk_create(
        Notification(recipient=user, title=title, body=body, url=url, send_email=email)
        for user in {u.pk: u for u in recipients if u.is_active}.values()
    )
    if email:
        for row in rows:
            send_notification_email.delay_on_commit(notification_id=row.pk)
    return rows


def deliver_email(notification: Notification) -> bool:
    """Send the e-mail for one notification once; a second call does nothing."""
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .get(pk=notification.pk)
        )
        if row.emailed_at is not None or not row.send_email:
            return False
        text = row.body
        if row.url:
            text = f"{text}\n\n{settings.PORTAL_BASE_URL}{row.url}"
        send_mail(
            subject=f"[{settings.PORTAL_NAME}] {row.title}",
            message=text,
            from_email=None,
            recipient_list=[row.recipient.email],
        )
        row.emailed_at = timezone.now()
        row.save(update_fields=["emailed_at"])
        return True


def mark_read(*, user, notification_ids=None) -> int:
    qs = Notification.objects.visible_to(user).unread()
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
