"""The scenario objects of the permission world (tests/permission_world.py): the
"publisher" role's organisation approved by 杭州市's staff, its list with a published
scenario that enterprise A answered, an awarded scenario whose purchase of A's new product
waits in the first-purchase queue and succeeded as a published typical case, and another
organisation's pending application. The scenario and A's response carry attachments."""

from django.core.files.uploadedfile import SimpleUploadedFile

from scenarios.models import FirstPurchase
from scenarios.services import awards as award_services
from scenarios.services import cases as case_services
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
from tests.vouchers.factories import PDF


def scenario_world(*, city, member_a, enterprise_a) -> dict:
    """The objects keyed as tests/permission_matrix.PARAMS names them, and the publisher
    user under "publisher_user"."""
    publisher, user, _staff = approved_publisher(staff=city)
    scenario = make_scenario(publisher, user, city, title="城市大脑人工智能场景（测试）",
                             attachment=SimpleUploadedFile("场景说明.pdf", PDF))  # fmt: skip
    response = make_response(scenario, member_a, enterprise_a,
                             attachment=SimpleUploadedFile("方案.pdf", PDF))  # fmt: skip
    done = make_scenario(publisher, user, city, scenario_list=scenario.scenario_list)
    done_response = make_response(done, member_a, enterprise_a)
    scenario_services.close_scenario(done, actor=user)
    made = award(done, user, done_response)
    award_services.report_outcome(made, actor=user, outcome="succeeded", progress="已上线运行")
    case = case_services.publish_case(made, actor=city, title="城市事件智能分拨典型案例",
                                      summary="试点三个月，事件分拨时间缩短一半。")  # fmt: skip
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
        "scenario_done_response": done_response,
        "typical_case": case,
    }
