import pytest
from django.urls import reverse

from reports.services import documents
from selection.models import Application, ScoreSheet, SelectionRound
from selection.services import panel as panel_services
from tests.factories import (
    AdminUserFactory,
    BureauUserFactory,
    UserFactory,
    enterprise_user,
    region,
    registry_enterprise,
)
from tests.reports.helpers import pdf_text
from tests.selection.helpers import panel_round, score_sheet, tiering_round
from tests.selection.test_tiering import confirmed_round, run_job

pytestmark = pytest.mark.django_db


def _get(client, user, name, pk):
    if user is not None:
        client.force_login(user)
    return client.get(reverse(name, args=[pk]))


def test_round_results_pdf_lists_results_with_scores_for_staff(client):
    selection_round, apps = tiering_round([[92] * 5, [70] * 5])
    run_job(selection_round)
    response = _get(client, selection_round.created_by, "reports:round-results-pdf",
                    selection_round.pk)  # fmt: skip
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "遴选结果名单" in text
    for application in Application.objects.filter(pk__in=[a.pk for a in apps]):
        assert application.enterprise.name in text
        assert application.enterprise.uscc in text
        assert str(application.final_score) in text


def test_round_results_pdf_refuses_other_jurisdictions_enterprises_and_panelists(client):
    selection_round, _apps = tiering_round([[92] * 5])
    panelist = selection_round.panel_members.first().user
    member = enterprise_user(registry_enterprise("330100"))
    for user, status in [
        (BureauUserFactory(region=region("110000")), 404),  # another province
        (BureauUserFactory(region=region("330100")), 403),  # a city below: sees, not manages
        (panelist, 404),
        (member, 403),
        (None, 302),
    ]:
        client.logout()
        for name in ("reports:round-results-pdf", "reports:round-minutes-pdf"):
            assert _get(client, user, name, selection_round.pk).status_code == status, (user, name)


def test_public_round_results_only_on_notice_or_closed_without_sensitive_fields(client):
    selection_round, apps = confirmed_round()
    response = client.get(reverse("reports:round-results-public-pdf", args=[selection_round.pk]))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "入选企业公示名单" in text
    selected = [a for a in apps if a.proposed_tier]
    assert selected
    for application in apps:
        assert (application.enterprise.name in text) == bool(application.proposed_tier)
        assert application.enterprise.uscc not in text
    assert str(selected[0].final_score) not in text
    SelectionRound.objects.filter(pk=selection_round.pk).update(status="tiering")
    url = reverse("reports:round-results-public-pdf", args=[selection_round.pk])
    assert client.get(url).status_code == 404


def _scored_panel_round(*, hide_names):
    selection_round, apps = tiering_round([[90, 80, 70]], panelists=3)
    SelectionRound.objects.filter(pk=selection_round.pk).update(hide_enterprise_names=hide_names)
    selection_round.refresh_from_db()
    return selection_round, apps


def test_minutes_name_panelists_when_the_round_is_not_blind(client):
    selection_round, apps = _scored_panel_round(hide_names=False)
    response = _get(client, selection_round.created_by, "reports:round-minutes-pdf",
                    selection_round.pk)  # fmt: skip
    text = pdf_text(response.content)
    assert "专家评审纪要" in text
    assert apps[0].enterprise.name in text
    for member in selection_round.panel_members.select_related("user"):
        assert member.user.full_name in text
    for criterion in selection_round.criteria.all():
        assert criterion.name in text


def test_minutes_of_a_blind_round_number_the_panelists_and_hold_no_name(client):
    selection_round, _apps = _scored_panel_round(hide_names=True)
    members = list(selection_round.panel_members.select_related("user"))
    for member in members:
        member.user.full_name = f"保密姓名{member.pk}"
        member.user.save(update_fields=["full_name"])
    text = pdf_text(documents.minutes_pdf(selection_round))
    assert "匿名评审" in text
    for member in members:
        assert member.user.full_name not in text
    for n in range(1, len(members) + 1):
        assert f"专家{n}（" in text


def test_minutes_count_only_submitted_sheets_in_four_queries(django_assert_num_queries):
    selection_round, _apps = _scored_panel_round(hide_names=False)
    with django_assert_num_queries(3):
        figures = documents.minutes(selection_round)
    assert [len(block["rows"]) for block in figures["applications"]] == [3]


def test_enterprise_profile_pdf_for_members_and_covering_staff_only(client):
    enterprise = registry_enterprise("330100", name="云栖画像科技有限公司")
    member = enterprise_user(enterprise)
    allowed = [member, BureauUserFactory(region=region("330000")), AdminUserFactory()]
    for user in allowed:
        response = _get(client, user, "reports:enterprise-profile-pdf", enterprise.pk)
        assert response.status_code == 200
        text = pdf_text(response.content)
        assert "云栖画像科技有限公司 企业画像" in text
        assert "层级变动" in text
    others = [
        BureauUserFactory(region=region("330200")),
        enterprise_user(registry_enterprise("330100")),
        UserFactory(role="panelist"),
        UserFactory(role="institution"),
    ]
    for user in others:
        assert (
            _get(client, user, "reports:enterprise-profile-pdf", enterprise.pk).status_code == 404
        )


def test_panelist_never_gets_minutes_even_of_its_own_round(client):
    selection_round, apps, _members = panel_round(applications=1, panelists=3, k=3)
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    sheet = ScoreSheet.objects.filter(assignment__application=apps[0]).first()
    score_sheet(sheet, 80)
    user = sheet.assignment.panel_member.user
    assert _get(client, user, "reports:round-minutes-pdf", selection_round.pk).status_code == 404
