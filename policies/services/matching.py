"""The matching job (政策自动适配): policies × registry enterprises -> PolicyGrant rows.

SQL picks the candidates (conditions/sql.py); the Python engine evaluates only those,
and its explanation is what the grant stores. Idempotent: a rerun creates no duplicate
(unique constraint + the existing-grant map), refreshes explanations, lapses open grants
whose enterprise no longer matches and revives lapsed ones that match again.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Region
from audit.services import record_event, record_events
from conditions.engine import Rule, evaluate, nearly
from conditions.sql import prefilter
from config.bulk import insert_rows
from config.dispatch import send_on_commit
from config.errors import DomainError
from config.job_runs import failure_recorded, queue_run
from config.jobs import RunStatus
from policies.models import (
    OPEN_GRANT_STATES,
    GrantStatus,
    Policy,
    PolicyGrant,
    PolicyMatchRun,
    PolicyStatus,
)
from policies.permissions import can_manage_policy
from policies.services.lifecycle import (
    bulk_set_grant_status,
    due_date,
    new_grant_events,
    notify_members,
    set_grant_status,
)
from registry.choices import EntryStatus
from registry.facts import facts_for, facts_of
from registry.models import Enterprise, RegistryEntry

G = GrantStatus
CHUNK = 1000
PREVIEW_SAMPLE = 5


def region_names() -> dict[str, str]:
    return dict(Region.objects.values_list("code", "name"))


def population(jurisdiction):
    """The enterprises a policy of `jurisdiction` can reach: verified, in the registry (not
    exited or graduated), in its area. The SQL pre-filter starts from here."""
    return Enterprise.objects.verified().filter(
        region__path__startswith=jurisdiction.path, registry_entry__status=EntryStatus.ACTIVE
    )


def preview(conditions, jurisdiction, *, as_of=None) -> dict:
    """How many registry enterprises of the jurisdiction match now, and a few names.
    The SQL pre-filter agrees with the engine (tested), so its count is the answer."""
    matches = prefilter(population(jurisdiction), conditions, as_of=as_of or timezone.localdate())
    return {
        "count": matches.count(),
        "sample": list(
            matches.order_by("name", "pk").values_list("name", flat=True)[:PREVIEW_SAMPLE]
        ),
    }


def start_match(policy, *, actor=None) -> PolicyMatchRun:
    """Queue the matching job for a published policy.

    Side effects: a PolicyMatchRun; audit `policy.match_started`; the task after commit.
    """
    if actor is not None and not can_manage_policy(actor, policy.jurisdiction):
        raise DomainError(_("您无权对该政策运行匹配。"))
    if policy.status != PolicyStatus.PUBLISHED:
        raise DomainError(_("只有已发布的政策才会匹配企业。"))
    busy = _("匹配任务正在运行，请等待完成。")
    return queue_run(PolicyMatchRun, task="policies.match_policy", busy=busy, actor=actor,
                     action="policy.match_started", obj=policy, policy=policy)  # fmt: skip


def run_match(run: PolicyMatchRun) -> PolicyMatchRun:
    """The job body with its run record: status, progress, summary or error."""
    PolicyMatchRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    with failure_recorded(PolicyMatchRun, run.pk):
        summary = match_policy(run.policy, run=run)
    PolicyMatchRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE, finished_at=timezone.now(), summary=summary
    )
    run.refresh_from_db()
    return run


def _in_force(policy, as_of) -> bool:
    return (
        policy.status == PolicyStatus.PUBLISHED and policy.valid_from <= as_of <= policy.valid_until
    )


def match_policy(policy, *, run=None, as_of=None) -> dict:
    """Match one policy over its population, in chunks of CHUNK enterprises.

    New grants are eligible and notified at once: written `notified` with their due date in
    one insert, the audit event recording eligible → notified (for `auto` that notice is the
    whole "application"); returns {"matched", "created", "revived", "updated",
    "lapsed"}. A policy not in force matches nobody, so its open grants lapse.
    """
    as_of = as_of or timezone.localdate()
    spec = policy.conditions
    candidates = {}
    if _in_force(policy, as_of):
        matches = prefilter(population(policy.jurisdiction), spec, as_of=as_of)
        candidates = {
            pk: Enterprise(pk=pk, name=name)
            for pk, name in matches.order_by("pk").values_list("pk", "name")
        }
    ids = list(candidates)
    existing = {
        enterprise_id: (pk, status, explanation)
        for enterprise_id, pk, status, explanation in policy.grants.values_list(
            "enterprise_id", "pk", "status", "explanation"
        )
    }
    if run is not None:
        PolicyMatchRun.objects.filter(pk=run.pk).update(total=len(ids))
    context = {
        "names": region_names(),
        "as_of": as_of,
        "enterprises": candidates,
        "due": due_date(timezone.localdate()),
        "rule": Rule(spec),  # validated once for the whole run
    }
    summary = dict.fromkeys(["matched", "created", "revived", "updated", "lapsed"], 0)
    matched = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        counts = _match_chunk(policy, chunk, existing, matched, context)
        for key, n in counts.items():
            summary[key] += n
        if run is not None:
            PolicyMatchRun.objects.filter(pk=run.pk).update(processed=start + len(chunk))
    summary["matched"] = len(matched)
    stale = [
        pk
        for eid, (pk, status, _e) in existing.items()
        if eid not in matched and status in OPEN_GRANT_STATES
    ]
    for start in range(0, len(stale), CHUNK):
        grants = list(
            PolicyGrant.objects.filter(pk__in=stale[start : start + CHUNK]).select_related(
                "enterprise"
            )
        )
        with transaction.atomic():
            summary["lapsed"] += len(
                bulk_set_grant_status(policy, grants, G.LAPSED, reason=_("已不再符合适用条件"))
            )
    return summary


def _match_chunk(policy, chunk, existing, matched, context) -> dict:
    names, as_of, due, rule = (context[k] for k in ("names", "as_of", "due", "rule"))
    facts = facts_for(chunk, as_of=as_of)
    now = timezone.now()
    new, changed, revive = [], [], []
    for enterprise_id in chunk:
        evaluation = rule.evaluate(facts[enterprise_id], region_names=names)
        if not evaluation.matched:  # the pre-filter is exact, but the engine has the last word
            continue
        matched.add(enterprise_id)
        texts = [r.data for r in evaluation.explanation]
        enterprise = context["enterprises"][enterprise_id]
        if enterprise_id not in existing:
            # Created notified in one write: for `auto` this notice is the whole application.
            new.append(
                PolicyGrant(
                    policy=policy,
                    enterprise=enterprise,
                    explanation=texts,
                    matched_at=now,
                    status=G.NOTIFIED,
                    notified_at=now,
                    due_on=due,
                )
            )
            continue
        pk, status, explanation = existing[enterprise_id]
        grant = PolicyGrant(pk=pk, policy=policy, enterprise=enterprise, explanation=texts)
        if explanation != texts:
            changed.append(grant)
        if status == G.LAPSED:
            revive.append(grant)
    with transaction.atomic():
        insert_rows(PolicyGrant, new)  # COPY: the job writes up to 100,000 grants a policy
        ids = dict(
            PolicyGrant.objects.filter(
                policy=policy, enterprise_id__any=[g.enterprise_id for g in new]
            ).values_list("enterprise_id", "pk")
        )
        for grant in new:
            grant.pk = ids[grant.enterprise_id]
        created = new
        record_events(new_grant_events(created))
        if created:
            notify_members(policy, [g.pk for g in created], G.NOTIFIED)
        PolicyGrant.objects.bulk_update(changed, ["explanation"], batch_size=CHUNK)
        revived = bulk_set_grant_status(policy, revive, G.ELIGIBLE, lapsed_at=None)
        bulk_set_grant_status(policy, revive, G.NOTIFIED)
    return {"created": len(created), "revived": len(revived), "updated": len(changed)}


def rematch_enterprise(enterprise, *, as_of=None) -> dict:
    """Match one enterprise against every policy in force whose jurisdiction contains it
    (after its tier, labels or report changed). Same rules as match_policy: new grants
    notified, explanations refreshed, open grants lapsed, lapsed ones revived.
    Side effects: those of set_grant_status. Returns {policy id: grant status}."""
    as_of = as_of or timezone.localdate()
    enterprise = Enterprise.objects.select_related("region").get(pk=enterprise.pk)
    area = Region.ancestor_paths(enterprise.region.path)
    open_grants = PolicyGrant.objects.filter(enterprise=enterprise, status__in=OPEN_GRANT_STATES)
    # Its area's policies, and those it holds an open grant of (it may have moved away).
    policies = list(
        Policy.objects.in_force(as_of)
        .filter(Q(jurisdiction__path__in=area) | Q(pk__in=open_grants.values("policy_id")))
        .select_related("jurisdiction")
    )
    # Only a verified enterprise in the registry is granted anything (as population()).
    in_registry = (
        enterprise.is_verified
        and RegistryEntry.objects.active().filter(enterprise=enterprise).exists()
    )
    facts = facts_of(enterprise, as_of=as_of)
    names = region_names()
    grants = {
        g.policy_id: g
        for g in PolicyGrant.objects.filter(
            enterprise=enterprise, policy__in=policies
        ).select_related("policy", "enterprise")
    }
    result = {}
    for policy in policies:
        evaluation = evaluate(policy.conditions, facts, region_names=names)
        grant = grants.get(policy.pk)
        if in_registry and evaluation.matched and policy.jurisdiction.path in area:
            grant = _grant_matched(policy, enterprise, grant, evaluation)
        elif grant is not None and grant.status in OPEN_GRANT_STATES:
            grant = set_grant_status(grant, G.LAPSED, actor=None, reason=_("已不再符合适用条件"))
        if grant is not None:
            result[policy.pk] = grant.status
    return result


def _grant_matched(policy, enterprise, grant, evaluation):
    texts = [r.data for r in evaluation.explanation]
    with transaction.atomic():
        if grant is None:
            grant, created = PolicyGrant.objects.get_or_create(
                policy=policy, enterprise=enterprise, defaults={"explanation": texts}
            )
            if created:
                record_event(
                    actor=None,
                    action="policy_grant.eligible",
                    obj=grant,
                    enterprise=enterprise,
                    after={"status": G.ELIGIBLE, "explanation": texts},
                )
        if grant.explanation != texts:
            grant.explanation = texts
            grant.save(update_fields=["explanation", "updated_at"])
        if grant.status == G.LAPSED:
            grant = set_grant_status(grant, G.ELIGIBLE, actor=None, lapsed_at=None)
        if grant.status == G.ELIGIBLE:
            grant = set_grant_status(grant, G.NOTIFIED, actor=None)
    return grant


def schedule_rematch_many(enterprise_ids) -> None:
    """Rematch these enterprises once the current transaction commits (a tier, label,
    report or profile change; the registry announces it): one task."""
    ids = list(enterprise_ids)
    if len(ids) == 1:
        send_on_commit("policies.rematch_enterprise", enterprise_id=ids[0])
    elif ids:
        send_on_commit("policies.rematch_enterprises", enterprise_ids=ids)


def rematch_enterprises(enterprise_ids, *, as_of=None) -> int:
    """rematch_enterprise for each one; nothing to do (and no query per enterprise) when no
    policy is in force. Returns how many were rematched."""
    as_of = as_of or timezone.localdate()
    if not Policy.objects.in_force(as_of).exists():
        return 0
    enterprises = Enterprise.objects.filter(pk__in=enterprise_ids)
    for enterprise in enterprises:
        rematch_enterprise(enterprise, as_of=as_of)
    return len(enterprises)


def nearly_qualified(enterprise, *, as_of=None) -> list[tuple]:
    """[(policy, the one condition it misses)] over the policies in force in its area that
    it has no live grant for."""
    as_of = as_of or timezone.localdate()
    enterprise = Enterprise.objects.select_related("region").get(pk=enterprise.pk)
    held = PolicyGrant.objects.filter(enterprise=enterprise).exclude(status=G.LAPSED)
    policies = (
        Policy.objects.in_force(as_of)
        .filter(jurisdiction__path__in=Region.ancestor_paths(enterprise.region.path))
        .exclude(pk__in=held.values("policy_id"))
        .order_by("valid_until", "pk")
    )
    facts = facts_of(enterprise, as_of=as_of)
    names = region_names()
    found = []
    for policy in policies:
        missing = nearly(policy.conditions, facts, region_names=names)
        if missing:
            found.append((policy, missing[0]))
    return found


def lapse_expired(*, as_of=None) -> int:
    """Daily: published policies past their validity that still have open grants are
    matched once more — a policy not in force matches nobody, so those grants lapse.
    Returns how many policies were handled."""
    as_of = as_of or timezone.localdate()
    expired = Policy.objects.filter(
        status=PolicyStatus.PUBLISHED,
        valid_until__lt=as_of,
        grants__status__in=OPEN_GRANT_STATES,
    ).distinct()
    handled = 0
    for policy in expired:
        match_policy(policy, as_of=as_of)
        handled += 1
    return handled


def start_policies_coming_into_force(*, as_of=None) -> int:
    """Daily: a published policy whose validity has begun but that has not been matched
    since it began (published ahead of its start date, it matched nobody then) is matched
    now. Idempotent: a run started on or after the start date counts. Returns how many
    policies were queued."""
    as_of = as_of or timezone.localdate()
    since_start = PolicyMatchRun.objects.filter(
        policy=OuterRef("pk"), created_at__date__gte=OuterRef("valid_from")
    )
    waiting = Policy.objects.filter(
        status=PolicyStatus.PUBLISHED, valid_from__lte=as_of, valid_until__gte=as_of
    ).exclude(Exists(since_start))
    queued = 0
    for policy in waiting:
        try:
            start_match(policy)
        except DomainError:  # a run is already active for it: that run matches it
            continue
        queued += 1
    return queued
