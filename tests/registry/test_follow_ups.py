"""Service follow-ups due across the jurisdiction's enterprises (issue #14), with edit and
delete of a record: audited, confirmed before delete, 404 outside the user's view."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from registry.models import ServiceRecord
from tests.factories import BureauUserFactory, EnterpriseFactory, enterprise_user, region
from tests.query_budget import queries_of_get

pytestmark = pytest.mark.django_db

LIST = reverse("registry:follow-up-list")
TODAY = timezone.localdate()


def record(code="330100", *, due=3, kind="policy", done=False, name=None, staff=None):
    enterprise = EnterpriseFactory(region=region(code), **({"name": name} if name else {}))
    return ServiceRecord.objects.create(
        enterprise=enterprise,
        kind=kind,
        served_on=TODAY - datetime.timedelta(days=30),
        notes="讲解研发费用加计扣除。",
        follow_up_on=None if due is None else TODAY + datetime.timedelta(days=due),
        followed_up_at=timezone.now() if done else None,
        staff=staff or BureauUserFactory(region=region(code)),
    )


@pytest.fixture
def hangzhou(client):
    user = BureauUserFactory(region=region("330100"))
    client.force_login(user)
    return user


def listed(response):
    return [r.pk for r in response.context["page"].object_list]


def test_list_shows_due_follow_ups_of_the_jurisdiction_earliest_first(client, hangzhou):
    later = record(due=5)
    overdue = record(due=-2)
    record(due=30)  # not due within the week
    record(due=1, done=True)  # already followed up
    record(due=None)  # no follow-up asked for
    record("330200", due=1)  # a sibling city's
    response = client.get(LIST)
    assert response.status_code == 200
    assert listed(response) == [overdue.pk, later.pk]
    assert "已逾期" in response.text


def test_list_filters_by_window_and_kind(client, hangzhou):
    overdue = record(due=-2, kind="data")
    soon = record(due=2)
    far = record(due=40)
    assert listed(client.get(LIST, {"due": "overdue"})) == [overdue.pk]
    assert listed(client.get(LIST, {"due": "open"})) == [overdue.pk, soon.pk, far.pk]
    assert listed(client.get(LIST, {"due": "open", "kind": "data"})) == [overdue.pk]
    # A window the list does not know is ignored, and the page says so.
    response = client.get(LIST, {"due": "nonsense"})
    assert listed(response) == [overdue.pk, soon.pk, far.pk]
    assert 'data-testid="filter-errors"' in response.text


API = "/api/v1/follow-ups/"


def api_ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_api_lists_the_same_follow_ups_as_the_page_with_the_same_filters(client, hangzhou):
    overdue = record(due=-2, kind="data")
    soon = record(due=2)
    far = record(due=40)
    record("330200", due=1)  # a sibling city's
    assert api_ids(client.get(API)) == listed(client.get(LIST)) == [overdue.pk, soon.pk]
    for params in ({"due": "overdue"}, {"due": "open"}, {"due": "open", "kind": "data"}):
        assert api_ids(client.get(API, params)) == listed(client.get(LIST, params))
    assert api_ids(client.get(API, {"due": "open"})) == [overdue.pk, soon.pk, far.pk]
    row = client.get(API, {"kind": "data"}).json()["results"][0]
    assert row["enterprise_name"] == overdue.enterprise.name
    assert row["region"] == "330100"
    refused = client.get(API, {"due": "nonsense"})
    assert refused.status_code == 400
    assert "due" in refused.json()["errors"]


def test_api_refuses_other_roles(client):
    sr = record()
    client.force_login(enterprise_user(sr.enterprise))
    assert client.get(API).status_code == 403
    client.logout()
    assert client.get(API).status_code in (401, 403)


def test_list_refuses_enterprise_users(client):
    sr = record()
    client.force_login(enterprise_user(sr.enterprise))
    assert client.get(LIST).status_code == 403


def test_edit_changes_the_record_and_audits_before_and_after(client, hangzhou):
    sr = record(due=3)
    url = reverse("registry:service-edit", args=[sr.pk])
    assert client.get(url).status_code == 200
    new_date = TODAY + datetime.timedelta(days=10)
    response = client.post(url, {
        "kind": "financing", "served_on": sr.served_on.isoformat(),
        "notes": "对接两家银行的知识产权质押贷款。", "follow_up_on": new_date.isoformat(),
        "next": f"{LIST}?due=open",
    })  # fmt: skip
    assert response.status_code == 302 and response["Location"] == f"{LIST}?due=open"
    sr.refresh_from_db()
    assert (sr.kind, sr.follow_up_on) == ("financing", new_date)
    assert sr.notes == "对接两家银行的知识产权质押贷款。"
    event = AuditEvent.objects.get(action="service.updated")
    assert event.actor == hangzhou and event.enterprise == sr.enterprise
    assert event.before["kind"] == "policy" and event.after["kind"] == "financing"


def test_edit_refuses_a_follow_up_before_the_service(client, hangzhou):
    sr = record(due=3)
    response = client.post(reverse("registry:service-edit", args=[sr.pk]), {
        "kind": "policy", "served_on": TODAY.isoformat(), "notes": "x",
        "follow_up_on": (TODAY - datetime.timedelta(days=1)).isoformat(),
    })  # fmt: skip
    assert response.status_code == 200
    assert "跟进日期不能早于服务日期" in response.text
    sr.refresh_from_db()
    assert sr.kind == "policy" and sr.notes == "讲解研发费用加计扣除。"
    assert not AuditEvent.objects.filter(action="service.updated").exists()


def test_delete_asks_first_then_deletes_and_audits(client, hangzhou):
    sr = record(due=3)
    url = reverse("registry:service-delete", args=[sr.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "讲解研发费用加计扣除。" in page.text and "data-confirm" in page.text
    assert ServiceRecord.objects.filter(pk=sr.pk).exists()
    response = client.post(url, {"next": LIST})
    assert response.status_code == 302 and response["Location"] == LIST
    assert not ServiceRecord.objects.filter(pk=sr.pk).exists()
    event = AuditEvent.objects.get(action="service.deleted")
    assert event.actor == hangzhou and event.object_id == str(sr.pk)
    assert event.before["notes"] == "讲解研发费用加计扣除。"


@pytest.mark.parametrize("name", ["service-edit", "service-delete"])
def test_edit_and_delete_are_404_outside_and_403_for_the_enterprise(client, name):
    sr = record("330100")
    url = reverse(f"registry:{name}", args=[sr.pk])
    client.force_login(BureauUserFactory(region=region("330200")))
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404
    client.force_login(enterprise_user(sr.enterprise))
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403
    assert ServiceRecord.objects.filter(pk=sr.pk, kind="policy").exists()
    assert not AuditEvent.objects.filter(action__in=["service.updated", "service.deleted"])


def test_mark_done_from_the_list_returns_to_it(client, hangzhou):
    sr = record(due=1)
    response = client.post(
        reverse("registry:service-done", args=[sr.pk]), {"next": f"{LIST}?due=open"}
    )
    assert response["Location"] == f"{LIST}?due=open"
    sr.refresh_from_db()
    assert sr.followed_up_at is not None
    assert listed(client.get(LIST)) == []


def _queries(client, url):
    return queries_of_get(client, url)


def test_list_and_api_query_counts_are_the_same_at_1_and_30_rows(client, hangzhou):
    staff = BureauUserFactory(region=region("330100"))
    record(due=1, staff=staff)
    one, api_one = _queries(client, LIST), _queries(client, API)
    for n in range(29):
        record(due=n % 7, name=f"跟进企业{n:02d}", staff=staff)
    assert _queries(client, LIST) == one
    assert _queries(client, API) == api_one
    assert len(client.get(LIST).context["page"].object_list) == 20
