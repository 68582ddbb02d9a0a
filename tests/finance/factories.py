"""A financing world with no surprises: one approved bank, one enterprise with a member,
and helpers for each step of a need."""

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from accounts.models import Organisation, Role, User
from finance.models import FinancingNeed, Institution, InstitutionKind
from finance.services.institutions import add_product, approve_institution, register_institution
from finance.services.needs import create_need, publish_need
from finance.services.talks import accept_offer, make_offer
from registry.models import Enterprise
from tests.factories import (
    BureauUserFactory,
    UserFactory,
    enterprise_user,
    region,
    registry_enterprise,
)

_n = itertools.count(1)


def institution_user(kind=InstitutionKind.BANK, *, approved=True, region_code="330000"):
    """A new institution of `kind` with one user; approved by provincial staff if asked."""
    organisation = Organisation.objects.create(
        name=f"数创银行{next(_n)}", kind=kind, region=region(region_code)
    )
    user = UserFactory(role=Role.INSTITUTION, organisation=organisation)
    institution = register_institution(organisation, actor=user)
    if approved:
        staff = BureauUserFactory(region=region(region_code))
        institution = approve_institution(institution, actor=staff)
    return institution, user


def need_values(**extra) -> dict:
    return {
        "title": "研发扩产流动资金",
        "kind": "debt",
        "amount": Decimal("5000000.00"),
        "purpose": "扩建数据标注产线，采购服务器。",
        "term_months": 24,
        "needed_by": timezone.localdate() + datetime.timedelta(days=90),
        **extra,
    }


@dataclass
class World:
    enterprise: Enterprise
    member: User
    staff: User
    bank: Institution
    banker: User


def world(region_code="330100", **need_extra) -> World:
    enterprise = registry_enterprise(region_code)
    member = enterprise_user(enterprise)
    staff = BureauUserFactory(region=region(region_code))
    bank, banker = institution_user()
    return World(enterprise, member, staff, bank, banker)


def need(w: World, *, publish=True, **extra) -> FinancingNeed:
    n = create_need(w.enterprise, actor=w.member, **need_values(**extra))
    return publish_need(n, actor=w.member) if publish else n


def offer(w: World, n, *, amount="4000000", rate="3.85", **extra):
    return make_offer(
        n, actor=w.banker, institution=w.bank, amount=Decimal(amount),
        rate=Decimal(rate) if rate else None, term_months=24, **extra,
    )  # fmt: skip


def accepted(w: World, n=None):
    n = n or need(w)
    return accept_offer(offer(w, n), actor=w.member)


def loan(w: World, **extra):
    values = {
        "name": f"数据资产质押贷{next(_n)}",
        "kind": "data_pledge",
        "min_amount": Decimal("1000000"),
        "max_amount": Decimal("10000000"),
        "min_rate": Decimal("3.20"),
        "max_rate": Decimal("4.50"),
        "min_term_months": 12,
        "max_term_months": 36,
        **extra,
    }
    return add_product(w.bank, actor=w.banker, **values)
