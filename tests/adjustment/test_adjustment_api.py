"""The adjustment API: same scopes and services as the pages."""

from decimal import Decimal

import pytest
from django.test import TestCase

from accounts.models import Role
from adjustment.models import AdjustmentProposal, AdjustmentRun
from tests.adjustment.test_adjustment import in_registry, run
from tests.factories import BureauUserFactory, UserFactory, enterprise_user, region

pytestmark = pytest.mark.django_db
API = "/api/v1/adjustment-proposals/"


@pytest.fixture
def world():
    zhejiang = BureauUserFactory(region=region("330000"))
    up = in_registry(revenue=Decimal("20000000"))
    silent = in_registry(reports=())
    run(zhejiang)
    return zhejiang, up, silent


def test_staff_list_and_confirm(client, world):
    zhejiang, up, _silent = world
    client.force_login(zhejiang)
    listed = client.get(API, {"kind": "upgrade"}).json()
    assert [p["enterprise"] for p in listed["results"]] == [up.enterprise_id]
    pk = listed["results"][0]["id"]
    confirmed = client.post(f"{API}{pk}/confirm/").json()
    assert confirmed["status"] == "confirmed" and confirmed["final_tier"] == "growth"


def test_reject_needs_a_reason_and_amend_checks_direction(client, world):
    zhejiang, up, silent = world
    client.force_login(zhejiang)
    pk = AdjustmentProposal.objects.get(entry=up).pk
    refused = client.post(f"{API}{pk}/reject/", {}, content_type="application/json")
    assert refused.status_code == 400 and "reason" in refused.json()["errors"]
    wrong = client.post(
        f"{API}{pk}/amend/",
        {"kind": "upgrade", "tier": "potential", "reason": "x"},
        content_type="application/json",
    )
    assert wrong.status_code == 400 and "高于" in wrong.json()["detail"]
    assert AdjustmentProposal.objects.get(pk=pk).status == "pending"


def test_bulk_confirm(client, world):
    zhejiang, *_ = world
    client.force_login(zhejiang)
    ids = list(AdjustmentProposal.objects.values_list("pk", flat=True))
    result = client.post(f"{API}bulk-confirm/", {"ids": ids}, content_type="application/json")
    assert result.json() == {"confirmed": 2, "problems": []}


def test_enterprise_appeals_over_the_api(client, world):
    zhejiang, _up, silent = world
    member = enterprise_user(silent.enterprise)
    pk = AdjustmentProposal.objects.get(entry=silent).pk
    client.force_login(member)
    assert client.get(f"{API}{pk}/").status_code == 404  # still pending: not shown
    client.force_login(zhejiang)
    client.post(f"{API}{pk}/confirm/")
    client.force_login(member)
    filed = client.post(f"{API}{pk}/appeal/", {"reason": "已线下报送"},
                        content_type="application/json")  # fmt: skip
    assert filed.status_code == 201
    again = client.post(f"{API}{pk}/appeal/", {"reason": "再次"}, content_type="application/json")
    assert again.status_code == 400 and "一次" in again.json()["detail"]
    assert client.post(f"{API}{pk}/confirm/").status_code == 403


def test_runs_api_starts_a_run_for_staff_only(client, world):
    zhejiang, *_ = world
    client.force_login(zhejiang)
    with TestCase.captureOnCommitCallbacks(execute=True):
        started = client.post("/api/v1/adjustment-runs/", {"year": 2025},
                              content_type="application/json")  # fmt: skip
    assert started.status_code == 201 and started.json()["region"] == "330000"
    client.force_login(enterprise_user())
    assert client.get("/api/v1/adjustment-runs/").json()["results"] == []
    refused = client.post("/api/v1/adjustment-runs/", {"year": 2025},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 403


@pytest.mark.parametrize("year", [0, 1999, 10_000, "二〇二五"])
def test_runs_api_refuses_a_year_out_of_range_and_starts_nothing(client, world, year):
    zhejiang, *_ = world
    client.force_login(zhejiang)
    runs = list(AdjustmentRun.objects.values_list("pk", flat=True))
    with TestCase.captureOnCommitCallbacks(execute=True):
        refused = client.post("/api/v1/adjustment-runs/", {"year": year},
                              content_type="application/json")  # fmt: skip
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["year"]
    assert list(AdjustmentRun.objects.values_list("pk", flat=True)) == runs


@pytest.mark.parametrize("role", [Role.PANELIST, Role.INSTITUTION, Role.PROVIDER, Role.PUBLISHER])
def test_other_roles_see_nothing(client, world, role):
    client.force_login(UserFactory(role=role))
    assert client.get(API).json()["results"] == []
    pk = AdjustmentProposal.objects.first().pk
    assert client.post(f"{API}{pk}/confirm/").status_code in (403, 404)
    assert AdjustmentProposal.objects.get(pk=pk).status == "pending"


def test_other_province_gets_404(client, world):
    client.force_login(BureauUserFactory(region=region("320000")))
    pk = AdjustmentProposal.objects.first().pk
    assert client.get(f"{API}{pk}/").status_code == 404
    assert client.post(f"{API}{pk}/confirm/").status_code == 404


def test_anonymous_is_refused(client, world):
    assert client.get(API).status_code in (401, 403)
