"""Thin Celery tasks over the finance services (each idempotent)."""

from celery import shared_task


@shared_task(name="finance.score_enterprises", acks_late=True)
def score_enterprises_task(*, run_id: int) -> dict:
    """Score every verified enterprise with the run's scorecard version."""
    from finance.models import ScoreRun
    from finance.services.scoring import run_scoring

    run = ScoreRun.objects.select_related("scorecard").get(pk=run_id)
    if run.status == "done":
        return run.summary or {}
    return run_scoring(run).summary
