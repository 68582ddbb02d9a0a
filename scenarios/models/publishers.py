"""Scenario publishers (场景发布方): government departments, SOEs, leading and platform
enterprises whose `publisher` users open scenario lists once staff approved them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Region, Role
from config.constraint_messages import described
from scenarios.models.choices import PublisherKind, PublisherStatus


def is_publisher_user(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.role == Role.PUBLISHER
        and user.organisation_id is not None
    )


class PublisherQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Admins all; bureau staff those of their jurisdiction and below (its own staff
        approve them); a publisher's users their own; everyone signed in the approved ones
        (their names stand on the scenarios)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_bureau:
            return self.filter(jurisdiction__path__startswith=user.region.path)
        approved = Q(status=PublisherStatus.APPROVED)
        if is_publisher_user(user):
            return self.filter(approved | Q(organisation_id=user.organisation_id))
        return self.filter(approved)


class Publisher(models.Model):
    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="publisher", verbose_name=_("机构")
    )
    kind = models.CharField(_("发布方类型"), max_length=12, choices=PublisherKind.choices)
    jurisdiction = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属辖区")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=PublisherStatus.choices, default=PublisherStatus.APPLIED
    )
    reason = models.CharField(_("审核意见"), max_length=300, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublisherQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "id"]
        verbose_name = _("场景发布方")
        verbose_name_plural = _("场景发布方")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PublisherKind.values), **described("publisher_kind_valid")
            ),
            models.CheckConstraint(
                condition=Q(status__in=PublisherStatus.values),
                **described("publisher_status_valid"),
            ),
        ]

    def __str__(self):
        return self.organisation.name

    @property
    def is_approved(self) -> bool:
        return self.status == PublisherStatus.APPROVED
