"""Thin Celery tasks over the scenario services (each idempotent)."""

from celery import shared_task
from django.db import OperationalError


@shared_task(name="scenarios.close_due_scenarios", autoretry_for=(OperationalError,),
             retry_backoff=True, max_retries=3)  # fmt: skip
def close_due_scenarios_task() -> int:
    """Daily beat: close the scenarios whose deadline day is over, once."""
    from scenarios.services.scenarios import close_due_scenarios

    return close_due_scenarios()
