"""Scenario services: publishers, the scenario state machine, revisions, the deadline."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from config.errors import DomainError
from notifications.models import Notification
from scenarios.models import Publisher, Scenario, ScenarioRevision, ScenarioStatus
from scenarios.services import publishers as publisher_services
from scenarios.services import scenarios as scenario_services
from scenarios.tasks import close_due_scenarios_task
from tests.factories import BureauUserFactory, enterprise_user, region, registry_enterprise
from tests.scenarios.factories import (
    approved_publisher,
    city_staff,
    make_response,
    make_scenario,
    publisher_user,
    scenario_values,
)

pytestmark = pytest.mark.django_db


def test_publisher_apply_then_staff_of_its_jurisdiction_approve_audited():
    user, staff = publisher_user(), city_staff()
    publisher = publisher_services.apply_publisher(
        actor=user, kind="government", jurisdiction=region("330100")
    )
    assert publisher.status == "applied"
    assert Notification.objects.filter(recipient=staff).count() == 1
    approved = publisher_services.approve_publisher(publisher, actor=staff)
    assert approved.status == "approved" and approved.decided_by == staff
    actions = list(
        AuditEvent.objects.filter(
            object_id=str(publisher.pk), action__startswith="scenario_publisher"
        )
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["scenario_publisher.applied", "scenario_publisher.approved"]


def test_publisher_approval_refused_to_staff_of_another_city_and_nothing_changes():
    user = publisher_user()
    publisher = publisher_services.apply_publisher(
        actor=user, kind="soe", jurisdiction=region("330100")
    )
    ningbo = BureauUserFactory(region=region("330200"))
    with pytest.raises(DomainError):
        publisher_services.approve_publisher(publisher, actor=ningbo)
    assert Publisher.objects.get(pk=publisher.pk).status == "applied"


def test_a_rejected_publisher_applies_again_and_an_applied_one_cannot():
    user, staff = publisher_user(), city_staff()
    publisher = publisher_services.apply_publisher(
        actor=user, kind="soe", jurisdiction=region("330100")
    )
    with pytest.raises(DomainError):
        publisher_services.apply_publisher(actor=user, kind="soe", jurisdiction=region("330100"))
    publisher_services.reject_publisher(publisher, actor=staff, reason="材料不全")
    again = publisher_services.apply_publisher(
        actor=user, kind="platform", jurisdiction=region("330100")
    )
    assert (again.status, again.kind) == ("applied", "platform")


def test_an_unapproved_publisher_cannot_open_a_list():
    user = publisher_user()
    publisher = publisher_services.apply_publisher(
        actor=user, kind="soe", jurisdiction=region("330100")
    )
    with pytest.raises(DomainError):
        scenario_services.create_list(actor=user, publisher=publisher, title="2026年第一批")
    assert not publisher.lists.exists()


def test_scenario_draft_submit_return_resubmit_publish_close():
    publisher, user, staff = approved_publisher()
    scenario = make_scenario(publisher, user, staff, status=ScenarioStatus.SUBMITTED)
    returned = scenario_services.return_scenario(scenario, actor=staff, reason="预算区间过宽")
    assert (returned.status, returned.return_reason) == ("draft", "预算区间过宽")
    scenario_services.update_scenario(returned, actor=user, budget_max=returned.budget_min)
    resubmitted = scenario_services.submit_scenario(returned, actor=user)
    assert (resubmitted.status, resubmitted.return_reason) == ("submitted", "")
    published = scenario_services.publish_scenario(resubmitted, actor=staff)
    assert published.status == "published" and published.published_at is not None
    closed = scenario_services.close_scenario(published, actor=user)
    assert closed.status == "closed"
    assert not ScenarioRevision.objects.filter(scenario=scenario).exists()


@pytest.mark.parametrize(
    ("status", "step"),
    [
        ("draft", "publish"),
        ("published", "submit"),
        ("closed", "publish"),
        ("draft", "close"),
    ],
)
def test_illegal_scenario_moves_are_refused_and_nothing_changes(status, step):
    publisher, user, staff = approved_publisher()
    scenario = make_scenario(publisher, user, staff, status=status)
    call = {
        "publish": lambda: scenario_services.publish_scenario(scenario, actor=staff),
        "submit": lambda: scenario_services.submit_scenario(scenario, actor=user),
        "close": lambda: scenario_services.close_scenario(scenario, actor=user),
    }[step]
    with pytest.raises(DomainError):
        call()
    assert Scenario.objects.get(pk=scenario.pk).status == status


def test_only_staff_of_the_list_jurisdiction_review_a_scenario():
    publisher, user, staff = approved_publisher()
    scenario = make_scenario(publisher, user, staff, status=ScenarioStatus.SUBMITTED)
    for outsider in (BureauUserFactory(region=region("330000")), user):
        with pytest.raises(DomainError):
            scenario_services.publish_scenario(scenario, actor=outsider)
    assert Scenario.objects.get(pk=scenario.pk).status == "submitted"


def test_a_change_to_a_published_scenario_is_kept_as_a_revision_and_responders_told():
    publisher, user, staff = approved_publisher()
    scenario = make_scenario(publisher, user, staff)
    enterprise = registry_enterprise("330100")
    member = enterprise_user(enterprise)
    make_response(scenario, member, enterprise)
    scenario_services.update_scenario(scenario, actor=user, requirements="须有政务项目经验。")
    revision = ScenarioRevision.objects.get(scenario=scenario)
    assert revision.changed_by == user
    assert revision.changes == {
        "requirements": {"before": "具备城市级数据治理经验。", "after": "须有政务项目经验。"}
    }
    assert Notification.objects.filter(recipient=member, title__contains="已更新").count() == 1


def test_a_draft_edit_keeps_no_revision_and_a_closed_scenario_cannot_be_edited():
    publisher, user, staff = approved_publisher()
    draft = make_scenario(publisher, user, staff, status="draft")
    scenario_services.update_scenario(draft, actor=user, title="新标题")
    assert not ScenarioRevision.objects.exists()
    closed = make_scenario(publisher, user, staff, status="closed")
    with pytest.raises(DomainError):
        scenario_services.update_scenario(closed, actor=user, title="改不了")
    assert Scenario.objects.get(pk=closed.pk).title != "改不了"


def test_a_scenario_with_an_invalid_budget_range_or_condition_is_refused():
    publisher, user, staff = approved_publisher()
    scenario_list = scenario_services.create_list(actor=user, publisher=publisher, title="清单")
    with pytest.raises(DomainError) as budget:
        scenario_services.create_scenario(
            actor=user, scenario_list=scenario_list,
            **scenario_values(budget_min=100, budget_max=10),
        )  # fmt: skip
    assert budget.value.field == "budget_max"
    with pytest.raises(DomainError) as rule:
        scenario_services.create_scenario(
            actor=user, scenario_list=scenario_list,
            **scenario_values(conditions={"field": "nonsense", "op": "eq", "value": 1}),
        )  # fmt: skip
    assert rule.value.field == "conditions"
    assert not Scenario.objects.exists()


def test_the_beat_closes_scenarios_whose_deadline_day_is_over_once(monkeypatch):
    publisher, user, staff = approved_publisher()
    due = make_scenario(publisher, user, staff)
    later = make_scenario(
        publisher, user, staff, deadline=timezone.localdate() + datetime.timedelta(days=60)
    )
    tomorrow_after_deadline = due.deadline + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow_after_deadline)
    assert close_due_scenarios_task.delay().get() == 1
    assert close_due_scenarios_task.delay().get() == 0
    assert Scenario.objects.get(pk=due.pk).status == "closed"
    assert Scenario.objects.get(pk=later.pk).status == "published"
    event = AuditEvent.objects.get(object_id=str(due.pk), action="scenario.closed")
    assert event.actor is None


def test_the_beat_is_registered(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["scenarios-close-due"]
    assert entry["task"] == "scenarios.close_due_scenarios"
