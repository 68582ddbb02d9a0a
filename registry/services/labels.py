"""Growth labels (瞪羚 / 潜在独角兽 / 独角兽), recomputed from the annual reports: for one
enterprise on every report, and for a whole chunk on every adjustment run."""

from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop as N_

from audit.services import build_event, record_events
from config.lookups import id_filter
from notifications.messages import Message
from notifications.services import notify
from registry.choices import EntryStatus
from registry.growth_labels import EnterpriseFacts, LabelDecision, evaluate
from registry.label_explanations import render_reasons
from registry.models import AnnualReport, Enterprise, LabelAward
from registry.models.monitoring import GrowthLabel, ReportStatus
from registry.signals import announce_facts_changed

# Figures staff stand behind besides accepted reports, read by apps above the registry
# (selection: an admitted application's figures). Each is `reader(enterprise_ids)` →
# rows with enterprise_id, year, revenue, valuation, in one query.
FIGURE_SOURCES = []


def register_figure_source(reader) -> None:
    """Called once from an app's ready(); the registry never imports the app itself."""
    if reader not in FIGURE_SOURCES:
        FIGURE_SOURCES.append(reader)


def label_facts(enterprise_ids) -> dict[int, EnterpriseFacts]:
    """{enterprise id: what the label rules read}, in two queries and one per figure source.

    A label is a public title: it is read only from figures staff have accepted — an
    accepted annual report, or for a year without one the figures of an application that
    was admitted (FIGURE_SOURCES) — never from a report the enterprise merely submitted, and
    only for enterprises in the registry (one that is not, or has left it, holds none: its
    labels are revoked on recompute)."""
    by_year, facts = defaultdict(dict), {}
    for row in AnnualReport.objects.filter(
        status=ReportStatus.ACCEPTED, **id_filter("enterprise_id", enterprise_ids)
    ).values("enterprise_id", "year", "revenue", "valuation"):
        by_year[row["enterprise_id"]][row["year"]] = row
    for reader in FIGURE_SOURCES:
        for row in reader(enterprise_ids):
            by_year[row["enterprise_id"]].setdefault(row["year"], row)  # a report comes first
    reports = {pk: [years[y] for y in sorted(years)] for pk, years in by_year.items()}
    for pk, founded_on, listing, entry_status in Enterprise.objects.filter(
        **id_filter("pk", enterprise_ids)
    ).values_list("pk", "founded_on", "listing_status", "registry_entry__status"):
        if entry_status != EntryStatus.ACTIVE:  # never admitted, exited or graduated
            facts[pk] = None
            continue
        rows = reports.get(pk, [])
        valuation = next((r["valuation"] for r in reversed(rows) if r["valuation"] is not None),
                         None)  # fmt: skip
        facts[pk] = EnterpriseFacts(
            founded_on=founded_on,
            listing_status=listing,
            valuation_yuan=valuation,
            revenues={r["year"]: r["revenue"] for r in rows},
        )
    return facts


def recompute_labels_for(enterprise_ids, *, actor=None, source="", as_of=None,
                         report_changed=False) -> dict[int, set]:  # fmt: skip
    """Grant the labels the rules now give and revoke those they no longer give, for many
    enterprises in a fixed number of queries. Idempotent.

    Side effects: LabelAward rows opened or closed; audit events `label.granted` /
    `label.revoked`; members notified of a new label. Returns {id: labels held afterwards}.
    """
    as_of = as_of or timezone.localdate()
    usd_cny = Decimal(settings.USD_CNY_RATE)
    ids = enterprise_ids if isinstance(enterprise_ids, QuerySet) else list(enterprise_ids)
    held_after, events = {}, []
    with transaction.atomic():
        held = defaultdict(dict)
        for award in LabelAward.objects.select_for_update().filter(
            revoked_on__isnull=True, **id_filter("enterprise_id", ids)
        ):
            held[award.enterprise_id][award.label] = award
        new, revoked = [], []
        for pk, facts in label_facts(ids).items():
            if facts is None:  # outside the registry: no label at all
                decisions = {
                    label: LabelDecision(label, False, [{"key": "not_in_registry"}])
                    for label in held[pk]
                }
            else:
                decisions = evaluate(facts, as_of=as_of, usd_cny=usd_cny)
            held_after[pk] = {label for label, d in decisions.items() if d.granted}
            for label, decision in decisions.items():
                if decision.granted and label not in held[pk]:
                    new.append(LabelAward(enterprise_id=pk, label=label, granted_on=as_of,
                                          reasons=decision.reasons, source=source))  # fmt: skip
                elif not decision.granted and label in held[pk]:
                    award = held[pk][label]
                    award.revoked_on = as_of
                    revoked.append((award, decision.reasons))
        LabelAward.objects.bulk_create(new)
        LabelAward.objects.bulk_update([a for a, _r in revoked], ["revoked_on"])
        changed = {a.enterprise_id for a in new} | {a.enterprise_id for a, _r in revoked}
        enterprises = Enterprise.objects.in_bulk(changed)
        for award in new:
            award.enterprise = enterprises[award.enterprise_id]
            after = {"label": award.label, "reasons": award.reasons}
            events.append(build_event(actor=actor, action="label.granted", obj=award,
                                      enterprise=award.enterprise, after=after))  # fmt: skip
        for award, reasons in revoked:
            award.enterprise = enterprises[award.enterprise_id]
            events.append(build_event(actor=actor, action="label.revoked", obj=award,
                                      enterprise=award.enterprise, before={"label": award.label},
                                      after={"reasons": reasons}))  # fmt: skip
        record_events(events)
        _tell(new)
        # Labels (and reports) are policy conditions: rematch, after commit, whoever gained
        # or lost a label — or everyone, when a report changed.
        announce_facts_changed(sorted(held_after if report_changed else changed))
    return held_after


def _tell(granted):
    """The title reads in each reader's language (a Message); the reasons are written in
    the source language, as the rest of the row's stored text."""
    for award in granted:
        enterprise = award.enterprise
        title = Message(
            N_("%(name)s 获得“%(label)s”称号"),
            name=enterprise.name,
            label=GrowthLabel(award.label).label,
        )
        with translation.override(settings.LANGUAGE_CODE):
            body = "\n".join(render_reasons(award.reasons))
        notify(
            list(enterprise.active_members()),
            title=title,
            body=body,
            url=reverse("registry:enterprise-detail", args=[enterprise.pk]),
        )


def recompute_labels(enterprise, *, actor=None, source="", as_of=None) -> set[str]:
    """The same for one enterprise (called on every submitted or accepted report)."""
    held = recompute_labels_for(
        [enterprise.pk], actor=actor, source=source, as_of=as_of, report_changed=True
    )
    return held.get(enterprise.pk, set())
