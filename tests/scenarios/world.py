"""The scenario objects of the permission world (tests/permission_world.py): the
"publisher" role's organisation approved by 杭州市's staff, its list with a published
scenario that enterprise A answered, an awarded scenario whose purchase of A's new product
waits in the first-purchase queue, and another organisation's pending application."""

from scenarios.models import FirstPurchase
from scenarios.services import publishers as publisher_services
from scenarios.services import scenarios as scenario_services
from tests.factories import region
from tests.scenarios.factories import (
    approved_publisher,
    award,
    make_response,
    make_scenario,
    publisher_user,
)


def scenario_world(*, city, member_a, enterprise_a) -> dict:
    """The objects keyed as tests/permission_matrix.PARAMS names them, and the publisher
    user under "publisher_user"."""
    publisher, user, _staff = approved_publisher(staff=city)
    scenario = make_scenario(publisher, user, city, title="城市大脑人工智能场景（测试）")
    response = make_response(scenario, member_a, enterprise_a)
    done = make_scenario(publisher, user, city, scenario_list=scenario.scenario_list)
    done_response = make_response(done, member_a, enterprise_a)
    scenario_services.close_scenario(done, actor=user)
    made = award(done, user, done_response)
    pending = publisher_services.apply_publisher(
        actor=publisher_user(), kind="platform", jurisdiction=region("330100")
    )
    return {
        "publisher_user": user,
        "scenario": scenario,
        "scenario_list": scenario.scenario_list,
        "scenario_response": response,
        "scenario_publisher": pending,
        "first_purchase": FirstPurchase.objects.get(award=made),
    }
