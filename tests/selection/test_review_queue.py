"""Staff's queue of applications awaiting formal review across the open rounds of their
jurisdiction (issue #14): who sees what, the bulk "eligible" and what it leaves alone."""

from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from notifications.models import Notification
from registry.models import AnnualReport
from selection.models import Application, FormalReview
from selection.services import applications as app_services
from selection.services.review import review_application
from tests.factories import AnnualReportFactory, BureauUserFactory, EnterpriseFactory, region
from tests.query_budget import queries_of_get
from tests.selection.helpers import make_round, ready_application

pytestmark = pytest.mark.django_db

QUEUE = reverse("selection:review-queue")
ELIGIBLE = reverse("selection:review-queue-eligible")


def submitted(selection_round, **kwargs):
    application, member = ready_application(selection_round, **kwargs)
    return app_services.submit_application(application, actor=member, declaration=True)


@pytest.fixture
def zhejiang_round():
    return make_round(region_code="330000")


def listed(response):
    return [a.pk for a in response.context["page"].object_list]


def test_queue_lists_waiting_applications_of_the_jurisdictions_rounds(client, zhejiang_round):
    waiting = submitted(zhejiang_round)
    draft, _member = ready_application(zhejiang_round)
    beijing = make_round(region_code="110000")
    elsewhere = submitted(beijing, enterprise=EnterpriseFactory(region=region("110000")))
    client.force_login(zhejiang_round.created_by)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert listed(response) == [waiting.pk]
    assert draft.pk not in listed(response) and elsewhere.pk not in listed(response)
    # A city's staff do not manage the province's round: nothing for them.
    client.force_login(BureauUserFactory(region=region("330100")))
    assert listed(client.get(QUEUE)) == []


def test_queue_filters_by_round_and_status(client, zhejiang_round):
    first = submitted(zhejiang_round)
    other_round = make_round(region_code="330000", year=2027, bureau=zhejiang_round.created_by)
    second = submitted(other_round)
    client.force_login(zhejiang_round.created_by)
    assert sorted(listed(client.get(QUEUE))) == sorted([first.pk, second.pk])
    assert listed(client.get(QUEUE, {"round": other_round.pk})) == [second.pk]
    assert listed(client.get(QUEUE, {"status": "resubmitted"})) == []


def test_queue_refuses_other_roles(client, zhejiang_round):
    application = submitted(zhejiang_round)
    member = application.enterprise.memberships.get().user
    client.force_login(member)
    assert client.get(QUEUE).status_code == 403
    assert client.post(ELIGIBLE, {"application": [application.pk]}).status_code == 403
    application.refresh_from_db()
    assert application.status == "submitted"
    assert not FormalReview.objects.exists()


def test_bulk_eligible_marks_clean_ones_through_the_review_service(client, zhejiang_round):
    clean = [submitted(zhejiang_round) for _ in range(2)]
    staff = zhejiang_round.created_by
    client.force_login(staff)
    response = client.post(
        ELIGIBLE, {"application": [a.pk for a in clean], "querystring": "status=submitted"}
    )
    assert response.status_code == 302 and response["Location"] == f"{QUEUE}?status=submitted"
    for application in clean:
        application.refresh_from_db()
        assert application.status == "eligible"
        review = application.formal_reviews.get()
        assert review.outcome == "eligible" and review.reviewer == staff
        assert review.items.count() == zhejiang_round.checklist.count() > 0
        assert all(item.passed for item in review.items.all())
    assert AuditEvent.objects.filter(action="application.eligible", actor=staff).count() == 2
    members = [a.enterprise.memberships.get().user for a in clean]
    assert Notification.objects.filter(recipient__in=members).count() >= 2


def test_bulk_eligible_leaves_mismatched_and_resubmitted_ones(client, zhejiang_round):
    staff = zhejiang_round.created_by
    mismatched = submitted(zhejiang_round)
    year = zhejiang_round.year - 1
    AnnualReportFactory(
        enterprise=mismatched.enterprise, year=year, status="accepted",
        revenue=Decimal("99000000"), rd_expense=Decimal("9900000"),
    )  # fmt: skip
    returned = submitted(zhejiang_round)
    checklist = list(zhejiang_round.checklist.all())
    items = {item.pk: (True, "") for item in checklist}
    items[checklist[0].pk] = (False, "缺少审计报告")
    review_application(returned, actor=staff, outcome="returned", items=items)
    member = returned.enterprise.memberships.get().user
    returned.refresh_from_db()
    resubmitted = app_services.submit_application(returned, actor=member, declaration=True)
    assert resubmitted.status == "resubmitted"
    client.force_login(staff)
    page = client.get(QUEUE)
    rows = {a.pk: a.blockers for a in page.context["page"].object_list}
    assert rows == {mismatched.pk: ["mismatch"], resubmitted.pk: ["resubmitted"]}
    assert f'name="application" value="{mismatched.pk}"' not in page.text
    assert "与年报不符" in page.text
    response = client.post(ELIGIBLE, {"application": [mismatched.pk, resubmitted.pk]})
    shown = [str(m) for m in response.wsgi_request._messages]
    assert any(m.startswith("2 份申请未判定") for m in shown)
    statuses = set(
        Application.objects.filter(pk__in=[mismatched.pk, resubmitted.pk]).values_list(
            "status", flat=True
        )
    )
    assert statuses == {"submitted", "resubmitted"}


def test_matching_accepted_report_is_no_blocker(client, zhejiang_round):
    application = submitted(zhejiang_round)
    figures = application.figures.get(year=zhejiang_round.year - 1)
    AnnualReport.objects.create(
        enterprise=application.enterprise, year=figures.year, status="accepted",
        submitted_at="2026-04-01T00:00:00Z", revenue=figures.revenue,
        main_business_revenue=figures.main_business_revenue, net_profit=0,
        rd_expense=figures.rd_expense, employees=figures.employees, rd_staff=figures.rd_staff,
        invention_patents=figures.invention_patents,
        software_copyrights=figures.software_copyrights,
        financing_this_year=figures.financing_raised,
    )  # fmt: skip
    client.force_login(zhejiang_round.created_by)
    rows = client.get(QUEUE).context["page"].object_list
    assert [(a.pk, a.blockers) for a in rows] == [(application.pk, [])]


def test_bulk_eligible_ignores_applications_outside_the_users_rounds(client, zhejiang_round):
    application = submitted(zhejiang_round)
    client.force_login(BureauUserFactory(region=region("110000")))
    response = client.post(ELIGIBLE, {"application": [application.pk]}, follow=True)
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == "submitted"
    assert not FormalReview.objects.exists()


def test_bulk_eligible_without_a_choice_says_so(client, zhejiang_round):
    client.force_login(zhejiang_round.created_by)
    response = client.post(ELIGIBLE, {}, follow=True)
    assert "请先勾选要判定通过的申请。" in response.text


def _queries(client, url):
    return queries_of_get(client, url)


def test_queue_query_count_is_the_same_at_1_and_30_rows(client, zhejiang_round):
    template = submitted(zhejiang_round)
    client.force_login(zhejiang_round.created_by)
    one = _queries(client, QUEUE)
    api_one = _queries(client, "/api/v1/formal-review-queue/")
    for n in range(29):
        Application.objects.create(
            round=zhejiang_round,
            enterprise=EnterpriseFactory(region=region("330100"), name=f"批量企业{n:02d}"),
            status="submitted" if n % 2 else "resubmitted",
            category=template.category,
            tier_sought=template.tier_sought,
            size=template.size,
            submitted_at=template.submitted_at,
            declaration_accepted_at=template.declaration_accepted_at,
        )
    assert Application.objects.filter(round=zhejiang_round).count() == 30
    assert _queries(client, QUEUE) == one
    assert len(client.get(QUEUE).context["page"].object_list) == 20
    assert _queries(client, "/api/v1/formal-review-queue/") == api_one


API = "/api/v1/formal-review-queue/"


def api_ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_api_lists_the_queue_like_the_page_with_the_same_filters(client, zhejiang_round):
    first = submitted(zhejiang_round)
    other_round = make_round(region_code="330000", year=2027, bureau=zhejiang_round.created_by)
    second = submitted(other_round)
    beijing = make_round(region_code="110000")
    submitted(beijing, enterprise=EnterpriseFactory(region=region("110000")))
    client.force_login(zhejiang_round.created_by)
    assert api_ids(client.get(API)) == listed(client.get(QUEUE)) == [first.pk, second.pk]
    for params in ({"round": other_round.pk}, {"status": "resubmitted"}):
        assert api_ids(client.get(API, params)) == listed(client.get(QUEUE, params))
    assert api_ids(client.get(API, {"round": other_round.pk})) == [second.pk]
    row = client.get(API, {"round": first.round_id}).json()["results"][0]
    assert row["round_title"] == zhejiang_round.title
    assert row["blockers"] == [] and row["mismatch"] is False
    assert client.get(API, {"status": "draft"}).status_code == 400
    assert client.get(API, {"round": "abc"}).status_code == 400


def test_page_names_a_filter_it_ignored(client, zhejiang_round):
    waiting = submitted(zhejiang_round)
    client.force_login(zhejiang_round.created_by)
    response = client.get(QUEUE, {"status": "draft"})
    assert listed(response) == [waiting.pk]
    assert 'data-testid="filter-errors"' in response.text


def test_api_refuses_other_roles(client, zhejiang_round):
    application = submitted(zhejiang_round)
    client.force_login(application.enterprise.memberships.get().user)
    assert client.get(API).status_code == 403
