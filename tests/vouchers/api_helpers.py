"""Helpers of the voucher API tests: a client per user, a multipart application and claim."""

import datetime
import json

from django.utils import timezone
from rest_framework.test import APIClient

from tests.vouchers.factories import PDF, pdf

ROOT = "/api/v1"


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def apply_over_api(w, *, number="HT-API-1", amount="1000000", sought=None, client=None,
                   **extra):  # fmt: skip
    today = timezone.localdate()
    data = {
        "program": w.program.pk,
        "provider": w.provider.pk,
        "contract_number": number,
        "contract_signed_on": today.isoformat(),
        "contract_starts_on": today.isoformat(),
        "contract_ends_on": (today + datetime.timedelta(days=180)).isoformat(),
        "contract_amount": amount,
        "amount_sought": sought or amount,
        "items": json.dumps([{"product": w.product.pk, "quantity": "1000"}]),
        "contract_file": pdf(),
        **extra,
    }
    return (client or as_user(w.member)).post(
        f"{ROOT}/voucher-applications/", data, format="multipart"
    )


def claim_over_api(client, voucher, *, amount="1000", key="k-1", invoice="INV-1", header=True):
    data = {
        "voucher": voucher.pk,
        "invoice_number": invoice,
        "amount": amount,
        "usage_quantity": "100",
        "usage_unit": "卡时",
        "proof": pdf("proof.pdf"),
    }
    headers = {}
    if header:
        headers["Idempotency-Key"] = key
    else:
        data["idempotency_key"] = key
    return client.post(f"{ROOT}/claims/", data, format="multipart", headers=headers)


__all__ = ["PDF", "ROOT", "apply_over_api", "as_user", "claim_over_api"]
