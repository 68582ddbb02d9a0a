"""Who is who: the documents that prove a registrant acts for the enterprise, and the
requests that move an enterprise from one jurisdiction to another."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from config.constraint_messages import described
from registry.choices import DocumentKind, TransferStatus
from registry.models.enterprises import Enterprise, EnterpriseScopedQuerySet


def document_path(instance, filename):
    return f"verification/{instance.enterprise_id}/{filename}"


class EnterpriseDocument(models.Model):
    """The current business licence (营业执照) or authorisation letter (授权委托书) of an
    enterprise: one per kind, replaced by a new upload."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("材料类型"), max_length=16, choices=DocumentKind.choices)
    file = models.FileField(upload_to=document_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    objects = EnterpriseScopedQuerySet.as_manager()

    class Meta:
        ordering = ["kind"]
        verbose_name = _("认证材料")
        verbose_name_plural = _("认证材料")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "kind"], **described("enterprise_document_one_per_kind")
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DocumentKind.values),
                **described("enterprise_document_kind_valid"),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.get_kind_display()}"


class TransferRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see the requests leaving or entering their jurisdiction; admins all; an
        enterprise's members those of their enterprise (to follow or withdraw one)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_bureau:
            return self.filter(
                Q(from_region__path__startswith=user.region.path)
                | Q(to_region__path__startswith=user.region.path)
            )
        if user.is_enterprise:
            return self.filter(enterprise__in=Enterprise.objects.visible_to(user))
        return self.none()

    def pending(self):
        return self.filter(status=TransferStatus.PENDING)


class TransferRequest(models.Model):
    """Staff asked to move an enterprise out of their jurisdiction: the receiving
    jurisdiction's staff accept (the region changes then) or reject it."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="transfer_requests"
    )
    from_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("原所在地区")
    )
    to_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("迁入地区")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("迁移说明"), max_length=300)
    status = models.CharField(
        _("状态"), max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("审核人"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_reason = models.CharField(_("审核意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now, editable=False)

    objects = TransferRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("辖区迁移申请")
        verbose_name_plural = _("辖区迁移申请")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=TransferStatus.values),
                **described("transfer_status_valid"),
            ),
            # One open request per enterprise: a second one waits for the first decision.
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(status="pending"),
                **described("transfer_one_pending_per_enterprise"),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.from_region} → {self.to_region}"
