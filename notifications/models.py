from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.messages import render


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    send_email = models.BooleanField(default=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    # The title and body as message ids and parameters (notifications.messages), so each
    # reader sees them in their own language; empty for a notification given as plain text.
    messages = models.JSONField(default=dict, blank=True, editable=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self):
        return self.title

    @property
    def shown_title(self) -> str:
        return render(self.messages["title"]) if "title" in self.messages else self.title

    @property
    def shown_body(self) -> str:
        return render(self.messages["body"]) if "body" in self.messages else self.body
