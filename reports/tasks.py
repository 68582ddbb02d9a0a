"""Thin Celery tasks over the report services (each idempotent): the export job, the hourly
deletion of expired exports, and the annual cultivation report."""

from celery import shared_task

from reports.exports import services


@shared_task(name="reports.run_export", acks_late=True)
def run_export(*, export_id: int) -> None:
    services.run_export(export_id)


@shared_task(name="reports.delete_expired_exports")
def delete_expired_exports() -> int:
    return services.delete_expired_exports()


@shared_task(name="reports.annual_report", acks_late=True)
def annual_report_task(*, run_id: int) -> dict:
    from reports.models import AnnualReportRun
    from reports.services.annual import run_annual_report

    run = AnnualReportRun.objects.select_related("jurisdiction", "started_by").get(pk=run_id)
    return run_annual_report(run).summary or {}


@shared_task(name="reports.round_document", acks_late=True)
def round_document_task(*, run_id: int) -> dict:
    from reports.models import RoundDocumentRun
    from reports.services.round_documents import run_round_document

    run = RoundDocumentRun.objects.select_related("round__region", "started_by").get(pk=run_id)
    return run_round_document(run).summary or {}
