from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import RegionLevel


class AuditImmutableError(Exception):
    """Raised on any attempt to change or delete an audit event."""


def can_read_audit(user) -> bool:
    """Admins, and bureau staff of the country or a province (a city's staff do not)."""
    if not user.is_authenticated:
        return False
    upper = (RegionLevel.COUNTRY, RegionLevel.PROVINCE)
    return user.is_admin or (user.is_bureau and user.region.level in upper)


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutableError("Audit events are append-only.")

    def delete(self):
        raise AuditImmutableError("Audit events are append-only.")

    def visible_to(self, user):
        """Admins read everything; national and provincial bureau staff read what happened
        in their jurisdiction: events about its enterprises and events by its staff."""
        if not user.is_authenticated:
            return self.none()
        if user.is_admin:
            return self
        if not can_read_audit(user):
            return self.none()
        path = user.region.path
        return self.filter(
            models.Q(enterprise__region__path__startswith=path)
            | models.Q(actor__region__path__startswith=path)
        )

    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )


class AuditEvent(models.Model):
    """One thing that happened: append-only (also enforced by a database trigger)."""

    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    # No database FK: events must outlive anything they mention, and a cascading
    # SET NULL would be an UPDATE, which the trigger refuses.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_label = models.CharField(_("操作人"), max_length=200, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("对象"), max_length=300)
    # The enterprise this event belongs to, for its timeline.
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        indexes = [
            models.Index(fields=["content_type", "object_id", "-created_at"]),
            models.Index(fields=["enterprise", "-created_at"]),
        ]

    def __str__(self):
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise AuditImmutableError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError("Audit events are append-only.")
