"""Thin Celery tasks over the finance services (each idempotent)."""

from celery import shared_task
from django.db import OperationalError


@shared_task(name="finance.score_enterprises", acks_late=True)
def score_enterprises_task(*, run_id: int) -> dict:
    """Score every verified enterprise with the run's scorecard version."""
    from finance.models import ScoreRun
    from finance.services.scoring import run_scoring

    run = ScoreRun.objects.select_related("scorecard").get(pk=run_id)
    if run.status == "done":
        return run.summary or {}
    return run_scoring(run).summary


@shared_task(name="finance.rescore_enterprises", autoretry_for=(OperationalError,),
             retry_backoff=True, max_retries=3)  # fmt: skip
def rescore_enterprises_task(*, enterprise_ids: list[int]) -> int:
    """Rescore enterprises whose registry facts changed (finance.receivers)."""
    from finance.services.scoring import rescore_enterprises

    return rescore_enterprises(enterprise_ids)
