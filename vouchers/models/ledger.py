"""The budget ledger's rows and the enterprise annual caps.

Every movement of a programme's `reserved`/`spent` is one LedgerEntry (append-only: the
database refuses UPDATE, and DELETE on PostgreSQL); an EnterpriseYearCap row holds what an
enterprise has been granted in one programme lineage in one calendar year.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.constraint_messages import described
from registry.models import Enterprise
from vouchers.models.choices import MONEY, LedgerKind
from vouchers.models.flow import Claim, PartyScopedQuerySet, Voucher
from vouchers.models.programs import VoucherProgram


class LedgerEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff the rows of the programmes they see (admins all); an enterprise or a
        provider the rows of the vouchers they see."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_bureau:
            return self.filter(program__jurisdiction__path__startswith=user.region.path)
        return self.filter(voucher__in=Voucher.objects.visible_to(user))

    def delete(self):
        raise PermissionError("ledger entries are append-only")


class LedgerEntry(models.Model):
    program = models.ForeignKey(VoucherProgram, on_delete=models.PROTECT, related_name="ledger")
    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="ledger")
    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger"
    )
    kind = models.CharField(_("类型"), max_length=8, choices=LedgerKind.choices)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now, editable=False)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("预算台账")
        verbose_name_plural = _("预算台账")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=LedgerKind.values), **described("ledger_kind_valid")
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), **described("ledger_amount_positive")
            ),
            models.CheckConstraint(
                condition=~Q(kind="spend") | Q(claim__isnull=False),
                **described("ledger_spend_has_claim"),
            ),
        ]
        indexes = [models.Index(fields=["program", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("ledger entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("ledger entries are append-only")


class EnterpriseYearCapQuerySet(PartyScopedQuerySet):
    """The enterprise its own rows, staff those of their programmes; providers nothing."""

    provider_sees = False


class EnterpriseYearCap(models.Model):
    """What one enterprise has been granted in one programme lineage (`program` is the first
    version) in one calendar year: `used` is reserved less released, never above `cap`."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(VoucherProgram, on_delete=models.PROTECT, related_name="caps")
    year = models.PositiveSmallIntegerField(_("年度"))
    cap = models.DecimalField(_("年度上限（元）"), **MONEY)
    used = models.DecimalField(_("已使用（元）"), default=Decimal("0.00"), **MONEY)

    objects = EnterpriseYearCapQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "enterprise"]
        verbose_name = _("企业年度额度")
        verbose_name_plural = _("企业年度额度")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "program", "year"], **described("year_cap_unique")
            ),
            models.CheckConstraint(
                condition=Q(used__gte=0) & Q(used__lte=F("cap")),
                **described("year_cap_within_cap"),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.year}"

    @property
    def remaining(self) -> Decimal:
        return self.cap - self.used
