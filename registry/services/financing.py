"""Financing obtained flows into the enterprise's figures and its timeline."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from audit.services import record_event
from config.errors import DomainError
from registry.models import FinancingReceipt, FinancingSource


def record_financing(enterprise, *, actor, source, amount, received_on, provider_name, reference):
    """Add financing the enterprise obtained. Idempotent on `reference`: a second call
    returns the first row unchanged. The caller (a measure app's service) has checked who
    may record it. Refusals: amount ≤ 0; unknown source.
    Side effects: the FinancingReceipt; audit `financing.received` on the timeline."""
    if source not in FinancingSource.values:
        raise DomainError(_("请选择有效的融资来源。"), field="source")
    if amount is None or Decimal(amount) <= 0:
        raise DomainError(_("到位金额应大于 0。"), field="amount")
    with transaction.atomic():
        row, created = FinancingReceipt.objects.get_or_create(
            reference=reference,
            defaults={
                "enterprise": enterprise,
                "source": source,
                "amount": amount,
                "received_on": received_on,
                "provider_name": provider_name[:200],
                "recorded_by": actor,
            },
        )
        if created:
            record_event(
                actor=actor,
                action="financing.received",
                obj=row,
                enterprise=enterprise,
                after={"source": source, "amount": amount, "provider": provider_name},
            )
    return row


def financing_by_source(enterprise) -> dict[str, Decimal]:
    """{source: cumulative amount} over every receipt (one query); sources without any omitted."""
    rows = (
        FinancingReceipt.objects.filter(enterprise=enterprise)
        .values("source")
        .annotate(total=Sum("amount"))
        .order_by("source")
    )
    return {row["source"]: row["total"] for row in rows}
