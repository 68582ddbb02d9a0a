"""Thin Celery tasks over the report services (each idempotent)."""

from celery import shared_task


@shared_task(name="reports.annual_report", acks_late=True)
def annual_report_task(*, run_id: int) -> dict:
    from reports.models import AnnualReportRun
    from reports.services.annual import run_annual_report

    run = AnnualReportRun.objects.select_related("jurisdiction", "started_by").get(pk=run_id)
    return run_annual_report(run).summary or {}
