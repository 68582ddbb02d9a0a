"""Scenario, financing and policy-delivery figures on the dashboards: staff see their
jurisdiction's, a publisher its own, an institution what is shared with it; every figure
equals the count of the list it links to."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from policies.models import PolicyGrant
from reports.exports.services import export_queryset
from reports.exports.spec import spec_named
from scenarios.models import ScenarioStatus
from tests.factories import (
    BureauUserFactory,
    PolicyFactory,
    enterprise_user,
    region,
    registry_enterprise,
)
from tests.finance import factories as finance
from tests.scenarios.factories import approved_publisher, make_response, make_scenario

pytestmark = pytest.mark.django_db


def dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.context["cards"]["dashboard"], response.content.decode()


def listed(client, user, link) -> int:
    """How many rows the list behind a figure shows `user`."""
    path, _sep, query = link.partition("?")
    export_start = reverse("exports:start", args=["x"]).rsplit("x/", 1)[0]
    if path.startswith(export_start):
        return export_queryset(spec_named(path.rstrip("/").rsplit("/", 1)[1]), user, query).count()
    page = client.get(link)
    assert page.status_code == 200, link
    return page.context["page"].paginator.count


def assert_figures_match(client, user, charts):
    for chart in charts:
        for figure in chart.figures:
            assert listed(client, user, figure.link) == figure.value, (chart.key, figure.label)


@pytest.fixture
def measures():
    """杭州市: a publisher with a published scenario (answered) and a submitted one; a
    financing need with an offer. 宁波市: a submitted scenario and a need."""
    hz_pub, hz_user, hz_staff = approved_publisher(code="330100")
    nb_pub, nb_user, nb_staff = approved_publisher(code="330200")
    published = make_scenario(hz_pub, hz_user, hz_staff)
    make_scenario(hz_pub, hz_user, hz_staff, status=ScenarioStatus.SUBMITTED)
    make_scenario(nb_pub, nb_user, nb_staff, status=ScenarioStatus.SUBMITTED,
                  region=region("330200"))  # fmt: skip
    enterprise = registry_enterprise("330100")
    make_response(published, enterprise_user(enterprise), enterprise)
    hz = finance.world("330100")
    finance.offer(hz, finance.need(hz))
    nb = finance.world("330200")
    finance.need(nb)
    return {"hz_staff": hz_staff, "hz_user": hz_user, "nb_user": nb_user, "hz": hz}


def test_staff_see_their_citys_scenarios_and_needs(client, measures):
    staff = measures["hz_staff"]
    d, html = dashboard(client, staff)

    charts = {c.key: c for c in d["staff"]["charts"]}
    values = {k: {str(f.label): f.value for f in charts[k].figures}
              for k in ("scenarios", "responses", "needs")}  # fmt: skip
    assert (values["scenarios"]["已发布"], values["scenarios"]["待审核"]) == (1, 1)
    assert values["responses"]["已提交"] == 1
    assert sum(values["needs"].values()) == 1
    assert 'data-testid="chart-needs"' in html
    assert_figures_match(client, staff, [charts[k] for k in ("scenarios", "responses", "needs")])


def test_publisher_sees_its_own_figures(client, measures):
    d, html = dashboard(client, measures["nb_user"])

    charts = d["party"]["charts"]
    values = {c.key: {str(f.label): f.value for f in c.figures} for c in charts}
    assert values["scenarios"]["待审核"] == 1 and values["scenarios"]["已发布"] == 0
    assert sum(values["responses"].values()) == 0
    assert 'data-testid="party-dashboard"' in html
    assert_figures_match(client, measures["nb_user"], charts)


def test_institution_sees_what_is_shared_with_it(client, measures):
    banker = measures["hz"].banker
    d, _html = dashboard(client, banker)

    charts = {c.key: c for c in d["party"]["charts"]}
    offers = {str(f.label): f.value for f in charts["offers"].figures}
    assert sum(offers.values()) == 1  # its own offer; the other bank's none
    assert_figures_match(client, banker, charts.values())


def test_policy_delivery_on_time_late_and_overdue(client):
    staff = BureauUserFactory(region=region("330000"))
    policy = PolicyFactory()
    today = timezone.localdate()
    due = today - datetime.timedelta(days=3)
    # 00:30 in Shanghai on the deadline is still on time (16:30 UTC the day before).
    on_deadline = timezone.make_aware(datetime.datetime.combine(due, datetime.time(0, 30)))
    after = on_deadline + datetime.timedelta(days=1)
    for status, delivered_at, due_on in (("delivered", on_deadline, due),
                                         ("delivered", after, due),
                                         ("notified", None, due),
                                         ("notified", None, today)):  # fmt: skip
        PolicyGrant.objects.create(
            policy=policy, enterprise=registry_enterprise("330100"), status=status,
            notified_at=timezone.now(), due_on=due_on, delivered_at=delivered_at,
        )  # fmt: skip

    d, _html = dashboard(client, staff)

    delivery = {c.key: c for c in d["staff"]["charts"]}["delivery"]
    assert {str(f.label): f.value for f in delivery.figures} == {
        "按期兑现": 1, "逾期兑现": 1, "逾期未兑现": 1,
    }  # fmt: skip
    assert_figures_match(client, staff, [delivery])
