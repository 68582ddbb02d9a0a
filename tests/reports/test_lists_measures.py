"""The scenario and finance lists export what each reader's page shows, row for row: staff
their jurisdiction's, a publisher its own, an institution only what is shared with it;
a role the apps do not serve is refused."""

import pytest
from django.urls import reverse

from finance.services.needs import name_institutions, publish_need
from scenarios.models import FirstPurchase, ScenarioStatus
from scenarios.services import scenarios as scenario_services
from tests.factories import UserFactory, enterprise_user, registry_enterprise
from tests.finance.factories import loan, need, offer, world
from tests.reports.test_lists_vouchers_registry import csv_rows, export
from tests.scenarios.factories import approved_publisher, award, make_response, make_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario_cities():
    """A publisher of 杭州市 with a submitted and a published scenario (answered, then
    awarded); one of 宁波市 with a submitted scenario."""
    hz, hz_user, hz_staff = approved_publisher(code="330100")
    nb, nb_user, nb_staff = approved_publisher(code="330200")
    submitted = make_scenario(hz, hz_user, hz_staff, status=ScenarioStatus.SUBMITTED,
                              title="杭州待审场景")  # fmt: skip
    done = make_scenario(hz, hz_user, hz_staff, title="杭州已发布场景")
    enterprise = registry_enterprise("330100")
    member = enterprise_user(enterprise)
    response = make_response(done, member, enterprise)
    scenario_services.close_scenario(done, actor=hz_user)
    award(done, hz_user, response)
    make_scenario(nb, nb_user, nb_staff, status=ScenarioStatus.SUBMITTED, title="宁波待审场景")
    return {"hz_user": hz_user, "hz_staff": hz_staff, "nb_user": nb_user, "nb_staff": nb_staff,
            "submitted": submitted, "member": member}  # fmt: skip


def test_scenarios_by_jurisdiction_and_publisher(client, scenario_cities):
    w = scenario_cities
    titles = {}
    for who in ("hz_staff", "nb_staff", "hz_user", "nb_user"):
        client.force_login(w[who])
        titles[who] = {r[0] for r in csv_rows(export(client, "scenarios", columns=["title"]))}

    assert titles["hz_staff"] == titles["hz_user"] == {"杭州待审场景", "杭州已发布场景"}
    # Another city sees this city's published scenario (it is public) and nothing else.
    assert titles["nb_staff"] == titles["nb_user"] == {"杭州已发布场景", "宁波待审场景"}


def test_scenarios_export_follows_the_filter(client, scenario_cities):
    client.force_login(scenario_cities["hz_staff"])

    rows = csv_rows(export(client, "scenarios", "status=submitted", columns=["title", "status"]))

    assert rows == [["杭州待审场景", "待审核"]]


def test_responses_equal_the_page_and_awards_follow(client, scenario_cities):
    w = scenario_cities
    for who, expected in (("hz_user", 1), ("member", 1), ("nb_user", 0), ("nb_staff", 0)):
        client.force_login(w[who])
        shown = client.get(reverse("scenarios:response-list")).context["page"].object_list
        rows = csv_rows(export(client, "scenario-responses", columns=["scenario.title"]))
        awards = csv_rows(export(client, "scenario-awards", columns=["response.scenario.title"]))
        assert [r[0] for r in rows] == [r.scenario.title for r in shown], who
        assert len(rows) == len(awards) == expected, who


def test_first_purchases_are_staffs_of_the_buyer(client, scenario_cities):
    w = scenario_cities
    assert FirstPurchase.objects.count() == 1
    counts = {}
    for who in ("hz_staff", "nb_staff"):
        client.force_login(w[who])
        counts[who] = len(csv_rows(export(client, "first-purchases", columns=["product_name"])))
    assert counts == {"hz_staff": 1, "nb_staff": 0}


@pytest.mark.parametrize(
    "name", ["scenarios", "scenario-responses", "scenario-awards", "first-purchases",
             "financing-needs", "financing-offers", "financial-products", "credit-scores"],
)  # fmt: skip
def test_a_role_outside_the_flow_is_refused(client, name):
    client.force_login(UserFactory(role="panelist"))

    assert export(client, name).status_code == 403


@pytest.fixture
def finance_cities():
    """A need of 杭州市 open to all institutions, one of 宁波市 named for another bank, each
    with an offer; a loan product."""
    hz = world("330100")
    nb = world("330200")
    hz_need = need(hz, title="杭州扩产资金")
    nb_need = need(nb, publish=False, title="宁波研发资金", audience="named")
    name_institutions(nb_need, actor=nb.member, institutions=[nb.bank])
    nb_need = publish_need(nb_need, actor=nb.member)
    offer(hz, hz_need)
    offer(nb, nb_need)
    loan(hz)
    return hz, nb


def test_needs_by_jurisdiction_and_sharing(client, finance_cities):
    hz, nb = finance_cities
    seen = {}
    for who, user in (("hz_staff", hz.staff), ("nb_staff", nb.staff), ("hz_bank", hz.banker),
                      ("nb_bank", nb.banker), ("hz_member", hz.member)):  # fmt: skip
        client.force_login(user)
        seen[who] = {r[0] for r in csv_rows(export(client, "financing-needs", columns=["title"]))}
    assert seen["hz_staff"] == seen["hz_member"] == {"杭州扩产资金"}
    assert seen["nb_staff"] == {"宁波研发资金"}
    # 杭州's bank sees the need open to all, not 宁波's one named for another bank.
    assert seen["hz_bank"] == {"杭州扩产资金"}
    assert seen["nb_bank"] == {"杭州扩产资金", "宁波研发资金"}


def test_offers_are_the_institutions_own(client, finance_cities):
    hz, nb = finance_cities
    client.force_login(hz.banker)
    rows = csv_rows(export(client, "financing-offers", columns=["need.title"]))
    client.force_login(nb.staff)
    staff_rows = csv_rows(export(client, "financing-offers", columns=["need.title"]))

    assert rows == [["杭州扩产资金"]]
    assert staff_rows == [["宁波研发资金"]]


@pytest.mark.parametrize(
    "name,page,query,column",
    [("financing-needs", "finance:need-list", "status=draft", "title"),
     ("financial-products", "finance:product-list", "kind=data_pledge", "name")],
)  # fmt: skip
def test_finance_export_equals_the_filtered_page(client, finance_cities, name, page, query,
                                                 column):  # fmt: skip
    hz, _nb = finance_cities
    need(hz, publish=False, title="杭州草稿需求")
    loan(hz, kind="ip_pledge")
    client.force_login(UserFactory(role="admin"))

    shown = client.get(reverse(page) + "?" + query).context["page"].object_list
    rows = csv_rows(export(client, name, query, columns=[column]))

    assert [r[0] for r in rows] == [getattr(obj, column) for obj in shown]
    assert len(rows) >= 1
