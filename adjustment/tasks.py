"""Thin Celery tasks over the adjustment services (each idempotent)."""

from celery import shared_task
from django.utils import timezone


@shared_task(name="adjustment.run_adjustment", acks_late=True)
def run_adjustment_task(*, run_id: int) -> dict:
    from adjustment.models import AdjustmentRun
    from adjustment.services.job import run_adjustment

    run = AdjustmentRun.objects.select_related("region", "started_by").get(pk=run_id)
    if run.status != "queued":  # delivered twice: the chunks are already on their way
        return run.summary or {}
    return run_adjustment(run).summary


@shared_task(name="adjustment.adjust_chunk", acks_late=True)
def adjust_chunk_task(*, run_id: int, index: int, first: int, last: int, size: int) -> None:
    from adjustment.services.job import adjust_chunk

    adjust_chunk(run_id, index, first, last, size)


@shared_task(name="adjustment.yearly_adjustment")
def yearly_adjustment_task() -> int:
    """Yearly (beat, after the report deadline): one run over the whole country for the
    latest report year that is due; staff then decide the proposals in their jurisdiction."""
    from accounts.models import Region
    from adjustment.services.job import latest_due_year, start_adjustment

    country = Region.objects.get(level="country")
    run = start_adjustment(actor=None, region=country, year=latest_due_year(timezone.localdate()))
    return run.pk
