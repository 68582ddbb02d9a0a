"""The voucher objects of the permission world (tests/permission_world.py): a published
compute programme of 杭州市 (the "city" bureau runs it) with the world's provider approved,
an application of enterprise A still to decide, an issued voucher and a filed claim."""

from decimal import Decimal

from django.utils import timezone

from tests.factories import region
from tests.vouchers.factories import pdf, program_values, provider_user
from vouchers.services import applications as app_services
from vouchers.services import claims as claim_services
from vouchers.services import programs as program_services
from vouchers.services import providers as provider_services


def build_voucher_world(city, member_a, enterprise_a) -> dict:
    """Objects keyed as tests/permission_matrix.py PARAMS name them; "provider_user" is
    the world's provider (a user of a registered provider organisation)."""
    program = program_services.create_program(
        actor=city, **program_values(region("330100"), conditions={})
    )
    program = program_services.publish_program(program, actor=city)
    puser = provider_user()
    provider = provider_services.register_provider(
        puser.organisation, actor=puser, service_kinds=["compute"], hub_node="chengyu"
    )
    product = provider_services.add_product(
        provider, actor=puser, kind="compute", name="A100 卡时", unit="卡时",
        unit_price=Decimal("10.00"),
    )  # fmt: skip
    membership = provider_services.join_program(program, provider, actor=puser)
    provider_services.approve_membership(membership, actor=city)
    today = timezone.localdate()

    def apply(number):
        return app_services.apply_for_voucher(
            program, actor=member_a, enterprise=enterprise_a, provider=provider,
            contract_number=number, contract_signed_on=today, contract_starts_on=today,
            contract_ends_on=today,
            contract_amount=Decimal("100000"), amount_sought=Decimal("20000"),
            items=[{"product": product, "quantity": 100}], contract_file=pdf(),
        )  # fmt: skip

    pending = apply("HT-WORLD-1")
    voucher = app_services.approve_application(apply("HT-WORLD-2"), actor=city)
    claim = claim_services.file_claim(
        voucher, actor=puser, idempotency_key="world-1", invoice_number="INV-WORLD-1",
        amount=Decimal("1000"), usage_quantity=Decimal("100"), usage_unit="卡时",
        proof=pdf("proof.pdf"),
    )  # fmt: skip
    return {
        "provider_user": puser,
        "voucher_program": program,
        "voucher_membership": membership,
        "voucher_product": product,
        "voucher_application": pending,
        "voucher": voucher,
        "voucher_claim": claim,
        "voucher_token": voucher.verification_token,
    }
