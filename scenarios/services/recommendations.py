"""The recommendation job: when a scenario of a list is published (a new batch, or an
item added to a live one) the list's open scenarios are matched against the registry;
when an enterprise's facts change its own recommendations are refreshed. The result is
stored (Recommendation, one row per enterprise and scenario) and each enterprise is told
once about what is new for it: one notification listing N scenarios, never N
notifications, and a rerun tells nobody again (`notified_at`)."""

from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from config.dispatch import send_on_commit
from config.errors import ConflictError
from config.job_runs import queue_run, run_recorded
from notifications.messages import Message
from notifications.services import notify
from scenarios.matching import (
    CAP,
    open_scenarios,
    recommend_enterprises,
    recommend_scenarios,
    registry_enterprises,
)
from scenarios.models import Recommendation, RecommendationRun
from scenarios.services.notices import enterprise_users

LISTED = 10  # scenario titles a notification lists before "…"


def start_recommendations(scenario_list, *, actor=None) -> RecommendationRun | None:
    """Queue the job over the list's open scenarios (called when one is published).

    A run already queued or running for the list picks the new scenario up when it has
    not started yet; otherwise this one waits (None, nothing queued: the caller's action
    goes on). Side effects: a RecommendationRun; audit `scenario_list.recommending`; the
    task after commit.
    """
    try:
        return queue_run(
            RecommendationRun, task="scenarios.recommend_list", actor=actor,
            busy=_("这份清单已有一个推荐任务在运行，请等待其完成。"),
            action="scenario_list.recommending", obj=scenario_list, scenario_list=scenario_list,
        )  # fmt: skip
    except ConflictError:
        return None


def run_recommendations(run: RecommendationRun) -> RecommendationRun:
    """The job body with its run record: status, progress per scenario, summary or error."""
    return run_recorded(RecommendationRun, run, lambda: recommend_list(run.scenario_list, run=run))


def recommend_list(scenario_list, *, run=None) -> dict:
    """Match each open scenario of the list against the registry enterprises, store the
    matches (replacing the scenario's earlier ones) and notify the enterprises of the new
    ones, one notification each. Idempotent. Returns {"scenarios", "recommended",
    "notified"}."""
    scenarios = list(open_scenarios().filter(scenario_list=scenario_list).select_related("region"))
    if run is not None:
        RecommendationRun.objects.filter(pk=run.pk).update(total=len(scenarios))
    recommended = 0
    pool = registry_enterprises()
    for done, scenario in enumerate(scenarios, start=1):
        matches = recommend_enterprises(scenario, pool=pool, limit=CAP)
        rows = [Recommendation(enterprise=m.obj, scenario=scenario, score=m.score,
                               reasons=m.reasons) for m in matches]  # fmt: skip
        with transaction.atomic():
            _store(rows)
            Recommendation.objects.filter(scenario=scenario).exclude(
                enterprise_id__in=[m.obj.pk for m in matches]
            ).delete()
        recommended += len(rows)
        if run is not None:
            RecommendationRun.objects.filter(pk=run.pk).update(processed=done)
    notified = notify_new(Recommendation.objects.filter(scenario__in=scenarios))
    return {"scenarios": len(scenarios), "recommended": recommended, "notified": notified}


def refresh_for_enterprises(enterprise_ids) -> int:
    """After an enterprise's facts changed: its recommendations over the open scenarios
    recomputed, stale ones removed, the new ones notified (one notification each).
    Nothing to do (one query) when no scenario is open. Returns how many were refreshed."""
    if not open_scenarios().exists():
        return 0
    ids = list(enterprise_ids)
    enterprises = list(registry_enterprises().filter(pk__in=ids))
    # One that left the registry (or lost its verification) is recommended nothing.
    Recommendation.objects.filter(enterprise_id__in=ids).exclude(
        enterprise__in=enterprises
    ).delete()
    for enterprise in enterprises:
        matches = recommend_scenarios(enterprise, limit=CAP)
        rows = [Recommendation(enterprise=enterprise, scenario=m.obj, score=m.score,
                               reasons=m.reasons) for m in matches]  # fmt: skip
        with transaction.atomic():
            _store(rows)
            Recommendation.objects.filter(
                enterprise=enterprise, scenario__in=open_scenarios()
            ).exclude(scenario_id__in=[m.obj.pk for m in matches]).delete()
    notify_new(Recommendation.objects.filter(enterprise__in=enterprises))
    return len(enterprises)


def _store(rows):
    """Insert new pairs, refresh the score and reasons of known ones (notified_at kept)."""
    Recommendation.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["enterprise", "scenario"],
        update_fields=["score", "reasons", "computed_at"],
    )  # fmt: skip


def notify_new(recommendations) -> int:
    """Tell each enterprise once about its recommendations not yet notified, in one
    notification listing them, and mark them notified. Returns how many enterprises."""
    pending = defaultdict(list)
    for pk, enterprise_id, title in (
        recommendations.filter(notified_at__isnull=True)
        .order_by("enterprise_id", "-score", "scenario_id")
        .values_list("pk", "enterprise_id", "scenario__title")
    ):
        pending[enterprise_id].append((pk, title))
    url = reverse("scenarios:recommended")
    for enterprise_id, items in pending.items():
        titles = [title for _pk, title in items]
        body = "\n".join(titles[:LISTED]) + ("\n…" if len(titles) > LISTED else "")
        with transaction.atomic():
            notify(
                enterprise_users([enterprise_id]),
                title=Message(N_("为您推荐 %(n)s 个应用场景"), n=len(items)),
                body=body,
                url=url,
            )
            Recommendation.objects.filter(pk__in=[pk for pk, _t in items]).update(
                notified_at=timezone.now()
            )
    return len(pending)


def schedule_refresh(enterprise_ids) -> None:
    """facts_changed: refresh these enterprises' recommendations after commit."""
    ids = [pk for pk in enterprise_ids if pk is not None]
    if ids:
        send_on_commit("scenarios.refresh_recommendations", enterprise_ids=ids)
