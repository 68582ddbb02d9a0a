"""The scenario pages per role: the flow publisher → staff → enterprise → publisher, the
refusals (404 outside visible_to, 403 for a role with no part), the public search and the
query budgets of the lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scenarios.models import Response, Scenario, ScenarioStatus
from scenarios.services import scenarios as scenario_services
from tests.factories import BureauUserFactory, enterprise_user, region, registry_enterprise
from tests.scenarios.factories import (
    approved_publisher,
    make_response,
    make_scenario,
    publisher_user,
    scenario_values,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    publisher, user, staff = approved_publisher()
    enterprise = registry_enterprise("330100", name="甲数科")
    return {"publisher": publisher, "user": user, "staff": staff, "enterprise": enterprise,
            "member": enterprise_user(enterprise)}  # fmt: skip


def _post_scenario(client, scenario_list):
    values = scenario_values(title="港口数据赋能场景")
    data = {k: v for k, v in values.items() if k not in ("region", "benefits")}
    data.update(region=values["region"].pk, benefits=["test_bed"], conditions_json="")
    data["deadline"] = values["deadline"].isoformat()
    return client.post(reverse("scenarios:scenario-create", args=[scenario_list.pk]), data)


def test_publisher_creates_a_list_and_a_scenario_staff_publish_enterprise_responds(client, w):
    client.force_login(w["user"])
    response = client.post(reverse("scenarios:list-create"),
                           {"title": "2026年第一批应用场景清单", "version": 1,
                            "issued_on": "2026-03-01"})  # fmt: skip
    scenario_list = w["publisher"].lists.get()
    assert response.status_code == 302
    response = _post_scenario(client, scenario_list)
    scenario = Scenario.objects.get(title="港口数据赋能场景")
    assert response.status_code == 302 and scenario.status == "draft"
    assert scenario.benefits == ["test_bed"]
    client.post(reverse("scenarios:scenario-act", args=[scenario.pk, "submit"]))
    client.force_login(w["staff"])
    queue = client.get(reverse("scenarios:review"))
    assert "港口数据赋能场景" in queue.content.decode()
    client.post(reverse("scenarios:scenario-act", args=[scenario.pk, "publish"]))
    assert Scenario.objects.get(pk=scenario.pk).status == "published"
    client.force_login(w["member"])
    page = client.get(reverse("scenarios:scenario-detail", args=[scenario.pk]))
    assert "揭榜响应" in page.content.decode()
    posted = client.post(reverse("scenarios:respond", args=[scenario.pk]), {
        "summary": "方案", "approach": "路线", "price": "100000", "timeline": "3 个月",
        "references": "",
    })  # fmt: skip
    made = Response.objects.get(scenario=scenario)
    assert posted.status_code == 302 and made.enterprise == w["enterprise"]
    mine = client.get(reverse("scenarios:response-list"))
    assert "港口数据赋能场景" in mine.content.decode()


def test_staff_return_a_scenario_with_the_reason_shown_to_the_publisher(client, w):
    scenario = make_scenario(w["publisher"], w["user"], w["staff"], status="submitted")
    client.force_login(w["staff"])
    client.post(reverse("scenarios:scenario-act", args=[scenario.pk, "return"]),
                {"reason": "请补充预算依据"})  # fmt: skip
    client.force_login(w["user"])
    page = client.get(reverse("scenarios:scenario-detail", args=[scenario.pk]))
    assert "请补充预算依据" in page.content.decode()


def test_a_draft_is_hidden_from_everyone_but_its_publisher_and_jurisdiction_staff(client, w):
    draft = make_scenario(w["publisher"], w["user"], w["staff"], status="draft")
    address = reverse("scenarios:scenario-detail", args=[draft.pk])
    for outsider in (w["member"], publisher_user(), BureauUserFactory(region=region("330200"))):
        client.force_login(outsider)
        assert client.get(address).status_code == 404
    client.logout()
    assert client.get(address).status_code == 404
    client.force_login(w["user"])
    assert client.get(address).status_code == 200


def test_a_response_page_is_404_for_another_enterprise_and_another_publisher(client, w):
    scenario = make_scenario(w["publisher"], w["user"], w["staff"])
    made = make_response(scenario, w["member"], w["enterprise"])
    address = reverse("scenarios:response-detail", args=[made.pk])
    other = registry_enterprise("330100")
    for outsider in (enterprise_user(other), approved_publisher(code="330200")[1]):
        client.force_login(outsider)
        assert client.get(address).status_code == 404
    for party in (w["member"], w["user"], w["staff"]):
        client.force_login(party)
        assert client.get(address).status_code == 200


def test_the_enterprise_edits_its_response_on_the_same_page_until_the_deadline(client, w):
    scenario = make_scenario(w["publisher"], w["user"], w["staff"])
    made = make_response(scenario, w["member"], w["enterprise"])
    client.force_login(w["member"])
    client.post(reverse("scenarios:respond", args=[scenario.pk]), {
        "summary": "新摘要", "approach": "路线", "price": "90000", "timeline": "3 个月",
    })  # fmt: skip
    assert Response.objects.get(pk=made.pk).summary == "新摘要"
    assert Response.objects.count() == 1
    scenario_services.close_scenario(scenario, actor=w["user"])
    page = client.post(reverse("scenarios:respond", args=[scenario.pk]), {
        "summary": "截止后", "approach": "路线", "price": "1", "timeline": "1 天",
    })  # fmt: skip
    assert "已截止" in page.content.decode()
    assert Response.objects.get(pk=made.pk).summary == "新摘要"


def test_the_publisher_awards_on_the_award_page(client, w):
    scenario = make_scenario(w["publisher"], w["user"], w["staff"])
    made = make_response(scenario, w["member"], w["enterprise"])
    scenario_services.close_scenario(scenario, actor=w["user"])
    client.force_login(w["user"])
    prefix = f"r{made.pk}"
    response = client.post(reverse("scenarios:award", args=[scenario.pk]), {
        f"{prefix}-chosen": "on", f"{prefix}-form": "pilot", f"{prefix}-amount": "500000",
        f"{prefix}-starts_on": "2026-12-01", f"{prefix}-ends_on": "2027-06-30",
        f"{prefix}-product_name": "",
    })  # fmt: skip
    assert response.status_code == 302
    assert Scenario.objects.get(pk=scenario.pk).status == ScenarioStatus.AWARDED
    assert Response.objects.get(pk=made.pk).award.form == "pilot"


def test_public_list_needs_no_login_and_searches_chinese_words(client, w):
    make_scenario(w["publisher"], w["user"], w["staff"], title="人工智能质检场景")
    make_scenario(w["publisher"], w["user"], w["staff"], title="港口物流调度",
                  description="集装箱堆场的调度优化。")  # fmt: skip
    page = client.get(reverse("scenarios:public-list"), {"q": "智能"}).content.decode()
    assert "人工智能质检场景" in page and "港口物流调度" not in page
    page = client.get(reverse("scenarios:public-list"), {"kind": "data_enablement"})
    assert "人工智能质检场景" not in page.content.decode()


def test_a_role_with_no_part_is_refused(client, w):
    client.force_login(w["member"])
    assert client.get(reverse("scenarios:publisher-home")).status_code == 403
    assert client.get(reverse("scenarios:review")).status_code == 403
    client.force_login(w["user"])
    assert client.get(reverse("scenarios:respond", args=[
        make_scenario(w["publisher"], w["user"], w["staff"]).pk
    ])).status_code == 403  # fmt: skip


def test_an_unapproved_publisher_sees_the_application_form_and_applies(client):
    user = publisher_user()
    client.force_login(user)
    assert "申请成为场景发布方" in client.get(reverse("scenarios:publisher-home")).content.decode()
    client.post(reverse("scenarios:publisher-home"),
                {"kind": "soe", "jurisdiction": region("330100").pk})  # fmt: skip
    assert user.organisation.publisher.status == "applied"


def _count(client, user, name, *args, params=None):
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse(name, args=args), params or {}).status_code == 200
    return len(ctx)


def test_list_query_counts_do_not_grow_with_rows(client, w):
    scenario = make_scenario(w["publisher"], w["user"], w["staff"])
    make_response(scenario, w["member"], w["enterprise"])
    make_scenario(w["publisher"], w["user"], w["staff"], status="submitted")
    pages = [
        (None, "scenarios:public-list", (), None),
        (None, "scenarios:public-list", (), {"q": "人工智能"}),
        (w["user"], "scenarios:publisher-home", (), None),
        (w["user"], "scenarios:response-list", (), None),
        (w["member"], "scenarios:response-list", (), None),
        (w["staff"], "scenarios:review", (), None),
        (w["staff"], "scenarios:list-detail", (scenario.scenario_list_id,), None),
        (w["user"], "scenarios:catalogue", (), None),
    ]
    one = [_count(client, u, n, *a, params=p) for u, n, a, p in pages]
    for _ in range(12):
        more = make_scenario(w["publisher"], w["user"], w["staff"],
                             scenario_list=scenario.scenario_list)  # fmt: skip
        other = registry_enterprise("330100")
        make_response(more, enterprise_user(other), other)
        make_scenario(w["publisher"], w["user"], w["staff"], status="submitted")
    many = [_count(client, u, n, *a, params=p) for u, n, a, p in pages]
    assert many == one
