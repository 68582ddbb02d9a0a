"""The voucher world: a published programme, an approved provider with a catalogue, an
eligible enterprise with a member. Every default plain and valid."""

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, Role, User
from tests.factories import (
    BureauUserFactory,
    UserFactory,
    enterprise_user,
    region,
    registry_enterprise,
)
from vouchers.models import Provider, VoucherProgram
from vouchers.services import applications as app_services
from vouchers.services import claims as claim_services
from vouchers.services import programs as program_services
from vouchers.services import providers as provider_services

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_n = itertools.count(1)


def pdf(name="contract.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def program_values(jurisdiction, **extra) -> dict:
    today = timezone.localdate()
    return {
        "kind": "compute",
        "name": f"算力券计划{next(_n)}",
        "year": today.year,
        "jurisdiction": jurisdiction,
        "budget": Decimal("10000000.00"),
        "subsidy_ratio": Decimal("0.2000"),
        "startup_ratio": None,
        "startup_age_years": None,
        "annual_cap": Decimal("2000000.00"),
        "contract_cap": Decimal("1000000.00"),
        "opens_on": today - datetime.timedelta(days=30),
        "closes_on": today + datetime.timedelta(days=60),
        "validity_length": 6,
        "validity_unit": "month",
        "settlement_working_days": 10,
        "redemption_mode": "discount",
        "conditions": {"all": [{"field": "revenue", "op": "gte", "value": 1_000_000}]},
        **extra,
    }


def provider_user(organisation=None, **kwargs) -> User:
    organisation = organisation or Organisation.objects.create(
        name=f"算力服务有限公司{next(_n)}", kind=OrganisationKind.PROVIDER,
        uscc="",
    )  # fmt: skip
    return UserFactory(role=Role.PROVIDER, organisation=organisation, **kwargs)


def make_provider(actor=None, *, kinds=("compute", "data", "algorithm"), hub="ningxia"):
    actor = actor or provider_user()
    provider = provider_services.register_provider(
        actor.organisation, actor=actor, service_kinds=list(kinds), hub_node=hub
    )
    return provider, actor


@dataclass
class World:
    staff: User
    program: VoucherProgram
    provider: Provider
    provider_user: User
    product: object
    enterprise: object
    member: User


def world(region_code="110000", *, enterprise_region="110000", **program_extra) -> World:
    """A published programme of `region_code` with one approved provider and one eligible
    enterprise (revenue 20 million, a 2025 report) and its member."""
    staff = BureauUserFactory(region=region(region_code))
    program = program_services.create_program(
        actor=staff, **program_values(region(region_code), **program_extra)
    )
    program = program_services.publish_program(program, actor=staff)
    provider, puser = make_provider()
    product = provider_services.add_product(
        provider, actor=puser, kind=program.kind, name="A100 卡时", unit="卡时",
        unit_price=Decimal("10.00"),
    )  # fmt: skip
    membership = provider_services.join_program(program, provider, actor=puser)
    provider_services.approve_membership(membership, actor=staff)
    enterprise = registry_enterprise(enterprise_region)
    return World(staff, program, provider, puser, product, enterprise, enterprise_user(enterprise))


def apply(w: World, *, amount="1000000", sought=None, number=None, program=None, **extra):
    today = timezone.localdate()
    values = {
        "enterprise": w.enterprise,
        "provider": w.provider,
        "contract_number": number or f"HT-{next(_n)}",
        "contract_signed_on": today,
        "contract_starts_on": today,
        "contract_ends_on": today + datetime.timedelta(days=180),
        "contract_amount": Decimal(amount),
        "amount_sought": Decimal(sought or amount),
        "items": [{"product": w.product, "quantity": 1000}],
        "contract_file": pdf(),
        **extra,
    }
    return app_services.apply_for_voucher(program or w.program, actor=w.member, **values)


def issue(w: World, **kwargs):
    application = apply(w, **kwargs)
    return app_services.approve_application(application, actor=w.staff)


def file_claim(w: World, voucher, amount, key=None, invoice=None):
    key = key or f"key-{next(_n)}"
    return claim_services.file_claim(
        voucher,
        actor=w.provider_user,
        idempotency_key=key,
        invoice_number=invoice or f"INV-{key}",
        amount=Decimal(amount),
        usage_quantity=Decimal("100"),
        usage_unit="卡时",
        proof=pdf("proof.pdf"),
    )
