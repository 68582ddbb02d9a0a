"""Documents the portal issues: the registry certificate (入库证书) and the annual
cultivation report's runs (年度培育报告)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from config.constraint_messages import described
from config.jobs import JobRun, progress_bounded
from registry.choices import Tier
from registry.models import RegistryEntry


class CertificateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A certificate is visible exactly when its enterprise is."""
        from registry.models import Enterprise

        return self.filter(entry__enterprise__in=Enterprise.objects.visible_to(user))

    def current(self):
        return self.filter(revoked_at__isnull=True)


class Certificate(models.Model):
    """A registry certificate: what the enterprise shows a bank, verified by its code.

    Whether it is valid is derived, never stored: not revoked (a reissue revokes the one
    before) and the entry still in the registry (an exited or graduated enterprise's
    certificate stops being valid on its own)."""

    code = models.CharField(_("证书编号"), max_length=24, unique=True)
    entry = models.ForeignKey(RegistryEntry, on_delete=models.PROTECT, related_name="certificates")
    tier = models.CharField(_("层级"), max_length=12, choices=Tier.choices)
    jurisdiction = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("培育辖区")
    )
    issued_on = models.DateField(_("发证日期"))
    issued_at = models.DateTimeField(default=timezone.now, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("入库证书")
        verbose_name_plural = _("入库证书")
        constraints = [
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(revoked_at__isnull=True),
                **described("certificate_one_current_per_entry"),
            ),
            models.CheckConstraint(
                condition=Q(tier__in=Tier.values), **described("certificate_tier_valid")
            ),
        ]

    def __str__(self):
        return self.code


class AnnualReportRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Its requester, and staff whose jurisdiction holds the report's."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_admin:
            return self.all()
        mine = Q(started_by=user)
        if user.is_bureau:
            return self.filter(mine | Q(jurisdiction__path__startswith=user.region.path))
        return self.filter(mine)


class AnnualReportRun(JobRun):
    """One rendering of a jurisdiction's annual cultivation report (年度培育报告)."""

    jurisdiction = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("辖区")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file = models.FileField(upload_to="reports/annual/", blank=True)
    pages = models.PositiveIntegerField(default=0)

    objects = AnnualReportRunQuerySet.as_manager()

    class Meta(JobRun.Meta):
        verbose_name = _("年度培育报告")
        verbose_name_plural = _("年度培育报告")
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "year"],
                condition=Q(status__in=["queued", "running"]),
                **described("annual_report_one_active_run"),
            ),
            progress_bounded("annual_report_progress_bounded", described=True),
        ]

    def __str__(self):
        return f"{self.jurisdiction} {self.year} · {self.get_status_display()}"


class RoundDocumentKind(models.TextChoices):
    RESULTS = "results", _("遴选结果名单")
    MINUTES = "minutes", _("专家评审纪要")


class RoundDocumentRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Its requester, and staff whose jurisdiction holds the round's."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_bureau:
            return self.filter(
                Q(started_by=user) | Q(round__region__path__startswith=user.region.path)
            )
        return self.none()


class RoundDocumentRun(JobRun):
    """One rendering of a round's result list or panel minutes, as a job: a large round's
    minutes run to hundreds of pages, too long for a request."""

    round = models.ForeignKey(
        "selection.SelectionRound", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("文书"), max_length=10, choices=RoundDocumentKind.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file = models.FileField(upload_to="reports/rounds/", blank=True)
    pages = models.PositiveIntegerField(default=0)

    objects = RoundDocumentRunQuerySet.as_manager()

    class Meta(JobRun.Meta):
        verbose_name = _("遴选文书")
        verbose_name_plural = _("遴选文书")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "kind"],
                condition=Q(status__in=["queued", "running"]),
                **described("round_document_one_active_run"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RoundDocumentKind.values),
                **described("round_document_kind_valid"),
            ),
            progress_bounded("round_document_progress_bounded", described=True),
        ]

    def __str__(self):
        return f"{self.round} · {self.get_kind_display()} · {self.get_status_display()}"
