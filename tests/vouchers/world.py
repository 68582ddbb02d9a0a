"""The voucher objects of the permission world (tests/permission_world.py): a published
compute programme of 杭州市 run by the city bureau, the "provider" role's provider (a user
of a registered provider organisation) approved in it with a product, enterprise A's
pending application and its issued voucher with a filed claim (discount mode: the provider
claims, A confirms)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from tests.factories import region
from tests.vouchers.factories import make_provider, pdf, program_values, provider_user
from vouchers.models import LedgerEntry
from vouchers.services import applications as app_services
from vouchers.services import claims as claim_services
from vouchers.services import programs as program_services
from vouchers.services import providers as provider_services


def voucher_world(*, city, member_a, enterprise_a) -> dict:
    """The objects keyed as tests/permission_matrix.PARAMS names them (the pages' and the
    API's names), and the provider user under "provider_user"."""
    program = program_services.create_program(
        actor=city, **program_values(region("330100"), name="杭州市算力券（测试）", conditions={})
    )
    program = program_services.publish_program(program, actor=city)
    provider, puser = make_provider(provider_user())
    product = provider_services.add_product(
        provider, actor=puser, kind="compute", name="A100 卡时", unit="卡时",
        unit_price=Decimal("10.00"),
    )  # fmt: skip
    membership = provider_services.join_program(program, provider, actor=puser)
    membership = provider_services.approve_membership(membership, actor=city)
    today = timezone.localdate()

    def apply(number):
        return app_services.apply_for_voucher(
            program, actor=member_a, enterprise=enterprise_a, provider=provider,
            contract_number=number, contract_signed_on=today, contract_starts_on=today,
            contract_ends_on=today + datetime.timedelta(days=180),
            contract_amount=Decimal("500000"), amount_sought=Decimal("100000"),
            items=[{"product": product, "quantity": 50000}], contract_file=pdf(),
        )  # fmt: skip

    voucher = app_services.approve_application(apply("HT-WORLD-1"), actor=city)
    pending = apply("HT-WORLD-2")
    claim = claim_services.file_claim(
        voucher, actor=puser, idempotency_key="world-1", invoice_number="INV-WORLD-1",
        amount=Decimal("30000"), usage_quantity=Decimal("3000"), usage_unit="卡时",
        proof=pdf("proof.pdf"),
    )  # fmt: skip
    return {
        "provider_user": puser,
        "voucher_program": program,
        "voucher_provider": provider,
        "voucher_product": product,
        "program_membership": membership,
        "voucher_membership": membership,
        "voucher_application": pending,
        "voucher": voucher,
        "claim": claim,
        "voucher_claim": claim,
        "voucher_token": voucher.verification_token,
        "ledger_entry": LedgerEntry.objects.get(voucher=voucher),
    }
