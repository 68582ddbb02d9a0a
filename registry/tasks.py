from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from registry.services.reminders import send_report_reminders


@shared_task(name="registry.report_reminders")
def report_reminders_task() -> dict:
    """Daily: remind 30, 7 and 1 days before the report is due; flag overdue ones."""
    return send_report_reminders(timezone.localdate())


@shared_task(name="registry.match_policy", acks_late=True)
def match_policy_task(*, run_id: int) -> dict:
    from registry.models import PolicyMatchRun
    from registry.services.matching import run_match

    run = PolicyMatchRun.objects.select_related("policy__jurisdiction").get(pk=run_id)
    if run.status == "done":
        return run.summary or {}
    return run_match(run).summary


@shared_task(name="registry.rematch_enterprise", autoretry_for=(OperationalError,),
             retry_backoff=True, max_retries=3)  # fmt: skip
def rematch_enterprise_task(*, enterprise_id: int) -> dict:
    from registry.models import Enterprise
    from registry.services.matching import rematch_enterprise

    enterprise = Enterprise.objects.filter(pk=enterprise_id).first()
    if enterprise is None:
        return {}
    return {str(k): v for k, v in rematch_enterprise(enterprise).items()}


@shared_task(name="registry.rematch_enterprises", autoretry_for=(OperationalError,),
             retry_backoff=True, max_retries=3)  # fmt: skip
def rematch_enterprises_task(*, enterprise_ids: list[int]) -> int:
    from registry.services.matching import rematch_enterprises

    return rematch_enterprises(enterprise_ids)


@shared_task(name="registry.lapse_expired_policies")
def lapse_expired_policies_task() -> int:
    """Daily: open grants of policies that expired lapse (idempotent)."""
    from registry.services.matching import lapse_expired

    return lapse_expired()
