"""Thin Celery tasks over the policy services (each idempotent)."""

from celery import shared_task
from django.db import OperationalError


@shared_task(name="policies.match_policy", acks_late=True)
def match_policy_task(*, run_id: int) -> dict:
    from policies.models import PolicyMatchRun
    from policies.services.matching import run_match

    run = PolicyMatchRun.objects.select_related("policy__jurisdiction").get(pk=run_id)
    if run.status == "done":
        return run.summary or {}
    return run_match(run).summary


@shared_task(name="policies.rematch_enterprise", autoretry_for=(OperationalError,),
             retry_backoff=True, max_retries=3)  # fmt: skip
def rematch_enterprise_task(*, enterprise_id: int) -> dict:
    from policies.services.matching import rematch_enterprise
    from registry.models import Enterprise

    enterprise = Enterprise.objects.filter(pk=enterprise_id).first()
    if enterprise is None:
        return {}
    return {str(k): v for k, v in rematch_enterprise(enterprise).items()}


@shared_task(name="policies.rematch_enterprises", autoretry_for=(OperationalError,),
             retry_backoff=True, max_retries=3)  # fmt: skip
def rematch_enterprises_task(*, enterprise_ids: list[int]) -> int:
    from policies.services.matching import rematch_enterprises

    return rematch_enterprises(enterprise_ids)


@shared_task(name="policies.lapse_expired_policies")
def lapse_expired_policies_task() -> int:
    """Daily: open grants of policies that expired lapse (idempotent)."""
    from policies.services.matching import lapse_expired

    return lapse_expired()


@shared_task(name="policies.start_policies_coming_into_force")
def start_policies_coming_into_force_task() -> int:
    """Daily: policies published ahead of their start date are matched once it comes."""
    from policies.services.matching import start_policies_coming_into_force

    return start_policies_coming_into_force()
