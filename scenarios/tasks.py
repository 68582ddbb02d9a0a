"""Thin Celery tasks over the scenario services (each idempotent)."""

from celery import shared_task
from django.db import OperationalError


@shared_task(name="scenarios.close_due_scenarios", autoretry_for=(OperationalError,),
             retry_backoff=True, max_retries=3)  # fmt: skip
def close_due_scenarios_task() -> int:
    """Daily beat: close the scenarios whose deadline day is over, once."""
    from scenarios.services.scenarios import close_due_scenarios

    return close_due_scenarios()


@shared_task(name="scenarios.recommend_list", acks_late=True)
def recommend_list_task(*, run_id: int) -> dict:
    """The recommendation job over one list (a batch); a finished run is not redone."""
    from scenarios.models import RecommendationRun
    from scenarios.services.recommendations import run_recommendations

    run = RecommendationRun.objects.select_related("scenario_list").get(pk=run_id)
    if run.status == "done":
        return run.summary or {}
    return run_recommendations(run).summary


@shared_task(name="scenarios.refresh_recommendations", autoretry_for=(OperationalError,),
             retry_backoff=True, max_retries=3)  # fmt: skip
def refresh_recommendations_task(*, enterprise_ids: list[int]) -> int:
    """An enterprise's facts changed: its scenario recommendations are refreshed."""
    from scenarios.services.recommendations import refresh_for_enterprises

    return refresh_for_enterprises(enterprise_ids)
