"""The recommendation job: stored matches, one notification per enterprise per batch, a
rerun that notifies nobody, progress on the run, and a refresh when facts change."""

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from notifications.models import Notification
from registry.models import RegistryEntry
from registry.signals import announce_facts_changed
from scenarios.models import Recommendation, RecommendationRun
from scenarios.services import recommendations
from tests.factories import enterprise_user, registry_enterprise
from tests.scenarios.factories import approved_publisher, make_scenario

pytestmark = pytest.mark.django_db


def _batch(publisher, user, staff, n=2):
    """A list whose n scenarios staff published (the job runs after each commit)."""
    first = make_scenario(publisher, user, staff, status="submitted")
    others = [
        make_scenario(publisher, user, staff, status="submitted",
                      scenario_list=first.scenario_list)
        for _ in range(n - 1)
    ]  # fmt: skip
    return first.scenario_list, [first, *others]


def _titles(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", "body"))


def test_published_batch_notifies_each_matching_enterprise_once_listing_its_scenarios(
    django_capture_on_commit_callbacks,
):
    from scenarios.services import scenarios as scenario_services

    publisher, user, staff = approved_publisher()
    fit = registry_enterprise("330100", tier="growth", industry="03", category="tech")
    unfit = registry_enterprise("440300", industry="01", category="data")
    member, other = enterprise_user(fit), enterprise_user(unfit)
    scenario_list, scenarios = _batch(publisher, user, staff)
    # Publishing both in one go (as staff do a batch): one job run after the commit.
    with django_capture_on_commit_callbacks(execute=True):
        for scenario in scenarios:
            scenario_services.publish_scenario(scenario, actor=staff)
    run = RecommendationRun.objects.get(scenario_list=scenario_list)
    assert (run.status, run.processed, run.total) == ("done", 2, 2)
    assert run.summary == {"scenarios": 2, "recommended": 2, "notified": 1}
    assert set(Recommendation.objects.values_list("enterprise_id", "score")) == {(fit.pk, 67)}
    [(title, body)] = _titles(member)
    assert title == "为您推荐 2 个应用场景"
    assert body.splitlines() == [s.title for s in scenarios]
    assert _titles(other) == []
    assert AuditEvent.objects.filter(action="scenario_list.recommending").count() == 1
    # The same batch again: nobody is told twice, the stored rows are the same.
    again = recommendations.run_recommendations(
        RecommendationRun.objects.create(scenario_list=scenario_list)
    )
    assert again.summary["notified"] == 0
    assert len(_titles(member)) == 1
    assert Recommendation.objects.count() == 2


def test_item_added_to_live_list_tells_only_about_the_new_item(django_capture_on_commit_callbacks):
    publisher, user, staff = approved_publisher()
    fit = registry_enterprise("330100", industry="03", category="tech")
    member = enterprise_user(fit)
    with django_capture_on_commit_callbacks(execute=True):
        first = make_scenario(publisher, user, staff)
    with django_capture_on_commit_callbacks(execute=True):
        added = make_scenario(publisher, user, staff, scenario_list=first.scenario_list,
                              title="新增数据赋能场景")  # fmt: skip
    assert [t for t, _b in _titles(member)] == ["为您推荐 1 个应用场景"] * 2
    assert Notification.objects.filter(recipient=member).order_by("-id")[0].body == added.title


def test_facts_changed_refreshes_and_notifies_the_enterprise(django_capture_on_commit_callbacks):
    publisher, user, staff = approved_publisher()
    scenario = make_scenario(publisher, user, staff)
    # Not a fit yet (another industry, category and province): 4 points.
    moving = registry_enterprise("440300", industry="01", category="data")
    member = enterprise_user(moving)
    recommendations.refresh_for_enterprises([moving.pk])
    assert not Recommendation.objects.exists()
    type(moving).objects.filter(pk=moving.pk).update(industry="03", category="tech")
    with django_capture_on_commit_callbacks(execute=True):
        announce_facts_changed([moving.pk])
    rec = Recommendation.objects.get()
    assert (rec.enterprise, rec.scenario, rec.score) == (moving, scenario, 49)
    assert rec.notified_at is not None
    assert [t for t, _b in _titles(member)] == ["为您推荐 1 个应用场景"]
    # Told once: a second change with the same result tells nobody.
    with django_capture_on_commit_callbacks(execute=True):
        announce_facts_changed([moving.pk])
    assert len(_titles(member)) == 1

    # Out of the registry: recommended nothing any more.
    RegistryEntry.objects.filter(enterprise=moving).update(
        status="exited", left_on=timezone.localdate()
    )
    recommendations.refresh_for_enterprises([moving.pk])
    assert not Recommendation.objects.exists()
