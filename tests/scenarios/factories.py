"""The scenario world's building blocks: publisher users and approved publishers, lists,
scenarios in any state, responses. Every default plain and valid."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, Role, User
from scenarios.models import ScenarioStatus
from scenarios.services import awards as award_services
from scenarios.services import publishers as publisher_services
from scenarios.services import responses as response_services
from scenarios.services import scenarios as scenario_services
from tests.factories import BureauUserFactory, UserFactory, region

_n = itertools.count(1)


def publisher_user(organisation=None, **kwargs) -> User:
    organisation = organisation or Organisation.objects.create(
        name=f"场景发布单位{next(_n)}", kind=OrganisationKind.PUBLISHER
    )
    return UserFactory(role=Role.PUBLISHER, organisation=organisation, **kwargs)


def city_staff(code="330100") -> User:
    return BureauUserFactory(region=region(code))


def approved_publisher(user=None, *, code="330100", staff=None, kind="soe"):
    """(publisher, its user, the staff who approved it)."""
    user = user or publisher_user()
    staff = staff or city_staff(code)
    publisher = publisher_services.apply_publisher(actor=user, kind=kind, jurisdiction=region(code))
    publisher = publisher_services.approve_publisher(publisher, actor=staff)
    return publisher, user, staff


def scenario_values(**extra) -> dict:
    return {
        "title": f"城市大脑人工智能决策场景{next(_n)}",
        "description": "面向城市治理的人工智能辅助决策，开放交通与政务数据。",
        "kind": "tech_application",
        "nature": "scenario",
        "demand_side": "government",
        "industry": "03",
        "region": region("330100"),
        "budget_min": Decimal("500000.00"),
        "budget_max": Decimal("2000000.00"),
        "deadline": timezone.localdate() + datetime.timedelta(days=30),
        "requirements": "具备城市级数据治理经验。",
        "benefits": ["test_bed", "first_order"],
        "co_building": "杭州、宁波两地共建，成本共担、收益共享。",
        "contact_name": "王工",
        "contact_phone": "0571-87654321",
        **extra,
    }


def make_scenario(publisher, user, staff, *, status=ScenarioStatus.PUBLISHED, scenario_list=None,
                  **values):  # fmt: skip
    """A scenario brought to `status` by its services (draft, submitted, published, closed)."""
    scenario_list = scenario_list or scenario_services.create_list(
        actor=user, publisher=publisher, title=f"2026年第{next(_n)}批应用场景清单"
    )
    scenario = scenario_services.create_scenario(
        actor=user, scenario_list=scenario_list, **scenario_values(**values)
    )
    if status == ScenarioStatus.DRAFT:
        return scenario
    scenario = scenario_services.submit_scenario(scenario, actor=user)
    if status == ScenarioStatus.SUBMITTED:
        return scenario
    scenario = scenario_services.publish_scenario(scenario, actor=staff)
    if status == ScenarioStatus.PUBLISHED:
        return scenario
    if status == ScenarioStatus.CLOSED:
        return scenario_services.close_scenario(scenario, actor=user)
    raise ValueError(status)


def response_values(**extra) -> dict:
    return {
        "summary": "基于大模型的城市事件分拨与决策辅助。",
        "approach": "数据治理、模型训练、试点上线三步实施。",
        "price": Decimal("1200000.00"),
        "timeline": "6 个月",
        "references": "余杭区事件中心",
        **extra,
    }


def make_response(scenario, member, enterprise, **values):
    return response_services.respond(
        scenario, actor=member, enterprise=enterprise, **response_values(**values)
    )


def award_values(response, **extra) -> dict:
    today = timezone.localdate()
    return {
        "response": response,
        "form": "purchase",
        "amount": Decimal("1000000.00"),
        "starts_on": today,
        "ends_on": today + datetime.timedelta(days=180),
        "product_name": "城市事件智能分拨系统",
        "new_product": True,
        **extra,
    }


def award(scenario, user, response, **extra):
    return award_services.award_responses(
        scenario, actor=user, awards=[award_values(response, **extra)]
    )[0]
