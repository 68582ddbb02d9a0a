"""The tiering job (分级确定), overrides, confirmation, objections and admission."""

import datetime
import sys
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from django.utils.translation import ngettext

from config.errors import DomainError
from config.job_runs import failure_recorded, queue_run
from notifications.messages import Message
from notifications.services import notify
from registry.choices import Tier
from registry.services import admit_enterprise
from registry.services.labels import recompute_labels_for
from selection.choices import ApplicationStatus, RoundStatus
from selection.indicators import rd_intensity_or_none
from selection.models import Application, ApplicationFigures, SelectionRound, TieringRun
from selection.models.tiering import RunStatus
from selection.permissions import can_manage_round
from selection.services.aggregation import iter_panel_scores
from selection.services.applications import bulk_set_status, set_application_status
from selection.services.round_checks import noon
from selection.services.rounds import set_round_status
from selection.tiering_rules import Candidate, Rule, decide

S = ApplicationStatus
CHUNK = 1000
CENT = Decimal("0.01")
TIERABLE = [S.SCORED, S.PROPOSED]


def start_tiering(selection_round, *, actor) -> TieringRun:
    """Queue the tiering job (idempotent: a rerun replaces the proposal).

    Side effects: a TieringRun; the Celery task after commit; audit event.
    """
    if not can_manage_round(actor, selection_round):
        raise DomainError(_("您无权管理该遴选轮次。"))
    if selection_round.status != RoundStatus.TIERING:
        raise DomainError(_("轮次进入“分级确定”后才能运行分级。"))
    return queue_run(TieringRun, task="selection.run_tiering",
                     busy=_("分级任务正在运行，请等待完成。"),
                     actor=actor, action="tiering.started", obj=selection_round,
                     round=selection_round)  # fmt: skip


def _age_years(founded_on: datetime.date, year: int) -> int:
    end = datetime.date(year, 12, 31)
    return end.year - founded_on.year - ((end.month, end.day) < (founded_on.month, founded_on.day))


# The panel aggregate's keys, in the order the decision trace has always listed them.
PANEL_KEYS = ("score", "n", "mean", "median", "trimmed", "low", "high")
NO_EXTRA: dict = {}


def _weights(selection_round):
    return selection_round.indicator_weight / 100, selection_round.panel_weight / 100


def _final(weights, indicator, panel_score) -> Decimal:
    return (weights[0] * indicator + weights[1] * panel_score).quantize(
        CENT, rounding=ROUND_HALF_UP
    )


def _panel_strings(selection_round) -> dict[int, tuple]:
    """application id -> its panel aggregate as the strings the trace shows (PANEL_KEYS
    order), streamed; equal strings shared (sys.intern): scores repeat across 50,000
    applications."""
    return {
        app_id: tuple(sys.intern(str(aggregate[k])) for k in PANEL_KEYS)
        for app_id, aggregate in iter_panel_scores(selection_round)
    }


def _latest_figures(selection_round) -> dict[int, dict]:
    """application id -> its latest year's revenue and R&D expense (what the ranking
    reads of the figures: the tie-break intensity and the revenue rules), streamed."""
    latest = {}
    rows = (
        ApplicationFigures.objects.filter(
            application__round=selection_round, application__status__in=TIERABLE
        )
        .order_by("application_id", "year")
        .values_list("application_id", "year", "revenue", "rd_expense")
    )
    for app_id, year, revenue, rd_expense in rows.iterator(chunk_size=CHUNK):
        latest[app_id] = {"year": year, "revenue": revenue, "rd_expense": rd_expense}
    return latest


def _candidates(selection_round):
    """The ranking's input, one small Candidate per application (ids and the few numbers
    the rules read), and per application the strings its trace adds (indicator score and
    panel aggregate). No model objects: three streamed queries."""
    weights = _weights(selection_round)
    panel = _panel_strings(selection_round)
    latest = _latest_figures(selection_round)
    candidates, extras = [], {}
    rows = (
        selection_round.applications.filter(status__in=TIERABLE)
        .order_by("id")
        .values_list("id", "category", "submitted_at", "indicator_score", "indicator_passed",
                     "direct_pass", "enterprise__founded_on")
    )  # fmt: skip
    for app_id, category, submitted_at, indicator, passed, direct, founded_on in rows.iterator(
        chunk_size=CHUNK
    ):
        aggregate = panel.pop(app_id, None)
        panel_score = Decimal(aggregate[0]) if aggregate else Decimal(0)
        indicator = indicator or Decimal(0)
        figures = latest.pop(app_id, None)
        years = [figures] if figures else []
        candidates.append(
            Candidate(
                id=app_id,
                category=category,
                final_score=_final(weights, indicator, panel_score),
                rd_intensity=rd_intensity_or_none(years),
                submitted_at=submitted_at,
                revenue=figures["revenue"] if figures else Decimal(0),
                age_years=_age_years(founded_on, selection_round.year - 1),
                eligible=bool(passed or direct),
                extra=NO_EXTRA,
            )
        )
        extras[app_id] = (sys.intern(str(indicator)), aggregate)
    return candidates, extras


def _trace_extra(weights, extras):
    """The trace's extra part of a candidate, built when its chunk is written."""
    shown_weights = [str(w * 100) for w in weights]

    def extra(candidate) -> dict:
        indicator, aggregate = extras[candidate.id]
        return {
            "indicator_score": indicator,
            "panel_score": aggregate[0] if aggregate else str(Decimal(0)),
            "panel": dict(zip(PANEL_KEYS, aggregate, strict=True)) if aggregate else {},
            "weights": list(shown_weights),
        }

    return extra


def _write_chunk(run, selection_round, decided, extras):
    """Load the chunk's applications (the columns the status change and its audit event
    read) and write their scores, tiers and traces."""
    ids = [candidate.id for candidate, _tier, _trace in decided]
    applications = list(
        Application.objects.filter(pk__in=ids)
        .select_related("enterprise")
        .only("id", "status", "updated_at", "round_id", "enterprise__id", "enterprise__name")
    )
    for application in applications:  # one round object, not one per application
        application.round = selection_round
    changes = {}
    for candidate, tier, trace in decided:
        aggregate = extras[candidate.id][1]
        changes[candidate.id] = {
            "panel_score": Decimal(aggregate[0]) if aggregate else Decimal(0),
            "final_score": candidate.final_score,
            "proposed_tier": tier,
            "decision_trace": trace,
        }
    bulk_set_status(applications, S.PROPOSED, actor=run.started_by, changes=changes)


def run_tiering(run: TieringRun) -> TieringRun:
    """The job body: aggregate panel scores in the database, rank, propose tiers and
    write decision traces, in chunks with progress. Running it twice gives the same
    proposal and never duplicates anything.

    It streams: it holds ids and the few numbers the ranking needs (a small Candidate
    per application), decides in rank order and writes each chunk of CHUNK applications
    as it goes, loading only that chunk's rows."""
    selection_round = run.round
    TieringRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    with failure_recorded(TieringRun, run.pk):
        candidates, extras = _candidates(selection_round)
        TieringRun.objects.filter(pk=run.pk).update(total=len(candidates))
        rules = [
            Rule(r.pk, r.tier, r.category, r.min_final_score, r.min_revenue, r.min_age_years,
                 r.max_age_years, r.quota)
            for r in selection_round.tier_rules.all()
        ]  # fmt: skip
        extra = _trace_extra(_weights(selection_round), extras)
        summary = dict.fromkeys([*Tier.values, ""], 0)
        processed, decided = 0, []
        for item in decide(candidates, rules, extra=extra):
            summary[item[1]] += 1
            decided.append(item)
            if len(decided) == CHUNK:
                processed = _flush(run, selection_round, decided, extras, processed)
        if decided:
            processed = _flush(run, selection_round, decided, extras, processed)
        TieringRun.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE, finished_at=timezone.now(), summary=summary
        )
    run.refresh_from_db()
    return run


def _flush(run, selection_round, decided, extras, processed) -> int:
    with transaction.atomic():
        _write_chunk(run, selection_round, decided, extras)
        processed += len(decided)
        TieringRun.objects.filter(pk=run.pk).update(processed=processed)
    decided.clear()
    return processed


def override_result(application, *, actor, tier: str, reason: str) -> Application:
    """Staff change one proposed result with a written reason (audited)."""
    if not can_manage_round(actor, application.round):
        raise DomainError(_("您无权调整该申请的结果。"))
    if application.status != S.PROPOSED:
        raise DomainError(_("只能调整“拟定结果”状态的申请。"))
    if not reason.strip():
        raise DomainError(_("调整拟定结果时必须填写理由。"), field="reason")
    if tier and tier not in Tier.values:
        raise DomainError(_("无效的层级。"), field="tier")
    trace = dict(application.decision_trace or {})
    trace["override"] = {
        "from": application.proposed_tier,
        "to": tier,
        "reason": reason.strip(),
        "by": actor.full_name,
        "at": timezone.now().isoformat(),
    }
    return set_application_status(
        application,
        S.PROPOSED,
        actor=actor,
        reason=_("人工调整：%(r)s") % {"r": reason.strip()},
        proposed_tier=tier,
        decision_trace=trace,
    )


def confirm_results(selection_round, *, actor) -> SelectionRound:
    """Confirm every proposal and open the public notice. Nothing is visible to
    enterprises before this. Side effects: applications confirmed; round in notice."""
    if not can_manage_round(actor, selection_round):
        raise DomainError(_("您无权确认该轮次的结果。"))
    if selection_round.status != RoundStatus.TIERING:
        raise DomainError(_("轮次不在“分级确定”阶段。"))
    if TieringRun.objects.filter(round=selection_round, status__in=["queued", "running"]).exists():
        raise DomainError(_("分级任务仍在运行，请完成后再确认。"))
    pending = selection_round.applications.filter(status__in=[S.SCORED, S.UNDER_REVIEW])
    if pending.exists():
        n = pending.count()
        raise DomainError(
            ngettext("还有 %(n)d 份申请未完成评审或未运行分级。",
                     "还有 %(n)d 份申请未完成评审或未运行分级。", n) % {"n": n}
        )  # fmt: skip
    with transaction.atomic():
        proposed = list(
            selection_round.applications.filter(status=S.PROPOSED).select_related("enterprise")
        )
        bulk_set_status(proposed, S.CONFIRMED, actor=actor)
        SelectionRound.objects.filter(pk=selection_round.pk).update(
            results_confirmed_by=actor, results_confirmed_at=timezone.now()
        )
        selection_round = set_round_status(selection_round, RoundStatus.NOTICE, actor=actor)
    return selection_round


def finish_notice(selection_round, *, today=None) -> int:
    """After the notice period (and once no objection is open): admit the confirmed
    results into the registry and tell every applicant. Idempotent.
    Returns the number of enterprises admitted."""
    today = today or timezone.localdate()
    if selection_round.status != RoundStatus.NOTICE or selection_round.notice_ends_on >= today:
        return 0
    if selection_round.applications.filter(objections__status="open").exists():
        return 0  # the notice waits for staff to resolve every objection
    actor = selection_round.results_confirmed_by
    admitted, enterprise_ids = 0, []
    with transaction.atomic():
        for application in selection_round.applications.filter(status=S.CONFIRMED).select_related(
            "enterprise__region"
        ):
            members = list(application.enterprise.active_members())
            if application.proposed_tier:
                admit_enterprise(
                    application.enterprise,
                    tier=application.proposed_tier,
                    category=application.category,
                    actor=actor,
                    reason=_("%(round)s入库") % {"round": selection_round.title},
                    source=f"selection:{selection_round.pk}",
                    jurisdiction=selection_round.region,
                )
                set_application_status(application, S.ADMITTED, actor=actor)
                admitted += 1
                enterprise_ids.append(application.enterprise_id)
            else:
                set_application_status(application, S.NOT_SELECTED, actor=actor)
                notify(
                    members,
                    title=Message(N_("%(round)s 结果：未入选"), round=selection_round.title),
                    url=reverse("selection:application-detail", args=[application.pk]),
                )
        # Their admitted figures now count for the growth labels (selectors.admitted_figures).
        recompute_labels_for(enterprise_ids, actor=actor, source=f"selection:{selection_round.pk}")
        set_round_status(selection_round, RoundStatus.CLOSED, actor=actor, now=noon(today))
    return admitted
