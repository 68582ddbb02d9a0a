"""Financing an enterprise obtained (融资到位), by source: the registry's own record, so that
any measure app (finance today) adds to the enterprise's figures without importing another."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.constraint_messages import described
from registry.models.enterprises import Enterprise, EnterpriseScopedQuerySet


class FinancingSource(models.TextChoices):
    BANK_LOAN = "bank_loan", _("银行贷款")
    EQUITY = "equity", _("股权投资")
    GUARANTEED_LOAN = "guaranteed", _("担保贷款")
    GUIDANCE_FUND = "fund", _("政府引导基金")


class FinancingReceiptQuerySet(EnterpriseScopedQuerySet):
    """Visible exactly when the enterprise is."""


class FinancingReceipt(models.Model):
    """One financing obtained. `reference` names what produced it (e.g. "finance.offer:12"),
    so that recording the same outcome twice adds nothing."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="financing_receipts"
    )
    source = models.CharField(_("融资来源"), max_length=12, choices=FinancingSource.choices)
    amount = models.DecimalField(_("到位金额（元）"), max_digits=16, decimal_places=2)
    received_on = models.DateField(_("到位日期"))
    provider_name = models.CharField(_("出资机构"), max_length=200)
    reference = models.CharField(_("来源记录"), max_length=64, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = FinancingReceiptQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("融资到位记录")
        verbose_name_plural = _("融资到位记录")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), **described("financing_receipt_amount_positive")
            ),
            models.CheckConstraint(
                condition=Q(source__in=FinancingSource.values),
                **described("financing_receipt_source_valid"),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.get_source_display()} · {self.amount}"
