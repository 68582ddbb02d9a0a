"""The registered lists beyond the enterprise directory: same rows as their pages, scoped
like them, blind where the round is blind."""

import csv
import io

import pytest
from django.urls import reverse

from reports.exports.spec import REGISTRY, spec_named
from reports.models import Export
from tests.factories import BureauUserFactory, UserFactory, region
from tests.selection.helpers import panel_round, score_sheet

pytestmark = pytest.mark.django_db


def export(client, list_name, query, columns=(), fmt="csv"):
    return client.post(
        reverse("exports:start", args=[list_name]),
        {"query": query, "columns": list(columns), "format": fmt},
    )


def csv_rows(response):
    assert response.status_code == 200, response.content[:500]
    raw = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(raw)))


@pytest.fixture
def scored():
    """A blind round (names hidden) of 浙江省 with two applications, three experts each,
    every sheet submitted."""
    from selection.models import ScoreSheet
    from selection.services import panel as panel_services

    selection_round, apps, members = panel_round(applications=2, panelists=3, hide_names=True)
    panel_services.auto_assign(selection_round, actor=selection_round.created_by)
    for sheet in ScoreSheet.objects.filter(assignment__application__in=apps).order_by("id"):
        score_sheet(sheet, 80)
    for i, member in enumerate(members):  # names that a number like 专家 1 never contains
        member.user.full_name = f"{'张王李'[i]}评委"
        member.user.save(update_fields=["full_name"])
    return selection_round, apps, members


def test_every_list_has_columns_a_title_and_a_permission():
    spec_named("enterprises")
    assert sorted(REGISTRY) == [
        "adjustment-proposals", "applications", "audit", "claims", "conflict-reports",
        "credit-scores", "data-resources", "enterprises", "financial-products",
        "financing-needs", "financing-offers", "first-purchases", "formal-reviews", "grants",
        "ledger", "my-grants", "my-reports", "objections", "panel-scores", "policies",
        "policy-grants", "registry-entries", "scenario-awards", "scenario-responses",
        "scenarios", "service-records", "tiering-results", "transfers", "verification",
        "voucher-applications", "vouchers",
    ]  # fmt: skip
    for spec in REGISTRY.values():
        assert spec.columns and spec.default_keys and callable(spec.permission)


def test_applications_export_equals_the_round_page(client, scored):
    selection_round, apps, _members = scored
    client.force_login(selection_round.created_by)
    page = client.get(reverse("selection:round-detail", args=[selection_round.pk]))
    shown = [a.enterprise.uscc for a in page.context["page"].object_list]

    rows = csv_rows(export(client, "applications", f"round={selection_round.pk}"))

    assert [r[1] for r in rows[1:]] == shown
    assert len(shown) == 2


def test_blind_round_scores_name_no_expert(client, scored):
    selection_round, apps, members = scored
    client.force_login(selection_round.created_by)

    rows = csv_rows(
        export(client, "panel-scores", f"round={selection_round.pk}", columns=["expert", "value"])
    )

    criteria = selection_round.criteria.count()
    assert rows[0] == ["专家", "得分"]
    assert len(rows) - 1 == 2 * 3 * criteria
    assert {r[0] for r in rows[1:]} == {"专家 1", "专家 2", "专家 3"}
    text = "\n".join(",".join(r) for r in rows)
    for member in members:
        assert member.user.full_name not in text


def test_open_round_scores_name_the_experts_to_staff(client, scored):
    from selection.models import SelectionRound

    selection_round, apps, members = scored
    SelectionRound.objects.filter(pk=selection_round.pk).update(hide_enterprise_names=False)
    client.force_login(selection_round.created_by)

    rows = csv_rows(
        export(client, "panel-scores", f"round={selection_round.pk}", columns=["expert"])
    )

    assert {r[0] for r in rows[1:]} == {m.user.full_name for m in members}


def test_panelists_cannot_export_scores(client, scored):
    selection_round, _apps, members = scored
    client.force_login(members[0].user)

    response = export(client, "panel-scores", f"round={selection_round.pk}")

    assert response.status_code == 403
    assert Export.objects.count() == 0


def test_round_of_another_province_is_404(client, scored):
    selection_round, _apps, _members = scored
    client.force_login(BureauUserFactory(region=region("310000")))

    for name in ("applications", "panel-scores", "tiering-results", "formal-reviews"):
        response = export(client, name, f"round={selection_round.pk}")
        assert response.status_code == 404, name
    assert Export.objects.count() == 0


def test_city_bureau_sees_no_rows_of_another_city_in_applications(client, scored):
    """A 宁波 city user may see the provincial round but none of its 杭州 applicants."""
    selection_round, apps, _members = scored
    assert {a.enterprise.region.code for a in apps} == {"330100"}
    client.force_login(BureauUserFactory(region=region("330200")))

    response = client.get(reverse("selection:round-detail", args=[selection_round.pk]))
    if response.status_code == 404:
        assert export(client, "applications", f"round={selection_round.pk}").status_code == 404
    else:
        rows = csv_rows(export(client, "applications", f"round={selection_round.pk}"))
        shown = [a.enterprise.uscc for a in response.context["page"].object_list]
        assert [r[1] for r in rows[1:]] == shown
        assert not any(r[2] == apps[0].enterprise.region.name for r in rows[1:])


def test_enterprise_exports_only_its_own_reports(client):
    from tests.factories import AnnualReportFactory, EnterpriseFactory, enterprise_user

    mine = EnterpriseFactory(region=region("330100"))
    other = EnterpriseFactory(region=region("330100"))
    AnnualReportFactory(enterprise=mine, year=2024)
    AnnualReportFactory(enterprise=mine, year=2025)
    AnnualReportFactory(enterprise=other, year=2025)
    client.force_login(enterprise_user(mine))

    rows = csv_rows(export(client, "my-reports", "", columns=["year", "revenue"]))

    assert [r[0] for r in rows] == ["年度", "2025", "2024"]
    expected = [f"{r.revenue:.2f}" for r in mine.annual_reports.order_by("-year")]
    assert [r[1] for r in rows[1:]] == expected


def test_staff_cannot_use_the_enterprise_lists(client):
    client.force_login(BureauUserFactory(region=region("330100")))

    assert export(client, "my-reports", "").status_code == 403
    assert export(client, "my-grants", "").status_code == 403


def test_other_roles_get_403_on_staff_lists(client):
    client.force_login(UserFactory(role="institution"))

    for name in ("enterprises", "audit", "policies", "data-resources", "transfers"):
        assert export(client, name, "").status_code == 403, name


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_blind_round_scores_name_no_expert_in_xlsx_and_pdf(client, scored, fmt):
    from openpyxl import load_workbook

    from tests.reports.helpers import pdf_text, response_bytes

    selection_round, _apps, members = scored
    client.force_login(selection_round.created_by)

    response = export(client, "panel-scores", f"round={selection_round.pk}", fmt=fmt)

    assert response.status_code == 200
    content = response_bytes(response)
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(content)).active
        text = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row)
    else:
        text = pdf_text(content).replace(" ", "")
    assert "专家 1" in text or "专家1" in text
    assert len({m.user.full_name for m in members}) == 3
    for member in members:
        assert member.user.full_name not in text
