"""Thin Celery tasks over the selection services (each idempotent)."""

from celery import shared_task
from django.utils import timezone

from selection.choices import RoundStatus
from selection.models import SelectionRound, TieringRun
from selection.services.rounds import set_round_status
from selection.services.tiering import finish_notice, run_tiering


@shared_task(name="selection.run_tiering", acks_late=True)
def run_tiering_task(*, run_id: int) -> dict:
    run = TieringRun.objects.select_related("round", "started_by").get(pk=run_id)
    if run.status == "done":
        return run.summary or {}
    return run_tiering(run).summary


@shared_task(name="selection.advance_rounds")
def advance_rounds_task() -> dict:
    """Daily: close application windows that have passed, and finish notices whose
    period has ended (admitting the results into the registry)."""
    now = timezone.now()
    closed = 0
    for selection_round in SelectionRound.objects.filter(
        status=RoundStatus.OPEN, application_closes_at__lte=now
    ):
        set_round_status(
            selection_round, RoundStatus.FORMAL_REVIEW, actor=selection_round.created_by
        )
        closed += 1
    admitted = sum(
        finish_notice(r) for r in SelectionRound.objects.filter(status=RoundStatus.NOTICE)
    )
    return {"windows_closed": closed, "admitted": admitted}
