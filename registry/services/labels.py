"""Growth labels (瞪羚 / 潜在独角兽 / 独角兽), recomputed from the annual reports."""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from notifications.services import notify
from registry.growth_labels import EnterpriseFacts, evaluate
from registry.models import AnnualReport, LabelAward
from registry.models.monitoring import GrowthLabel, ReportStatus
from registry.services.matching import schedule_rematch

COUNTED = [ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]


def facts_of(enterprise) -> EnterpriseFacts:
    reports = list(
        AnnualReport.objects.filter(enterprise=enterprise, status__in=COUNTED).order_by("year")
    )
    valuation = next((r.valuation for r in reversed(reports) if r.valuation is not None), None)
    return EnterpriseFacts(
        founded_on=enterprise.founded_on,
        listing_status=enterprise.listing_status,
        valuation_yuan=valuation,
        revenues={r.year: r.revenue for r in reports},
    )


def recompute_labels(enterprise, *, actor=None, source="", as_of=None) -> set[str]:
    """Grant the labels the rules now give and revoke those they no longer give.

    Idempotent. Side effects: LabelAward rows opened or closed; audit events
    `label.granted` / `label.revoked`; members notified of a new label.
    Returns the labels held afterwards.
    """
    as_of = as_of or timezone.localdate()
    decisions = evaluate(facts_of(enterprise), as_of=as_of, usd_cny=Decimal(settings.USD_CNY_RATE))
    with transaction.atomic():
        held = {a.label: a for a in LabelAward.objects.select_for_update().filter(
            enterprise=enterprise, revoked_on__isnull=True)}  # fmt: skip
        for label, decision in decisions.items():
            if decision.granted and label not in held:
                award = LabelAward.objects.create(
                    enterprise=enterprise,
                    label=label,
                    granted_on=as_of,
                    reasons=decision.reasons,
                    source=source,
                )
                record_event(
                    actor=actor,
                    action="label.granted",
                    obj=award,
                    enterprise=enterprise,
                    after={"label": label, "reasons": decision.reasons},
                )
                members = list(enterprise.active_members())
                notify(
                    members,
                    title=_("%(name)s 获得“%(label)s”称号")
                    % {"name": enterprise.name, "label": GrowthLabel(label).label},
                    body="\n".join(decision.reasons),
                    url=reverse("registry:enterprise-detail", args=[enterprise.pk]),
                )
            elif not decision.granted and label in held:
                award = held[label]
                award.revoked_on = as_of
                award.save(update_fields=["revoked_on"])
                record_event(
                    actor=actor,
                    action="label.revoked",
                    obj=award,
                    enterprise=enterprise,
                    before={"label": label},
                    after={"reasons": decision.reasons},
                )
        # Labels and the report behind them are policy conditions: rematch after commit.
        schedule_rematch(enterprise)
    return {label for label, d in decisions.items() if d.granted}
