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
from tests.query_budget import queries_of_get

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


def test_a_rejected_proposal_reads_as_no_change(client, world):
    zhejiang, entry, _member, proposal = world
    client.force_login(zhejiang)
    client.post(f"/adjustment/{proposal.pk}/decide/", {"action": "reject", "reason": "数据待核实"})
    page = client.get(f"/adjustment/{proposal.pk}/").content.decode()
    assert "处理结果：不作调整（建议已驳回）" in page
    assert "处理结果：升级" not in page
    entry.refresh_from_db()
    assert entry.tier == "potential"


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
    bad = client.post("/adjustment/rules/", {"rules_json": '{"tiers": 1'})
    assert "不是有效的 JSON" in bad.content.decode()
    rules = {**DEFAULT_RULES, "downgrade_after_years": 3}
    client.post("/adjustment/rules/", {"rules_json": json.dumps(rules)})
    assert client.get("/adjustment/rules/").context["inherited"] is False


def _posted_builders(page, **numbers):
    """The rules form as the page renders it: every builder row and the numbers."""
    from adjustment.rules import DEFAULT_RULES

    names = ("downgrade_after_years", "exit_after_missing_years", "graduate_listing",
             "exit_records")  # fmt: skip
    data = {**{name: DEFAULT_RULES[name] for name in names}, **numbers}
    for _label, state in page.context["builders"]:
        prefix = state["prefix"]
        for group in state["groups"]:
            data[f"{prefix}g{group['token']}-join"] = group["join"]
            for row in group["rows"]:
                for key in ("group", "field", "op", "value"):
                    data[f"{prefix}r{row['token']}-{key}"] = row[key]
    return data


def test_rules_are_edited_in_the_condition_builder(client, world):
    from adjustment.models import AdjustmentRules
    from conditions.engine import describe

    zhejiang, *_ = world
    client.force_login(zhejiang)
    page = client.get("/adjustment/rules/")
    assert page.context["form"]["rules_json"].value() in (None, "")  # no JSON needed
    assert 'name="growth-g0-join"' in page.content.decode()
    data = _posted_builders(page, downgrade_after_years=3)
    revenue = next(
        key for key, value in data.items()
        if key.startswith("growth-r") and key.endswith("-field") and value == "revenue"
    )  # fmt: skip
    data[revenue.replace("-field", "-value")] = "20000000"
    saved = client.post("/adjustment/rules/", data)
    assert saved.status_code == 302
    rules = AdjustmentRules.objects.get(region=zhejiang.region).rules
    assert rules["downgrade_after_years"] == 3
    assert "营业收入 ≥ 20,000,000 元" in describe(rules["tiers"]["growth"])
    assert "营业收入 ≥ 100,000,000 元" in describe(rules["tiers"]["leading"])


def test_a_bad_builder_row_is_named_by_its_tier_and_nothing_is_saved(client, world):
    from adjustment.models import AdjustmentRules

    zhejiang, *_ = world
    client.force_login(zhejiang)
    data = _posted_builders(client.get("/adjustment/rules/"))
    data["leading-rnew-group"], data["leading-rnew-field"] = "0", "revenue"
    data["leading-rnew-op"], data["leading-rnew-value"] = "like", "1"
    refused = client.post("/adjustment/rules/", data)
    assert refused.status_code == 200
    assert "领军型：" in refused.content.decode()
    assert 'name="leading-rnew-field"' in refused.content.decode()  # kept as posted
    assert not AdjustmentRules.objects.filter(region=zhejiang.region).exists()


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


def test_proposal_list_query_count_is_the_same_at_1_and_30_rows(client, world):
    zhejiang, _entry, _member, proposal = world
    client.force_login(zhejiang)
    one = queries_of_get(client, "/adjustment/")
    for _n in range(29):
        AdjustmentProposal.objects.create(
            entry=in_registry(reports=()),
            year=proposal.year,
            origin=proposal.origin,
            kind=proposal.kind,
            from_tier=proposal.from_tier,
            to_tier=proposal.to_tier,
            reasons=proposal.reasons,
        )
    assert queries_of_get(client, "/adjustment/") == one
    assert client.get("/adjustment/").context["page"].paginator.count == 30


def test_proposals_stay_inside_the_jurisdiction_and_are_never_repeated(client, world):
    _zhejiang, entry, member, proposal = world
    # A second active member of the same enterprise must not repeat the row.
    enterprise_user(entry.enterprise)
    client.force_login(BureauUserFactory(region=region("330100")))
    assert list(client.get("/adjustment/").context["page"].object_list) == [proposal]
    client.force_login(BureauUserFactory(region=region("330200")))
    assert list(client.get("/adjustment/").context["page"].object_list) == []
    assert list(AdjustmentProposal.objects.visible_to(member)) == []  # pending: not news
