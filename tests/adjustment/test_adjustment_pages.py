"""Adjustment pages and API: who may see and do what."""

from decimal import Decimal

import pytest
from django.test import TestCase

from accounts.models import Role
from adjustment.explanations import render_reasons
from adjustment.models import AdjustmentProposal, AdjustmentRun
from registry.models import EnterpriseRecord
from tests.adjustment.test_adjustment import in_registry, run
from tests.factories import (
    AdminUserFactory,
    BureauUserFactory,
    UserFactory,
    enterprise_user,
    region,
)

pytestmark = pytest.mark.django_db
OTHER_ROLES = [Role.PANELIST, Role.INSTITUTION, Role.PROVIDER, Role.PUBLISHER]


@pytest.fixture
def world():
    zhejiang = BureauUserFactory(region=region("330000"))
    entry = in_registry(revenue=Decimal("20000000"))
    member = enterprise_user(entry.enterprise)
    run(zhejiang)
    return zhejiang, entry, member, AdjustmentProposal.objects.get(entry=entry)


def test_staff_see_the_proposals_and_confirm_one(client, world):
    zhejiang, entry, _member, proposal = world
    client.force_login(zhejiang)
    page = client.get("/adjustment/")
    assert page.status_code == 200
    assert list(page.context["page"].object_list) == [proposal]
    assert client.get(f"/adjustment/{proposal.pk}/").status_code == 200
    client.post(f"/adjustment/{proposal.pk}/decide/", {"action": "confirm"})
    entry.refresh_from_db()
    assert entry.tier == "growth"


def test_bulk_confirm_from_the_list(client, world):
    zhejiang, entry, _member, proposal = world
    client.force_login(zhejiang)
    client.post("/adjustment/confirm/", {"ids": [proposal.pk]})
    assert AdjustmentProposal.objects.get(pk=proposal.pk).status == "confirmed"


def test_start_page_runs_the_job(client, world):
    zhejiang, *_ = world
    client.force_login(zhejiang)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post("/adjustment/start/", {"year": 2025})
    assert AdjustmentRun.objects.filter(status="done").count() == 2
    progress = client.get("/adjustment/progress/")
    assert "100%" in progress.content.decode()


def test_other_province_gets_404_and_cannot_decide(client, world):
    _zhejiang, entry, _member, proposal = world
    client.force_login(BureauUserFactory(region=region("320000")))
    assert list(client.get("/adjustment/").context["page"].object_list) == []
    assert client.get(f"/adjustment/{proposal.pk}/").status_code == 404
    response = client.post(f"/adjustment/{proposal.pk}/decide/", {"action": "confirm"})
    assert response.status_code == 404
    assert AdjustmentProposal.objects.get(pk=proposal.pk).status == "pending"


def test_enterprise_does_not_see_a_pending_proposal(client, world):
    _zhejiang, _entry, member, proposal = world
    client.force_login(member)
    assert client.get(f"/adjustment/{proposal.pk}/").status_code == 404
    assert client.get("/adjustment/").status_code == 403
    assert client.post(f"/adjustment/{proposal.pk}/decide/",
                       {"action": "confirm"}).status_code == 403  # fmt: skip
    assert client.get("/adjustment/mine/").status_code == 200


def test_enterprise_sees_a_confirmed_exit_and_appeals_once(client):
    zhejiang = BureauUserFactory(region=region("330000"))
    entry = in_registry(reports=())
    member = enterprise_user(entry.enterprise)
    run(zhejiang)
    proposal = AdjustmentProposal.objects.get(entry=entry)
    client.force_login(zhejiang)
    client.post(f"/adjustment/{proposal.pk}/decide/", {"action": "confirm"})
    client.force_login(member)
    page = client.get(f"/adjustment/{proposal.pk}/")
    assert page.status_code == 200 and page.context["appeal_form"] is not None
    client.post(f"/adjustment/{proposal.pk}/appeal/", {"reason": "报告已线下报送"})
    client.post(f"/adjustment/{proposal.pk}/appeal/", {"reason": "再来一次"})
    proposal.refresh_from_db()
    assert proposal.appeal.reason == "报告已线下报送"
    assert client.get(f"/adjustment/{proposal.pk}/").context["appeal_form"] is None
    other = enterprise_user()
    client.force_login(other)
    assert client.get(f"/adjustment/{proposal.pk}/").status_code == 404
    assert client.post(f"/adjustment/{proposal.pk}/appeal/",
                       {"reason": "x"}).status_code == 404  # fmt: skip


def test_enterprise_asks_to_leave_from_its_page(client, world):
    _zhejiang, entry, member, _proposal = world
    client.force_login(member)
    client.post("/adjustment/mine/", {"reason": "业务调整，主动退出"})
    request = AdjustmentProposal.objects.get(entry=entry, origin="request")
    assert request.reasons == [{"key": "request.exit", "reason": "业务调整，主动退出"}]
    assert render_reasons(request.reasons) == ["企业申请退出：业务调整，主动退出"]


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_are_refused(client, world, role):
    _zhejiang, _entry, _member, proposal = world
    client.force_login(UserFactory(role=role))
    assert client.get("/adjustment/").status_code == 403
    assert client.get("/adjustment/rules/").status_code == 403
    assert client.get(f"/adjustment/{proposal.pk}/").status_code == 404
    assert client.get("/adjustment/mine/").status_code == 403
    assert client.post("/adjustment/start/", {"year": 2025}).status_code == 403


def test_anonymous_is_sent_to_login(client, world):
    *_, proposal = world
    for url in ("/adjustment/", f"/adjustment/{proposal.pk}/",
                "/adjustment/mine/"):  # fmt: skip
        assert client.get(url).status_code == 302


def test_rules_page_shows_and_saves_the_jurisdiction_rules(client, world):
    import json

    from adjustment.rules import DEFAULT_RULES

    zhejiang, *_ = world
    client.force_login(zhejiang)
    page = client.get("/adjustment/rules/")
    assert page.context["inherited"] is True
    assert "营业收入 ≥ 10,000,000 元" in page.content.decode()
    bad = client.post("/adjustment/rules/", {"rules": '{"tiers": 1'})
    assert "不是有效的 JSON" in bad.content.decode()
    rules = {**DEFAULT_RULES, "downgrade_after_years": 3}
    client.post("/adjustment/rules/", {"rules": json.dumps(rules)})
    assert client.get("/adjustment/rules/").context["inherited"] is False


def test_staff_enter_and_revoke_a_record(client, world):
    zhejiang, entry, member, _ = world
    url = f"/registry/enterprises/{entry.enterprise.pk}/records/"
    data = {"kind": "dishonesty", "occurred_on": "2025-08-01", "source": "信用中国"}
    client.force_login(member)
    assert client.post(url, data).status_code == 403  # a member may not enter records
    assert not EnterpriseRecord.objects.exists()
    client.force_login(zhejiang)
    client.post(url, data)
    record = EnterpriseRecord.objects.get()
    client.post(f"/registry/records/{record.pk}/revoke/", {"reason": "录入错误"})
    record.refresh_from_db()
    assert record.revoked_at is not None and record.revoke_reason == "录入错误"


def test_admin_sees_everything(client, world):
    *_, proposal = world
    client.force_login(AdminUserFactory())
    assert client.get(f"/adjustment/{proposal.pk}/").status_code == 200


def test_pending_appeals_are_flagged_and_filtered(client):
    zhejiang = BureauUserFactory(region=region("330000"))
    entry = in_registry(reports=())
    member = enterprise_user(entry.enterprise)
    run(zhejiang)
    proposal = AdjustmentProposal.objects.get(entry=entry)
    client.force_login(zhejiang)
    client.post(f"/adjustment/{proposal.pk}/decide/", {"action": "confirm"})
    client.force_login(member)
    client.post(f"/adjustment/{proposal.pk}/appeal/", {"reason": "已线下报送"})
    client.force_login(zhejiang)
    home = client.get("/adjustment/")
    assert home.context["pending_appeals"] == 1
    assert list(home.context["page"].object_list) == []  # confirmed: not in the to-do list
    appeals = client.get("/adjustment/", {"status": "", "appeal": "pending"})
    assert list(appeals.context["page"].object_list) == [proposal]


def test_staff_home_counts_pending_proposals(client, world):
    zhejiang, *_ = world
    client.force_login(zhejiang)
    cards = client.get("/").context["cards"]
    assert cards["pending_adjustments"] == 1 and cards["pending_appeals"] == 0
    client.force_login(BureauUserFactory(region=region("320000")))
    assert client.get("/").context["cards"]["pending_adjustments"] == 0
