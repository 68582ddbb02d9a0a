"""The dynamic-adjustment job (动态调整): evaluate every registry entry, write proposals.

Proposals never change a tier by themselves; adjustment/services/decisions.py
confirms, amends or rejects them.
"""

import datetime
from collections import Counter
from itertools import batched

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Region
from adjustment.models import (
    AdjustmentProposal,
    AdjustmentRules,
    AdjustmentRun,
    ProposalOrigin,
    ProposalStatus,
)
from adjustment.rules import (
    DEFAULT_RULES,
    EntryState,
    Prepared,
    Record,
    decide,
    report_due,
    validate_rules,
)
from audit.services import record_event
from config.bulk import insert_rows
from config.dispatch import send_now
from config.errors import DomainError
from config.job_runs import failure_recorded, queue_run
from config.jobs import RunStatus
from registry.facts import facts_by_year
from registry.models import EnterpriseRecord, RegistryEntry
from registry.services.labels import recompute_labels_for

CHUNK = 2_000
# The earliest report year the job evaluates: the registry holds no report before it.
FIRST_YEAR = 2000
NATIONAL = "000000/"
UPDATED = ["kind", "to_tier", "reasons", "figures", "run", "from_tier", "updated_at"]


def latest_due_year(today: datetime.date) -> int:
    """The latest report year whose report is already due (30 April of the next year)."""
    return today.year - 1 if today > report_due(today.year - 1) else today.year - 2


def can_run_adjustment(user, region) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_admin or (user.is_bureau and user.region.contains(region))


def scope_of(user) -> Region:
    """The region a staff member runs the job over: their jurisdiction (admins: the country)."""
    return user.region if user.is_bureau else Region.objects.get(level="country")


def rule_sets() -> dict[str, dict]:
    """{region path: rules}; the national defaults are there even if the row is not."""
    sets = dict(AdjustmentRules.objects.values_list("region__path", "rules"))
    sets.setdefault(NATIONAL, DEFAULT_RULES)
    return sets


def rules_for(path: str, sets: dict[str, dict]) -> tuple[str, dict]:
    """The nearest rule set at or above `path`: (its region path, rules)."""
    while path not in sets:
        path = path[:-7]
    return path, sets[path]


def save_rules(region, *, actor, rules: dict) -> AdjustmentRules:
    """Staff set their jurisdiction's rules (they then apply to every region below it).

    Side effects: the AdjustmentRules row created or updated; audit `adjustment.rules_saved`.
    """
    if not (actor.is_admin or (actor.is_bureau and actor.region == region)):
        raise DomainError(_("只能设置本辖区的动态调整规则。"))
    if problems := validate_rules(rules):
        raise DomainError("；".join(problems), field="rules")
    with transaction.atomic():
        row, created = AdjustmentRules.objects.select_for_update().get_or_create(
            region=region, defaults={"rules": rules, "updated_by": actor}
        )
        before = None if created else row.rules
        row.rules, row.updated_by = rules, actor
        row.save()
        record_event(actor=actor, action="adjustment.rules_saved", obj=row,
                     before=before, after=rules)  # fmt: skip
    return row


def start_adjustment(*, actor, region, year: int) -> AdjustmentRun:
    """Queue the job over `region` for report year `year` (idempotent: a rerun updates the
    pending proposals and leaves decided ones alone).

    Side effects: an AdjustmentRun; the Celery task after commit; audit `adjustment.started`.
    `actor` None is the yearly beat.
    """
    if actor is not None and not can_run_adjustment(actor, region):
        raise DomainError(_("只能对本辖区运行动态调整测算。"))
    due = latest_due_year(timezone.localdate())
    if year < FIRST_YEAR:
        raise DomainError(
            _("报告年度不能早于 %(first)s 年。") % {"first": FIRST_YEAR}, field="year"
        )
    if year > due:
        raise DomainError(
            _("%(year)s 年度报告尚未到报送截止日，最近可测算的是 %(due)s 年度。")
            % {"year": year, "due": due},
            field="year",
        )
    return queue_run(
        AdjustmentRun, task="adjustment.run_adjustment",
        busy=_("该辖区已有一次测算正在运行，请等待完成。"),
        actor=actor, action="adjustment.started", after={"region": region.code, "year": year},
        region=region, year=year,
    )  # fmt: skip


def run_adjustment(run: AdjustmentRun) -> AdjustmentRun:
    """The job: split the jurisdiction's entries into chunks and hand each to a Celery task,
    so that several workers share the run (in-process, one after the other, without a
    broker). The last chunk to finish closes the run. Returns the run as it stands."""
    ids = list(
        RegistryEntry.objects.active()
        .filter(enterprise__region__path__startswith=run.region.path)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    AdjustmentRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, total=len(ids), processed=0, summary={"entries": len(ids)},
        chunks_done=[],
    )  # fmt: skip
    if not ids:
        _finish(AdjustmentRun.objects.get(pk=run.pk))
    for index, chunk in enumerate(batched(ids, CHUNK)):  # bounds, not 2,000 ids per message
        send_now("adjustment.adjust_chunk", run_id=run.pk, index=index, first=chunk[0],
                 last=chunk[-1], size=len(chunk))  # fmt: skip
    run.refresh_from_db()
    return run


def chunk_entries(run, first: int, last: int):
    """The active entries of the run's jurisdiction with ids first..last: a subquery, so the
    chunk's reads send no list of ids."""
    return RegistryEntry.objects.active().filter(
        enterprise__region__path__startswith=run.region.path, pk__range=(first, last)
    )


def adjust_chunk(run_id: int, index: int, first: int, last: int, size: int) -> None:
    """One chunk (`size` entries with ids first..last when the run started) in one
    transaction: proposals written, counts and progress added to the run under its row
    lock. A chunk delivered twice is done once (`chunks_done`)."""
    with failure_recorded(AdjustmentRun, run_id), transaction.atomic():
        # The chunk's writes and the run's counts commit together (or not at all).
        run = AdjustmentRun.objects.select_for_update().select_related("region").get(pk=run_id)
        if index in run.chunks_done or run.status != RunStatus.RUNNING:
            return
        sets = {path: Prepared(rules) for path, rules in rule_sets().items()}
        counts = _adjust_chunk(run, chunk_entries(run, first, last), sets)
        run.summary = dict(Counter(run.summary or {}) + counts)
        run.summary.setdefault("entries", run.total)
        run.processed += size
        run.chunks_done = [*run.chunks_done, index]
        run.save(update_fields=["summary", "processed", "chunks_done"])
        if run.processed == run.total:
            _finish(run)


def _finish(run):
    run.status, run.finished_at = RunStatus.DONE, timezone.now()
    run.save(update_fields=["status", "finished_at"])
    record_event(actor=run.started_by, action="adjustment.finished", obj=run, after=run.summary)


ENTRY_FIELDS = (
    "pk",
    "tier",
    "admitted_on",
    "enterprise_id",
    "enterprise__region__path",
    "enterprise__listing_status",
    "jurisdiction__path",
    "jurisdiction__name",
)


def entry_states(rows, sets, year) -> dict[int, tuple[EntryState, dict]]:
    """{entry id: (state, rules)} for a chunk's entry rows (`ENTRY_FIELDS`), in a fixed
    number of queries whatever the chunk's size."""
    enterprise_ids = [row["enterprise_id"] for row in rows]
    span = max(max(r["downgrade_after_years"], r["exit_after_missing_years"])
               for r in sets.values())  # fmt: skip
    facts = facts_by_year(enterprise_ids, range(year - span + 1, year + 1))
    records = {}
    for r in EnterpriseRecord.objects.in_force().filter(enterprise_id__any=enterprise_ids):
        records.setdefault(r.enterprise_id, []).append(Record(r.kind, r.occurred_on, r.source))
    states = {}
    for row in rows:
        enterprise = row["enterprise_id"]
        by_year = {}
        for y, of_year in facts.items():
            f = of_year.get(enterprise)
            by_year[y] = f if f and f["report_year"] is not None else None
        state = EntryState(
            tier=row["tier"],
            admitted_on=row["admitted_on"],
            region_path=row["enterprise__region__path"],
            jurisdiction_path=row["jurisdiction__path"],
            jurisdiction_name=row["jurisdiction__name"] or "",
            listing_status=row["enterprise__listing_status"],
            records=tuple(records.get(enterprise, ())),
            facts=by_year,
        )
        states[row["pk"]] = (state, rules_for(row["enterprise__region__path"], sets)[1])
    return states


def _adjust_chunk(run, entries, sets) -> Counter:
    counts = Counter()
    rows = list(entries.values(*ENTRY_FIELDS))  # the one read that needs the region filter
    existing = {
        p.entry_id: p
        for p in AdjustmentProposal.objects.select_for_update().filter(
            entry_id__any=[row["pk"] for row in rows], year=run.year, origin=ProposalOrigin.RULES
        )
    }
    new, changed, withdrawn = [], [], []
    # Labels first: a (prospective) unicorn leads by the default rules.
    recompute_labels_for([row["enterprise_id"] for row in rows], actor=run.started_by,
                         source=f"adjustment-run:{run.pk}")  # fmt: skip
    for entry_id, (state, rules) in entry_states(rows, sets, run.year).items():
        finding = decide(state, rules, year=run.year)
        proposal = existing.get(entry_id)
        if proposal is not None and proposal.status != ProposalStatus.PENDING:
            counts["decided"] += 1  # staff already decided: a rerun does not reopen it
            continue
        if finding is None:
            counts["unchanged"] += 1
            if proposal is not None:
                withdrawn.append(proposal.pk)
            continue
        counts[finding.kind] += 1
        values = {
            "kind": finding.kind,
            "to_tier": finding.to_tier,
            "from_tier": state.tier,
            "reasons": list(finding.reasons),
            "figures": finding.figures,
        }
        if proposal is None:
            new.append(
                AdjustmentProposal(
                    entry_id=entry_id,
                    run=run,
                    year=run.year,
                    origin=ProposalOrigin.RULES,
                    **values,
                )  # fmt: skip
            )
        elif any(getattr(proposal, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(proposal, k, v)
            proposal.run, proposal.updated_at = run, timezone.now()
            changed.append(proposal)
    # A country-wide run and a province's run may meet on the same entry: first one wins.
    insert_rows(AdjustmentProposal, new)
    AdjustmentProposal.objects.bulk_update(changed, UPDATED)
    if withdrawn:
        AdjustmentProposal.objects.filter(pk__in=withdrawn).update(
            status=ProposalStatus.WITHDRAWN,
            decision_reason=_("重新测算后不再需要调整"),
            decided_at=timezone.now(),
        )
    if withdrawn:
        counts["withdrawn"] += len(withdrawn)
    return counts
