"""Thin Celery tasks over the voucher services (each idempotent)."""

from celery import shared_task
from django.db import OperationalError


@shared_task(name="vouchers.expire_vouchers", autoretry_for=(OperationalError,),
             retry_backoff=True, max_retries=3)  # fmt: skip
def expire_vouchers_task() -> int:
    """Daily beat: expire the vouchers past their date, releasing what is left, once."""
    from vouchers.services.claims import expire_vouchers

    return expire_vouchers()
