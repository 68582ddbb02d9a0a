from celery import shared_task
from django.utils import timezone

from registry.services.reminders import send_report_reminders


@shared_task(name="registry.report_reminders")
def report_reminders_task() -> dict:
    """Daily: remind 30, 7 and 1 days before the report is due; flag overdue ones."""
    return send_report_reminders(timezone.localdate())
