import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from conditions.explain import render_conditions
from config.errors import DomainError
from notifications.models import Notification
from policies.models import Policy, PolicyGrant, PolicyMatchRun
from policies.services import lifecycle as services
from policies.services.matching import (
    match_policy,
    nearly_qualified,
    preview,
    rematch_enterprise,
)
from registry.models import LabelAward, RegistryEntry
from registry.services import admit_enterprise
from tests.factories import (
    AdminUserFactory,
    AnnualReportFactory,
    BureauUserFactory,
    EnterpriseFactory,
    PolicyFactory,
    RegistryEntryFactory,
    enterprise_user,
    region,
    registry_enterprise,
)
from workdays.calendar import add_working_days, holiday_calendar

pytestmark = pytest.mark.django_db
TEN_MILLION = {"all": [{"field": "revenue", "op": "gte", "value": 10_000_000}]}


@pytest.fixture
def zhejiang():
    return BureauUserFactory(region=region("330000"))


def publish(policy, actor, capture):
    with capture(execute=True):
        return services.publish_policy(policy, actor=actor)


def test_create_policy_refuses_unknown_field_and_operator(zhejiang):
    bad = {
        "all": [
            {"field": "secret", "op": "gte", "value": 1},
            {"field": "revenue", "op": "like", "value": 1},
        ]
    }
    with pytest.raises(DomainError) as exc:
        services.create_policy(actor=zhejiang, **_values(conditions=bad))
    assert exc.value.message == "all[0]：未知字段“secret”；all[1]：未知运算符“like”"
    assert exc.value.field == "conditions"
    assert Policy.objects.count() == 0


def _values(**overrides):
    values = {
        "title": "算力券",
        "department": "浙江省数据局",
        "kind": "subsidy",
        "benefit_amount": Decimal("100000"),
        "benefit": "算力服务费用 50% 补贴",
        "jurisdiction": region("330000"),
        "valid_from": datetime.date(2026, 1, 1),
        "valid_until": datetime.date(2027, 12, 31),
        "mode": "auto",
        "beneficiary": "入库企业",
        "contact": "0571-0000",
        "conditions": TEN_MILLION,
    }
    return {**values, **overrides}


def test_create_policy_refused_to_staff_below_the_jurisdiction():
    hangzhou = BureauUserFactory(region=region("330100"))
    with pytest.raises(DomainError):
        services.create_policy(actor=hangzhou, **_values())
    assert Policy.objects.count() == 0


def test_publish_creates_notified_grants_with_explanations(
    zhejiang, django_capture_on_commit_callbacks
):
    rich = registry_enterprise("330100", revenue=Decimal("20000000"))
    member = enterprise_user(rich)
    registry_enterprise("330200", revenue=Decimal("5000000"))  # too small
    registry_enterprise("110000", revenue=Decimal("90000000"))  # outside 浙江
    EnterpriseFactory(region=region("330100"))  # not in the registry
    policy = PolicyFactory(created_by=zhejiang, conditions=TEN_MILLION)
    publish(policy, zhejiang, django_capture_on_commit_callbacks)
    grant = PolicyGrant.objects.get()
    assert grant.enterprise == rich
    assert grant.status == "notified"
    assert render_conditions(grant.explanation) == [
        "营业收入 20,000,000.00 元 ≥ 10,000,000 元，满足"
    ]
    today = timezone.localdate()
    assert grant.due_on == add_working_days(today, 60, holiday_calendar())
    run = PolicyMatchRun.objects.get()
    assert (run.status, run.total, run.processed) == ("done", 1, 1)
    assert run.summary == {"matched": 1, "created": 1, "revived": 0, "updated": 0, "lapsed": 0}
    assert Notification.objects.filter(recipient=member).values_list("title", flat=True)[0] == (
        f"您符合政策“{policy.title}”，请确认"
    )
    event = AuditEvent.objects.get(object_id=str(grant.pk), action__startswith="policy_grant")
    assert (event.action, event.before, event.actor) == (
        "policy_grant.notified",
        {"status": "eligible"},
        None,
    )
    assert event.after == {
        "status": "notified",
        "due_on": grant.due_on.isoformat(),
        "explanation": [
            {"field": "revenue", "op": "gte", "expected": "10000000", "actual": "20000000.00",
             "held": True}
        ],
    }  # fmt: skip


def test_rerun_creates_no_duplicates_and_refreshes_explanations(
    zhejiang, django_capture_on_commit_callbacks
):
    enterprise = registry_enterprise("330100", revenue=Decimal("20000000"))
    policy = publish(
        PolicyFactory(created_by=zhejiang), zhejiang, django_capture_on_commit_callbacks
    )
    report = enterprise.annual_reports.get()
    report.revenue = report.main_business_revenue = Decimal("30000000")
    report.save()
    summary = match_policy(policy)
    assert summary == {"matched": 1, "created": 0, "revived": 0, "updated": 1, "lapsed": 0}
    assert match_policy(policy) == {
        "matched": 1,
        "created": 0,
        "revived": 0,
        "updated": 0,
        "lapsed": 0,
    }
    grant = PolicyGrant.objects.get()
    assert render_conditions(grant.explanation) == [
        "营业收入 30,000,000.00 元 ≥ 10,000,000 元，满足"
    ]
    assert grant.status == "notified"


def test_no_longer_matching_lapses_an_open_grant_and_revives_it(
    zhejiang, django_capture_on_commit_callbacks
):
    enterprise = registry_enterprise("330100", revenue=Decimal("20000000"))
    policy = publish(
        PolicyFactory(created_by=zhejiang), zhejiang, django_capture_on_commit_callbacks
    )
    AnnualReportFactory(enterprise=enterprise, year=2026, revenue=Decimal("1000000"))
    assert match_policy(policy)["lapsed"] == 1
    grant = PolicyGrant.objects.get()
    assert grant.status == "lapsed" and grant.lapsed_at is not None
    enterprise.annual_reports.filter(year=2026).delete()
    assert match_policy(policy)["revived"] == 1
    grant.refresh_from_db()
    assert (grant.status, grant.lapsed_at) == ("notified", None)


def test_accepted_grant_does_not_lapse(zhejiang, django_capture_on_commit_callbacks):
    enterprise = registry_enterprise("330100")
    member = enterprise_user(enterprise)
    policy = publish(
        PolicyFactory(created_by=zhejiang), zhejiang, django_capture_on_commit_callbacks
    )
    grant = PolicyGrant.objects.get()
    services.confirm_bank_details(
        grant,
        actor=member,
        account_name=enterprise.name,
        bank_name="示范银行杭州分行",
        account_number="6222 0000 1111 2222",
    )
    AnnualReportFactory(enterprise=enterprise, year=2026, revenue=Decimal("1000000"))
    assert match_policy(policy)["lapsed"] == 0
    grant.refresh_from_db()
    assert (grant.status, grant.account_number) == ("accepted", "6222000011112222")


def test_report_change_creates_a_grant_through_rematch(
    zhejiang, django_capture_on_commit_callbacks
):
    # Last year's report is the new one (the current year cannot be reported on yet).
    enterprise = EnterpriseFactory(region=region("330100"))
    RegistryEntryFactory(enterprise=enterprise)
    AnnualReportFactory(enterprise=enterprise, year=2024, revenue=Decimal("5000000"))
    member = enterprise_user(enterprise)
    publish(PolicyFactory(created_by=zhejiang), zhejiang, django_capture_on_commit_callbacks)
    assert PolicyGrant.objects.count() == 0
    from registry.services import reports

    report = reports.save_report(
        enterprise,
        actor=member,
        year=2025,
        values={
            "revenue": Decimal("12000000"),
            "main_business_revenue": Decimal("12000000"),
            "net_profit": Decimal("1"),
            "rd_expense": Decimal("1200000"),
            "employees": 50,
            "rd_staff": 10,
            "invention_patents": 1,
            "software_copyrights": 1,
            "data_resources_registered": 0,
            "financing_this_year": Decimal("0"),
            "cumulative_financing": Decimal("0"),
            "valuation": None,
            "overseas_revenue": Decimal("0"),
            "compliance_incidents": 0,
        },
        confirmations={},
    )
    with django_capture_on_commit_callbacks(execute=True):
        reports.submit_report(report, actor=member)
    grant = PolicyGrant.objects.get()
    assert (grant.enterprise, grant.status) == (enterprise, "notified")
    assert render_conditions(grant.explanation) == [
        "营业收入 12,000,000.00 元 ≥ 10,000,000 元，满足"
    ]


def test_tier_change_creates_a_grant(zhejiang, django_capture_on_commit_callbacks):
    enterprise = registry_enterprise("330100", tier="potential")
    leading = {"all": [{"field": "tier", "op": "eq", "value": "leading"}]}
    publish(
        PolicyFactory(created_by=zhejiang, conditions=leading),
        zhejiang,
        django_capture_on_commit_callbacks,
    )
    assert PolicyGrant.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        admit_enterprise(enterprise, tier="leading", category="tech", actor=zhejiang, reason="升级")
    assert render_conditions(PolicyGrant.objects.get().explanation) == [
        "培育层级 领军型 为 领军型，满足"
    ]


def test_label_change_creates_a_grant(zhejiang, django_capture_on_commit_callbacks):
    enterprise = registry_enterprise("330100")
    gazelle = {"all": [{"field": "labels", "op": "has", "value": "gazelle"}]}
    policy = publish(
        PolicyFactory(created_by=zhejiang, conditions=gazelle),
        zhejiang,
        django_capture_on_commit_callbacks,
    )
    LabelAward.objects.create(
        enterprise=enterprise, label="gazelle", granted_on=datetime.date(2026, 5, 1), reasons=[]
    )
    assert rematch_enterprise(enterprise) == {policy.pk: "notified"}
    assert render_conditions(PolicyGrant.objects.get().explanation) == [
        "企业称号 瞪羚企业 含有 瞪羚企业，满足"
    ]


def test_withdraw_lapses_open_grants_and_keeps_accepted(
    zhejiang, django_capture_on_commit_callbacks
):
    a, b = registry_enterprise("330100"), registry_enterprise("330200")
    member = enterprise_user(b)
    policy = publish(
        PolicyFactory(created_by=zhejiang, mode="quick"),
        zhejiang,
        django_capture_on_commit_callbacks,
    )
    grant_b = PolicyGrant.objects.get(enterprise=b)
    services.submit_quick_application(
        grant_b,
        actor=member,
        application={"contact_name": "王芳", "contact_phone": "13900000000", "statement": "申请"},
    )
    services.withdraw_policy(policy, actor=zhejiang, reason="政策调整")
    assert dict(PolicyGrant.objects.values_list("enterprise", "status")) == {
        a.pk: "lapsed",
        b.pk: "accepted",
    }
    assert PolicyGrant.objects.get(enterprise=b).application == {
        "contact_name": "王芳",
        "contact_phone": "13900000000",
        "contact_email": "",
        "statement": "申请",
    }


def test_decline_needs_a_reason_and_is_final(zhejiang, django_capture_on_commit_callbacks):
    enterprise = registry_enterprise("330100")
    member = enterprise_user(enterprise)
    policy = publish(
        PolicyFactory(created_by=zhejiang), zhejiang, django_capture_on_commit_callbacks
    )
    grant = PolicyGrant.objects.get()
    with pytest.raises(DomainError):
        services.decline_grant(grant, actor=member, reason=" ")
    grant.refresh_from_db()
    assert grant.status == "notified"
    services.decline_grant(grant, actor=member, reason="已享受同类政策")
    grant.refresh_from_db()
    assert (grant.status, grant.decline_reason) == ("declined", "已享受同类政策")
    match_policy(policy)
    grant.refresh_from_db()
    assert grant.status == "declined"
    with pytest.raises(DomainError) as exc:
        services.confirm_bank_details(
            grant, actor=member, account_name="x", bank_name="y", account_number="622200001111"
        )
    assert exc.value.message == "该政策兑现当前为“已放弃”，不能改为“已确认”。"


def test_auto_grant_refuses_a_quick_application_and_vice_versa(
    zhejiang, django_capture_on_commit_callbacks
):
    enterprise = registry_enterprise("330100")
    member = enterprise_user(enterprise)
    publish(
        PolicyFactory(created_by=zhejiang, mode="auto"),
        zhejiang,
        django_capture_on_commit_callbacks,
    )
    grant = PolicyGrant.objects.get()
    with pytest.raises(DomainError) as exc:
        services.submit_quick_application(grant, actor=member, application={})
    assert exc.value.message == "免申即享政策无需申请，请确认收款账户。"
    with pytest.raises(DomainError) as exc:
        services.confirm_bank_details(
            grant, actor=member, account_name="a", bank_name="b", account_number="12"
        )
    assert exc.value.field == "account_number"
    grant.refresh_from_db()
    assert grant.status == "notified"


def test_only_a_member_accepts_and_only_local_staff_deliver(
    zhejiang, django_capture_on_commit_callbacks
):
    enterprise = registry_enterprise("330100")
    member = enterprise_user(enterprise)
    publish(PolicyFactory(created_by=zhejiang), zhejiang, django_capture_on_commit_callbacks)
    grant = PolicyGrant.objects.get()
    outsider = enterprise_user(registry_enterprise("330100"))
    with pytest.raises(DomainError):
        services.confirm_bank_details(
            grant, actor=outsider, account_name="a", bank_name="b", account_number="622200001111"
        )
    grant = services.confirm_bank_details(
        grant, actor=member, account_name="a", bank_name="b", account_number="622200001111"
    )
    with pytest.raises(DomainError):
        services.deliver_grant(grant, actor=BureauUserFactory(region=region("330200")))
    grant = services.deliver_grant(
        grant, actor=BureauUserFactory(region=region("330100")), note="已拨付"
    )
    assert (grant.status, grant.delivery_note) == ("delivered", "已拨付")
    assert grant.delivered_at is not None


def test_update_only_a_draft(zhejiang, django_capture_on_commit_callbacks):
    policy = PolicyFactory(created_by=zhejiang)
    policy = services.update_policy(policy, actor=zhejiang, title="算力券（2026）")
    assert policy.title == "算力券（2026）"
    publish(policy, zhejiang, django_capture_on_commit_callbacks)
    with pytest.raises(DomainError):
        services.update_policy(policy, actor=zhejiang, title="改")
    policy.refresh_from_db()
    assert policy.title == "算力券（2026）"


def test_nearly_qualified_shows_the_missing_condition(zhejiang, django_capture_on_commit_callbacks):
    enterprise = registry_enterprise("330100", revenue=Decimal("8000000"))
    two = {
        "all": [
            {"field": "revenue", "op": "gte", "value": 10_000_000},
            {"field": "employees", "op": "gte", "value": 50},
        ]
    }
    policy = publish(
        PolicyFactory(created_by=zhejiang, conditions=two),
        zhejiang,
        django_capture_on_commit_callbacks,
    )
    far = {
        "all": [
            {"field": "revenue", "op": "gte", "value": 10_000_000},
            {"field": "employees", "op": "gte", "value": 500},
        ]
    }
    publish(
        PolicyFactory(created_by=zhejiang, conditions=far),
        zhejiang,
        django_capture_on_commit_callbacks,
    )
    found = nearly_qualified(enterprise)
    assert [(p, m.text) for p, m in found] == [
        (policy, "营业收入 8,000,000.00 元 ≥ 10,000,000 元，不满足")
    ]


def test_preview_counts_registry_enterprises_in_the_jurisdiction():
    registry_enterprise("330100", name="A 数科公司", revenue=Decimal("20000000"))
    registry_enterprise("330200", name="B 数科公司", revenue=Decimal("30000000"))
    registry_enterprise("330200", revenue=Decimal("3000000"))
    registry_enterprise("110000", revenue=Decimal("30000000"))
    assert preview(TEN_MILLION, region("330000")) == {
        "count": 2,
        "sample": ["A 数科公司", "B 数科公司"],
    }
    assert preview(TEN_MILLION, region("330100")) == {"count": 1, "sample": ["A 数科公司"]}


def test_leaving_the_registry_lapses_an_open_grant(zhejiang, django_capture_on_commit_callbacks):
    enterprise = registry_enterprise("330100")
    policy = publish(
        PolicyFactory(created_by=zhejiang), zhejiang, django_capture_on_commit_callbacks
    )
    enterprise.registry_entry.delete()
    assert rematch_enterprise(enterprise) == {policy.pk: "lapsed"}
    assert match_policy(policy)["matched"] == 0


def test_an_enterprise_that_exited_is_no_longer_matched(
    zhejiang, django_capture_on_commit_callbacks
):
    enterprise = registry_enterprise("330100")
    policy = publish(
        PolicyFactory(created_by=zhejiang), zhejiang, django_capture_on_commit_callbacks
    )
    RegistryEntry.objects.filter(enterprise=enterprise).update(
        status="exited", left_on=datetime.date(2026, 6, 1)
    )
    assert rematch_enterprise(enterprise) == {policy.pk: "lapsed"}
    assert match_policy(policy)["matched"] == 0
    assert preview(TEN_MILLION, region("330100"))["count"] == 0


def test_match_task_twice_changes_nothing(zhejiang, django_capture_on_commit_callbacks):
    from policies.tasks import match_policy_task

    registry_enterprise("330100")
    publish(PolicyFactory(created_by=zhejiang), zhejiang, django_capture_on_commit_callbacks)
    run = PolicyMatchRun.objects.get()
    events = AuditEvent.objects.count()
    assert match_policy_task(run_id=run.pk) == run.summary
    assert (PolicyGrant.objects.count(), AuditEvent.objects.count()) == (1, events)


def test_expired_policy_grants_lapse_daily(zhejiang, django_capture_on_commit_callbacks):
    from policies.services.matching import lapse_expired

    enterprise = registry_enterprise("330100")
    publish(PolicyFactory(created_by=zhejiang), zhejiang, django_capture_on_commit_callbacks)
    assert lapse_expired(as_of=datetime.date(2027, 12, 31)) == 0  # still valid that day
    assert lapse_expired(as_of=datetime.date(2028, 1, 1)) == 1
    assert PolicyGrant.objects.get(enterprise=enterprise).status == "lapsed"
    assert lapse_expired(as_of=datetime.date(2028, 1, 2)) == 0  # nothing open any more


def test_moving_out_of_the_policy_area_lapses_its_grant(
    zhejiang, django_capture_on_commit_callbacks
):
    from registry.services import update_enterprise

    enterprise = registry_enterprise("330100")
    publish(PolicyFactory(created_by=zhejiang), zhejiang, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        update_enterprise(enterprise, actor=AdminUserFactory(), region=region("320100"))
    assert PolicyGrant.objects.get(enterprise=enterprise).status == "lapsed"


def test_policy_published_ahead_of_its_start_is_matched_when_it_begins(
    zhejiang, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from policies.services.matching import start_policies_coming_into_force

    enterprise = registry_enterprise("330100")
    today = timezone.localdate()
    policy = PolicyFactory(created_by=zhejiang, valid_from=today + datetime.timedelta(days=1))
    publish(policy, zhejiang, django_capture_on_commit_callbacks)
    assert PolicyGrant.objects.count() == 0  # not in force: nobody matched
    assert start_policies_coming_into_force() == 0  # and not yet begun
    # The start date comes: the run of the publication day was before it.
    Policy.objects.filter(pk=policy.pk).update(valid_from=today)
    PolicyMatchRun.objects.update(created_at=timezone.now() - datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert start_policies_coming_into_force() == 1
    assert PolicyGrant.objects.get().enterprise == enterprise
    with django_capture_on_commit_callbacks(execute=True):
        assert start_policies_coming_into_force() == 0  # once
    assert PolicyMatchRun.objects.count() == 2


def test_publish_page_says_a_future_policy_matches_from_its_start_date(client, zhejiang):
    from django.utils import timezone

    registry_enterprise("330100", revenue=Decimal("20000000"))
    start = timezone.localdate() + datetime.timedelta(days=30)
    policy = PolicyFactory(created_by=zhejiang, conditions=TEN_MILLION, valid_from=start)
    client.force_login(zhejiang)
    page = client.get(f"/policies/{policy.pk}/publish/").content.decode()
    assert f"本政策 {start:%Y-%m-%d} 起生效：在此之前发布也不会匹配企业" in page
    current = PolicyFactory(created_by=zhejiang, conditions=TEN_MILLION)
    assert "起生效" not in client.get(f"/policies/{current.pk}/publish/").content.decode()
