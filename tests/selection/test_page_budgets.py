"""Every staff list of a round costs the same number of queries with 1 row and with 30
(issue #14): paginated, and its figures computed by aggregate queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from selection.choices import ApplicationStatus
from selection.models import Application, Assignment, Objection, ScoreSheet
from selection.services import panel as panel_services
from selection.services.review_counts import refresh_review_counts
from tests.factories import EnterpriseFactory, UserFactory
from tests.query_budget import patch_zeal_once
from tests.selection.helpers import panel_round, region, score_sheet

pytestmark = pytest.mark.django_db

MANY = 30


def _copies(template, count, *, status, totals=None):
    """`count` applications like `template` (other enterprises), each assigned to the same
    experts, with submitted sheets of `totals` when given. Straight to the tables: the
    services are not what these tests measure."""
    members = list(template.assignments.values_list("panel_member_id", flat=True))
    made = []
    for n in range(count):
        application = Application.objects.create(
            round_id=template.round_id,
            enterprise=EnterpriseFactory(region=region("330100"), name=f"批量企业{n:03d}"),
            status=status,
            category=template.category,
            tier_sought=template.tier_sought,
            size=template.size,
            declaration_accepted_at=timezone.now(),
            submitted_at=timezone.now(),
            final_score=Decimal("70.00"),
            proposed_tier="growth",
        )
        for k, member_id in enumerate(members):
            assignment = Assignment.objects.create(
                application=application,
                panel_member_id=member_id,
                assigned_by=template.round.created_by,
            )
            total = totals[k] if totals else None
            ScoreSheet.objects.create(
                assignment=assignment,
                submitted_at=timezone.now() if total is not None else None,
                total=total,
            )
        made.append(application)
    refresh_review_counts([a.pk for a in made])
    return made


@pytest.fixture(scope="session", autouse=True)
def _zeal_patched():
    patch_zeal_once()


def _queries(client, url):
    """Queries of one GET; django-zeal raises NPlusOneError on an N+1 inside it."""
    from zeal import zeal_context

    with zeal_context(), CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.fixture
def reviewed_round():
    """A round in panel review: one application scored by three experts (totals 85, 80,
    30: an outlier), everything else added by the test."""
    selection_round, apps, members = panel_round(applications=1, panelists=3, k=3)
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    for sheet, total in zip(
        ScoreSheet.objects.filter(assignment__application=apps[0]).order_by("id"),
        (85, 80, 30),
        strict=True,
    ):
        score_sheet(sheet, total)
    return selection_round, apps[0], members


@pytest.mark.parametrize(
    "query",
    ["", "?lacking=1", "?outliers=1", "?status=scored", "?expert={member}", "?experts_page=1"],
)
def test_panel_page_queries_same_at_1_and_30_applications(client, reviewed_round, query):
    selection_round, application, members = reviewed_round
    client.force_login(selection_round.created_by)
    url = reverse("selection:panel-manage", args=[selection_round.pk]) + query.format(
        member=members[0].pk
    )
    client.get(url)  # caches (content types, the session) filled once
    one, response = _queries(client, url)
    assert response.context["summary"] == {"total": 1, "complete": 1, "lacking": 0, "outliers": 1}
    _copies(application, MANY - 1, status=ApplicationStatus.SCORED, totals=[70, 72, 40])
    many, response = _queries(client, url)
    assert many == one
    summary = response.context["summary"]
    assert summary == {"total": MANY, "complete": MANY, "lacking": 0, "outliers": MANY}
    if query != "?lacking=1":
        assert response.context["progress"].paginator.count == MANY
        assert len(response.context["progress"].object_list) == 25


def test_panel_page_html_does_not_grow_past_a_page(client, reviewed_round):
    selection_round, application, _members = reviewed_round
    client.force_login(selection_round.created_by)
    url = reverse("selection:panel-manage", args=[selection_round.pk])
    _copies(application, 24, status=ApplicationStatus.SCORED, totals=[70, 72, 40])
    at_25 = len(client.get(url).content)
    _copies(application, 20, status=ApplicationStatus.SCORED, totals=[70, 72, 40])
    at_45 = len(client.get(url).content)
    # Same 25 rows shown; only the pager's figures differ.
    assert abs(at_45 - at_25) < 2_000


def test_panel_page_filters_select_the_right_applications(client, reviewed_round):
    selection_round, application, members = reviewed_round
    client.force_login(selection_round.created_by)
    lacking = _copies(application, 2, status=ApplicationStatus.UNDER_REVIEW)  # no sheet in
    calm = _copies(application, 1, status=ApplicationStatus.SCORED, totals=[70, 72, 68])
    url = reverse("selection:panel-manage", args=[selection_round.pk])

    def ids(query):
        return sorted(a.pk for a in client.get(url + query).context["progress"].object_list)

    assert ids("?lacking=1") == sorted(a.pk for a in lacking)
    assert ids("?outliers=1") == [application.pk]
    assert ids("?status=scored") == sorted([application.pk, calm[0].pk])
    assert ids(f"?expert={members[0].pk}") == sorted(
        [application.pk, calm[0].pk, *(a.pk for a in lacking)]
    )
    summary = client.get(url).context["summary"]
    assert summary == {"total": 4, "complete": 2, "lacking": 2, "outliers": 1}


def test_expert_figures_mean_spread_and_deviation_from_the_median(client, reviewed_round):
    selection_round, application, members = reviewed_round
    _copies(application, 1, status=ApplicationStatus.SCORED, totals=[70, 72, 40])
    client.force_login(selection_round.created_by)
    response = client.get(reverse("selection:panel-manage", args=[selection_round.pk]))
    figures = {
        m.pk: (m.expected, m.done, m.mean, m.spread, m.deviation, m.flagged)
        for m in response.context["experts"]
    }
    # Medians: 80 (85, 80, 30) and 70 (70, 72, 40).
    assert figures[members[0].pk] == (
        2, 2, Decimal("77.50"), Decimal("7.50"), Decimal("2.50"), False
    )  # fmt: skip
    assert figures[members[1].pk] == (
        2, 2, Decimal("76.00"), Decimal("4.00"), Decimal("1.00"), False
    )  # fmt: skip
    assert figures[members[2].pk] == (
        2, 2, Decimal("35.00"), Decimal("5.00"), Decimal("-40.00"), True
    )  # fmt: skip


def test_round_application_list_queries_same_at_1_and_30(client, reviewed_round):
    selection_round, application, _members = reviewed_round
    client.force_login(selection_round.created_by)
    url = reverse("selection:round-detail", args=[selection_round.pk])
    client.get(url)
    one, response = _queries(client, url)
    assert [a.pk for a in response.context["page"]] == [application.pk]
    _copies(application, MANY - 1, status=ApplicationStatus.SCORED)
    many, response = _queries(client, url)
    assert many == one
    assert len(response.context["page"].object_list) == MANY


def test_results_and_objections_queries_same_at_1_and_30(client, reviewed_round):
    selection_round, application, _members = reviewed_round
    client.force_login(selection_round.created_by)
    filer = UserFactory(role="enterprise")
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.PROPOSED)
    Objection.objects.create(application=application, filed_by=filer, reason="有异议。")
    results = reverse("selection:results", args=[selection_round.pk])
    objections = reverse("selection:objection-list", args=[selection_round.pk])
    client.get(results)
    client.get(objections)
    one_results, _ = _queries(client, results)
    one_objections, _ = _queries(client, objections)
    for copy in _copies(application, MANY - 1, status=ApplicationStatus.PROPOSED):
        Objection.objects.create(application=copy, filed_by=filer, reason="有异议。")
    many_results, response = _queries(client, results)
    assert len(response.context["page"].object_list) == MANY
    many_objections, response = _queries(client, objections)
    assert len(response.context["page"].object_list) == 25
    assert (many_results, many_objections) == (one_results, one_objections)


def test_remove_expert_reassigns_unsubmitted_sheets_and_keeps_submitted(client):
    selection_round, apps, members = panel_round(applications=2, panelists=4, k=2)
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    leaving = Assignment.objects.filter(application=apps[0]).order_by("id").first().panel_member
    submitted = ScoreSheet.objects.get(
        assignment__panel_member=leaving, assignment__application=apps[0]
    )
    score_sheet(submitted, 70)
    pending = list(
        Assignment.objects.filter(
            panel_member=leaving, sheet__submitted_at__isnull=True
        ).values_list("application_id", flat=True)
    )
    client.force_login(selection_round.created_by)
    response = client.post(
        reverse("selection:panel-member-remove", args=[selection_round.pk, leaving.pk]),
        {"reason": "因病无法继续评审。"},
    )
    assert response.status_code == 302
    leaving.refresh_from_db()
    assert leaving.removed_at is not None
    assert leaving.removed_by == selection_round.created_by
    assert leaving.removal_reason == "因病无法继续评审。"
    # The submitted sheet stays; every application again has k experts, none of them the
    # removed one for a pending seat.
    assert ScoreSheet.objects.filter(pk=submitted.pk, submitted_at__isnull=False).exists()
    assert not Assignment.objects.filter(
        panel_member=leaving, sheet__submitted_at__isnull=True
    ).exists()
    for application in apps:
        assert application.assignments.count() == 2
    for app_id in pending:
        assert not Assignment.objects.filter(application_id=app_id, panel_member=leaving).exists()
    event = AuditEvent.objects.get(action="panel.member_removed")
    assert event.after == {
        "reason": "因病无法继续评审。",
        "withdrawn_sheets": len(pending),
        "new_assignments": len(pending),
    }


def test_remove_expert_refused_without_reason_changes_nothing(client):
    selection_round, _apps, members = panel_round(applications=1, panelists=3, k=2)
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    before = sorted(Assignment.objects.values_list("application_id", "panel_member_id"))
    client.force_login(selection_round.created_by)
    client.post(
        reverse("selection:panel-member-remove", args=[selection_round.pk, members[0].pk]),
        {"reason": ""},
    )
    members[0].refresh_from_db()
    assert members[0].removed_at is None
    assert sorted(Assignment.objects.values_list("application_id", "panel_member_id")) == before
    assert not AuditEvent.objects.filter(action="panel.member_removed").exists()


def test_removed_expert_is_not_assigned_again():
    selection_round, apps, members = panel_round(applications=1, panelists=3, k=2)
    panel_services.remove_panel_member(
        members[0], actor=selection_round.created_by, reason="回避。"
    )
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    assert sorted(apps[0].assignments.values_list("panel_member_id", flat=True)) == sorted(
        [members[1].pk, members[2].pk]
    )
    members[0].refresh_from_db()
    with pytest.raises(Exception, match="不在本轮专家组中"):
        panel_services.assign_manually(apps[0], actor=selection_round.created_by, member=members[0])


def test_zeal_catches_an_n_plus_one_on_this_django(reviewed_round):
    """The detector works with this Django: reading each application's enterprise
    without select_related raises inside zeal_context."""
    from zeal import NPlusOneError, zeal_context

    _selection_round, application, _members = reviewed_round
    _copies(application, 2, status=ApplicationStatus.SCORED)
    with pytest.raises(NPlusOneError), zeal_context():
        [a.enterprise.name for a in Application.objects.all()]
