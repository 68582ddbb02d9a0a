"""Thin tasks: the export job and the hourly deletion of expired exports."""

from celery import shared_task

from reports.exports import services


@shared_task(name="reports.run_export", acks_late=True)
def run_export(*, export_id: int) -> None:
    services.run_export(export_id)


@shared_task(name="reports.delete_expired_exports")
def delete_expired_exports() -> int:
    return services.delete_expired_exports()
