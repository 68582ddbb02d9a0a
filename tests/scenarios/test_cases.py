"""Typical cases (典型案例): only a succeeded award qualifies; staff of the jurisdiction
publish and unpublish (audited, with a reason); public page and API; and the attachments
of scenarios and responses served only to those who see them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEvent
from config.errors import DomainError
from registry.selectors import enterprise_timeline
from scenarios.models import TypicalCase
from scenarios.services import awards as award_services
from scenarios.services import cases as case_services
from scenarios.services import scenarios as scenario_services
from tests.factories import BureauUserFactory, enterprise_user, registry_enterprise
from tests.scenarios.factories import (
    approved_publisher,
    award,
    city_staff,
    make_response,
    make_scenario,
)
from tests.vouchers.factories import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    publisher, user, staff = approved_publisher()
    enterprise = registry_enterprise("330100", name="甲智能")
    member = enterprise_user(enterprise)
    scenario = make_scenario(publisher, user, staff)
    response = make_response(scenario, member, enterprise,
                             attachment=SimpleUploadedFile("实施方案.pdf", PDF))  # fmt: skip
    scenario_services.close_scenario(scenario, actor=user)
    made = award(scenario, user, response)
    return {"user": user, "staff": staff, "member": member, "enterprise": enterprise,
            "scenario": scenario, "response": response, "award": made}  # fmt: skip


def _publish(w):
    return case_services.publish_case(w["award"], actor=w["staff"], title="城市事件分拨案例",
                                      summary="三个月上线，分拨时间缩短一半。")  # fmt: skip


def test_only_a_succeeded_award_becomes_a_case(w):
    with pytest.raises(DomainError, match="只有实施成功的揭榜项目"):
        _publish(w)
    assert not TypicalCase.objects.exists()


def test_staff_publish_then_unpublish_with_reason_audited_on_the_timeline(w):
    award_services.report_outcome(w["award"], actor=w["user"], outcome="succeeded")
    with pytest.raises(DomainError):  # publisher may not, nor staff of another city
        case_services.publish_case(w["award"], actor=w["user"], title="x", summary="y")
    with pytest.raises(DomainError):
        case_services.publish_case(w["award"], actor=city_staff("330200"), title="x",
                                   summary="y")  # fmt: skip
    case = _publish(w)
    assert (case.status, case.enterprise) == ("published", w["enterprise"])
    # A published case holds its award's outcome: moving it away is refused.
    with pytest.raises(DomainError, match="已列为典型案例"):
        award_services.report_outcome(w["award"], actor=w["user"], outcome="failed")
    with pytest.raises(DomainError, match="请填写撤下的理由"):
        case_services.unpublish_case(case, actor=w["staff"], reason=" ")
    case = case_services.unpublish_case(case, actor=w["staff"], reason="数据有误，待核实")
    assert (case.status, case.reason) == ("unpublished", "数据有误，待核实")
    actions = list(
        enterprise_timeline(w["enterprise"])
        .filter(action__startswith="typical_case")
        .values_list("action", "message")
        .order_by("id")
    )
    assert actions == [("typical_case.published", ""),
                       ("typical_case.unpublished", "数据有误，待核实")]  # fmt: skip
    # Award and first purchase are on the timeline too.
    assert {"scenario_award.created", "scenario_first_purchase.created"} <= set(
        AuditEvent.objects.filter(enterprise=w["enterprise"]).values_list("action", flat=True)
    )


def test_public_page_and_api_list_only_published_cases(client, w):
    award_services.report_outcome(w["award"], actor=w["user"], outcome="succeeded")
    case = _publish(w)
    assert "城市事件分拨案例" in client.get(reverse("scenarios:case-list")).content.decode()
    detail = client.get(reverse("scenarios:case-detail", args=[case.pk]))
    assert "三个月上线" in detail.content.decode()
    api = APIClient()
    assert [c["title"] for c in api.get("/api/v1/typical-cases/").json()["results"]] == [
        "城市事件分拨案例"
    ]
    case_services.unpublish_case(case, actor=w["staff"], reason="待核实")
    assert client.get(reverse("scenarios:case-detail", args=[case.pk])).status_code == 404
    assert api.get("/api/v1/typical-cases/").json()["results"] == []
    client.force_login(w["staff"])
    assert client.get(reverse("scenarios:case-detail", args=[case.pk])).status_code == 200


def test_staff_mark_a_case_from_the_response_page(client, w):
    award_services.report_outcome(w["award"], actor=w["user"], outcome="succeeded")
    client.force_login(w["staff"])
    url = reverse("scenarios:case-mark", args=[w["response"].pk])
    assert (
        url
        in client.get(
            reverse("scenarios:response-detail", args=[w["response"].pk])
        ).content.decode()
    )
    reply = client.post(url, {"title": "典型案例甲", "summary": "可复制可推广。"})
    case = TypicalCase.objects.get()
    assert reply.url == reverse("scenarios:case-detail", args=[case.pk])


def test_response_attachment_served_to_its_parties_only(client, w):
    url = reverse("scenarios:response-attachment", args=[w["response"].pk])
    for user in (w["member"], w["user"], w["staff"]):
        client.force_login(user)
        reply = client.get(url)
        assert reply.status_code == 200
        assert reply["Content-Disposition"].startswith("attachment;")
        assert (
            "filename*=utf-8''%E5%AE%9E%E6%96%BD%E6%96%B9%E6%A1%88" in reply["Content-Disposition"]
        )
        assert b"".join(reply.streaming_content) == PDF
    for outsider in (enterprise_user(registry_enterprise("330100")), BureauUserFactory(),
                     approved_publisher(code="330200")[1]):  # fmt: skip
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_scenario_attachment_public_once_published_404_without_file(client, w):
    scenario = w["scenario"]
    url = reverse("scenarios:scenario-attachment", args=[scenario.pk])
    assert client.get(url).status_code == 404  # no file
    publisher, user, staff = approved_publisher()
    draft = make_scenario(publisher, user, staff, status="draft",
                          attachment=SimpleUploadedFile("需求说明.pdf", PDF))  # fmt: skip
    draft_url = reverse("scenarios:scenario-attachment", args=[draft.pk])
    assert client.get(draft_url).status_code == 404  # a draft is not public
    client.force_login(user)
    assert client.get(draft_url).status_code == 200


def test_case_list_query_count_does_not_grow(client, w):
    from tests.query_budget import queries_of_get

    award_services.report_outcome(w["award"], actor=w["user"], outcome="succeeded")
    _publish(w)
    one = queries_of_get(client, reverse("scenarios:case-list"))
    publisher, user, staff = approved_publisher()
    for n in range(3):
        scenario = make_scenario(publisher, user, staff)
        member = enterprise_user(registry_enterprise("330100"))
        response = make_response(scenario, member, member.memberships.get().enterprise)
        scenario_services.close_scenario(scenario, actor=user)
        made = award(scenario, user, response, product_name=f"产品{n}")
        award_services.report_outcome(made, actor=user, outcome="succeeded")
        case_services.publish_case(made, actor=staff, title=f"案例{n}", summary="摘要")
    assert TypicalCase.objects.count() == 4
    assert queries_of_get(client, reverse("scenarios:case-list")) == one
