"""Factories with no surprises: every default is plain and valid."""

import datetime
import itertools
from decimal import Decimal

import factory

from accounts.models import Organisation, OrganisationKind, Region, Role, User
from policies.models import Policy, PolicyKind, PolicyMode
from registry.choices import EnterpriseSize, Industry, InnovationCategory, MembershipStatus
from registry.models import AnnualReport, Enterprise, Membership, RegistryEntry
from registry.uscc import make_uscc

PASSWORD = "Shuchuang#2026"
_serial = itertools.count(10_000_000)


def region(code: str) -> Region:
    """A GB/T 2260 region loaded by the migration, e.g. region("110000")."""
    return Region.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.cn")
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.ENTERPRISE
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class BureauUserFactory(UserFactory):
    role = Role.BUREAU
    region = factory.LazyFunction(lambda: region("110000"))


class AdminUserFactory(UserFactory):
    role = Role.ADMIN
    is_staff = True


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"机构{n}")
    kind = OrganisationKind.BANK


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试数字科技有限公司{n}")
    region = factory.LazyFunction(lambda: region("110000"))
    uscc = factory.LazyAttribute(lambda o: make_uscc(o.region.code, next(_serial)))
    industry = Industry.DIGITAL_TECH_APPLICATION
    category = InnovationCategory.TECH
    founded_on = datetime.date(2020, 5, 1)
    size = EnterpriseSize.SMALL
    contact_name = "张敏"
    contact_phone = "01062345678"
    # Like every enterprise registered before verification existed (the data migration):
    # tests of the unverified path ask for it.
    verification_status = "verified"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    status = MembershipStatus.ACTIVE
    # The first active member administers the enterprise, as after a registration.
    is_admin = factory.LazyAttribute(
        lambda o: (
            o.status == MembershipStatus.ACTIVE
            and not Membership.objects.active().filter(enterprise=o.enterprise).exists()
        )
    )


class RegistryEntryFactory(factory.django.DjangoModelFactory):
    """An enterprise in the registry (admitted directly, with no tier-history row)."""

    class Meta:
        model = RegistryEntry

    enterprise = factory.SubFactory(EnterpriseFactory)
    tier = "potential"
    category = factory.LazyAttribute(lambda o: o.enterprise.category)
    admitted_on = datetime.date(2024, 6, 1)


class AnnualReportFactory(factory.django.DjangoModelFactory):
    """A submitted report with plausible figures (R&D intensity 10%)."""

    class Meta:
        model = AnnualReport

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2025
    status = "submitted"
    submitted_at = factory.LazyFunction(lambda: datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC))
    revenue = Decimal("20000000")
    main_business_revenue = factory.LazyAttribute(lambda o: o.revenue)
    net_profit = Decimal("1000000")
    rd_expense = factory.LazyAttribute(lambda o: o.revenue / 10)
    employees = 100
    rd_staff = 40
    invention_patents = 5
    software_copyrights = 10


def enterprise_user(enterprise=None, **kwargs) -> User:
    """A user who is an active member of `enterprise` (a new one if None)."""
    membership = MembershipFactory(
        enterprise=enterprise or EnterpriseFactory(), user=UserFactory(**kwargs)
    )
    return membership.user


def resource_values(**extra) -> dict:
    """A complete, valid set of data-resource values (an important-level resource)."""
    return {
        "name": "城市交通出行轨迹数据集",
        "description": "全市网约车与公交出行的脱敏轨迹，按 15 分钟汇总。",
        "domain": "transport",
        "sources": ["self_collected", "public_authorised"],
        "volume": Decimal("1250.50"),
        "volume_unit": "gb",
        "update_cycle": "daily",
        "usage_rights": ["holding", "processing"],
        "security_level": "important",
        "security_measures": "分类分级管控，访问控制与加密存储，操作日志留存 6 个月。",
        **extra,
    }


class DataResourceFactory(factory.django.DjangoModelFactory):
    """A data resource just applied for, by a member of its enterprise."""

    class Meta:
        model = "resources.DataResource"

    enterprise = factory.SubFactory(EnterpriseFactory)
    applied_by = factory.LazyAttribute(lambda o: enterprise_user(o.enterprise))
    name = factory.Sequence(lambda n: f"工业设备运行监测数据{n}")
    description = "生产线传感器采集的设备运行参数。"
    domain = "industry"
    sources = factory.LazyFunction(lambda: ["self_collected"])
    volume = Decimal("320.00")
    volume_unit = "tb"
    update_cycle = "realtime"
    usage_rights = factory.LazyFunction(lambda: ["holding"])
    security_level = "general"
    security_measures = ""
    status = "applied"
    # Coded (or cancelled) rows carry a code from an earlier year, so that the services'
    # own sequence for this year starts at 1.
    code = factory.LazyAttributeSequence(
        lambda o, n: (
            f"SJZY-{o.enterprise.region.code}-2020-{n:06d}"
            if o.status in ("coded", "cancelled")
            else None
        )
    )
    coded_at = factory.LazyAttribute(
        lambda o: datetime.datetime(2020, 6, 1, tzinfo=datetime.UTC) if o.code else None
    )


class PolicyFactory(factory.django.DjangoModelFactory):
    """A draft 浙江省 policy for enterprises with revenue ≥ 10 million yuan."""

    class Meta:
        model = Policy

    title = factory.Sequence(lambda n: f"数据要素企业研发费用奖补{n}")
    department = "浙江省数据局"
    kind = PolicyKind.SUBSIDY
    benefit_amount = Decimal("500000.00")
    benefit = "按研发费用的 10% 给予奖补，最高 50 万元。"
    jurisdiction = factory.LazyFunction(lambda: region("330000"))
    valid_from = datetime.date(2026, 1, 1)
    valid_until = datetime.date(2027, 12, 31)
    mode = PolicyMode.AUTO
    beneficiary = "入库数创企业"
    contact = "浙江省数据局 0571-87050000"
    conditions = factory.LazyFunction(
        lambda: {"all": [{"field": "revenue", "op": "gte", "value": 10_000_000}]}
    )
    created_by = factory.SubFactory(
        BureauUserFactory, region=factory.LazyFunction(lambda: region("330000"))
    )


def registry_enterprise(
    region_code="330100", *, revenue=Decimal("20000000"), tier="potential", **kwargs
) -> Enterprise:
    """An enterprise in the registry with one submitted 2025 report."""
    enterprise = EnterpriseFactory(region=region(region_code), **kwargs)
    RegistryEntryFactory(enterprise=enterprise, tier=tier)
    AnnualReportFactory(enterprise=enterprise, revenue=revenue)
    return enterprise
