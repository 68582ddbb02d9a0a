"""Responses: one per enterprise, editable until the deadline, private to the three
parties; awards with the polite notice; the first-purchase rule on both sides of its limits."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.errors import DomainError
from notifications.models import Notification
from scenarios.models import (
    Award,
    CatalogueEntry,
    FirstPurchase,
    Response,
    ResponseMessage,
    Scenario,
)
from scenarios.services import awards as award_services
from scenarios.services import responses as response_services
from scenarios.services import scenarios as scenario_services
from tests.factories import (
    AdminUserFactory,
    BureauUserFactory,
    EnterpriseFactory,
    enterprise_user,
    region,
    registry_enterprise,
)
from tests.scenarios.factories import (
    approved_publisher,
    award,
    award_values,
    make_response,
    make_scenario,
    publisher_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    publisher, user, staff = approved_publisher()
    scenario = make_scenario(publisher, user, staff)
    enterprise = registry_enterprise("330100", tier="growth")
    member = enterprise_user(enterprise)
    return {"publisher": publisher, "user": user, "staff": staff, "scenario": scenario,
            "enterprise": enterprise, "member": member}  # fmt: skip


def test_one_response_per_enterprise_per_scenario_in_service_and_database(world):
    make_response(world["scenario"], world["member"], world["enterprise"])
    with pytest.raises(DomainError):
        make_response(world["scenario"], world["member"], world["enterprise"], price=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            scenario=world["scenario"], enterprise=world["enterprise"], summary="s",
            approach="a", price=1, timeline="t", submitted_by=world["member"],
        )  # fmt: skip
    assert Response.objects.get().price == Decimal("1200000.00")


def test_a_response_is_editable_until_the_deadline_then_locked(world, monkeypatch):
    response = make_response(world["scenario"], world["member"], world["enterprise"])
    deadline = world["scenario"].deadline
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: deadline)
    edited = response_services.update_response(response, actor=world["member"], price=Decimal(9))
    assert edited.price == Decimal("9.00")
    monkeypatch.setattr(
        timezone, "localdate", lambda *a, **k: deadline + datetime.timedelta(days=1)
    )
    with pytest.raises(DomainError):
        response_services.update_response(response, actor=world["member"], price=Decimal(1))
    late = registry_enterprise("330100")
    with pytest.raises(DomainError):
        make_response(world["scenario"], enterprise_user(late), late)
    assert Response.objects.get(pk=response.pk).price == Decimal("9.00")


def test_a_closed_scenario_takes_no_response_and_no_withdrawal(world):
    response = make_response(world["scenario"], world["member"], world["enterprise"])
    scenario_services.close_scenario(world["scenario"], actor=world["user"])
    with pytest.raises(DomainError):
        response_services.withdraw_response(response, actor=world["member"])
    assert Response.objects.get(pk=response.pk).status == "submitted"


def test_a_condition_in_the_language_refuses_with_the_explanation(world):
    scenario = make_scenario(
        world["publisher"], world["user"], world["staff"],
        conditions={"field": "tier", "op": "in", "value": ["growth", "leading"]},
    )  # fmt: skip
    make_response(scenario, world["member"], world["enterprise"])  # growth: meets it
    low = registry_enterprise("330100", tier="potential")
    with pytest.raises(DomainError) as refused:
        make_response(scenario, enterprise_user(low), low)
    assert "培育层级" in str(refused.value) and "潜力型" in str(refused.value)
    assert Response.objects.filter(scenario=scenario).count() == 1


def test_responses_are_seen_only_by_the_enterprise_the_publisher_and_jurisdiction_staff(world):
    response = make_response(world["scenario"], world["member"], world["enterprise"])
    other_enterprise = registry_enterprise("330100")
    other_publisher_user = approved_publisher()[1]

    def sees(user):
        return Response.objects.visible_to(user).filter(pk=response.pk).exists()

    assert sees(world["member"]) and sees(world["user"]) and sees(world["staff"])
    assert sees(BureauUserFactory(region=region("330000"))) and sees(AdminUserFactory())
    assert not sees(enterprise_user(other_enterprise))
    assert not sees(other_publisher_user)
    assert not sees(publisher_user())  # an unapproved one of another organisation
    assert not sees(BureauUserFactory(region=region("330200")))


def test_the_thread_notifies_the_other_side(world):
    response = make_response(world["scenario"], world["member"], world["enterprise"])
    response_services.post_message(response, actor=world["user"], body="能否提供部署方案？")
    response_services.post_message(response, actor=world["member"], body="可以，见附件。")
    assert ResponseMessage.objects.filter(response=response).count() == 2
    assert (
        Notification.objects.filter(recipient=world["member"], title__contains="留言").count() == 1
    )
    outsider = enterprise_user(registry_enterprise("330100"))
    with pytest.raises(DomainError):
        response_services.post_message(response, actor=outsider, body="我也想问")
    assert ResponseMessage.objects.filter(response=response).count() == 2


def test_award_moves_everything_and_tells_the_others_politely(world):
    scenario = world["scenario"]
    winner = make_response(scenario, world["member"], world["enterprise"])
    loser_enterprise = registry_enterprise("330100")
    loser_member = enterprise_user(loser_enterprise)
    loser = make_response(scenario, loser_member, loser_enterprise)
    response_services.shortlist_response(winner, actor=world["user"])
    with pytest.raises(DomainError):  # not before the scenario is closed
        award(scenario, world["user"], winner)
    scenario_services.close_scenario(scenario, actor=world["user"])
    made = award(scenario, world["user"], winner, new_product=False, product_name="")
    assert Scenario.objects.get(pk=scenario.pk).status == "awarded"
    assert Response.objects.get(pk=winner.pk).status == "awarded"
    assert Response.objects.get(pk=loser.pk).status == "not_awarded"
    assert made.form == "purchase" and not FirstPurchase.objects.exists()
    polite = Notification.objects.get(recipient=loser_member, title__startswith="感谢参与")
    assert "感谢贵单位" in polite.body
    assert Notification.objects.filter(recipient=world["member"], title__startswith="恭喜").exists()


def test_only_the_publisher_awards(world):
    response = make_response(world["scenario"], world["member"], world["enterprise"])
    scenario_services.close_scenario(world["scenario"], actor=world["user"])
    with pytest.raises(DomainError):
        award(world["scenario"], approved_publisher()[1], response)
    assert not Award.objects.exists()


@pytest.mark.parametrize(
    ("amount", "subsidy"),
    [
        (Decimal("2999990.00"), Decimal("299999.00")),  # below the cap: 10 %
        (Decimal("3000000.00"), Decimal("300000.00")),  # exactly at the cap
        (Decimal("3000010.00"), Decimal("300000.00")),  # above: capped
    ],
)
def test_first_purchase_subsidy_is_ten_percent_capped_at_three_hundred_thousand(amount, subsidy):
    enterprise = registry_enterprise("330100")
    eligible, explanation, computed = award_services.check_first_purchase(
        enterprise, "新产品", amount
    )
    assert eligible and computed == subsidy
    cap = next(e for e in explanation if e["rule"] == "subsidy_cap")
    assert cap["held"] is (amount <= Decimal("3000000.00"))


def test_first_purchase_rule_is_configurable(settings):
    settings.SCENARIO_FIRST_PURCHASE_RATIO = "0.20"
    settings.SCENARIO_FIRST_PURCHASE_CAP = "100000"
    enterprise = registry_enterprise("330100")
    assert award_services.check_first_purchase(enterprise, "p", Decimal("400000"))[2] == Decimal(
        "80000.00"
    )
    assert award_services.check_first_purchase(enterprise, "p", Decimal("600000"))[2] == Decimal(
        "100000.00"
    )


def test_first_purchase_needs_a_registry_enterprise_and_a_positive_amount():
    outside = EnterpriseFactory(region=region("330100"))
    eligible, explanation, subsidy = award_services.check_first_purchase(
        outside, "p", Decimal("100")
    )
    assert (eligible, subsidy) == (False, Decimal("0.00"))
    assert [e["rule"] for e in explanation if not e["held"]] == ["in_registry"]
    inside = registry_enterprise("330100")
    zero = award_services.check_first_purchase(inside, "p", Decimal("0"))
    assert zero[0] is False
    assert award_services.check_first_purchase(inside, "p", Decimal("0.01"))[0] is True


def test_a_new_product_purchase_creates_the_record_staff_confirm_it_into_the_catalogue(world):
    response = make_response(world["scenario"], world["member"], world["enterprise"])
    scenario_services.close_scenario(world["scenario"], actor=world["user"])
    made = award(world["scenario"], world["user"], response)
    purchase = FirstPurchase.objects.get(award=made)
    assert (purchase.eligible, purchase.subsidy, purchase.decision) == (
        True, Decimal("100000.00"), "pending",
    )  # fmt: skip
    assert purchase.rule == {"ratio": "0.10", "cap": "300000.00"}
    with pytest.raises(DomainError):
        award_services.decide_first_purchase(
            purchase, actor=BureauUserFactory(region=region("330200")), confirm=True
        )
    confirmed = award_services.decide_first_purchase(purchase, actor=world["staff"], confirm=True)
    assert confirmed.decision == "confirmed"
    entry = CatalogueEntry.objects.get()
    assert (entry.enterprise, entry.product_name) == (world["enterprise"], "城市事件智能分拨系统")


def test_a_second_purchase_of_the_same_product_is_not_a_first_purchase(world):
    response = make_response(world["scenario"], world["member"], world["enterprise"])
    scenario_services.close_scenario(world["scenario"], actor=world["user"])
    award(world["scenario"], world["user"], response)
    again = make_scenario(world["publisher"], world["user"], world["staff"])
    second = make_response(again, world["member"], world["enterprise"])
    scenario_services.close_scenario(again, actor=world["user"])
    award(again, world["user"], second)
    later = FirstPurchase.objects.get(award__response=second)
    assert (later.eligible, later.subsidy) == (False, Decimal("0.00"))


def test_a_new_product_award_must_be_a_purchase(world):
    response = make_response(world["scenario"], world["member"], world["enterprise"])
    scenario_services.close_scenario(world["scenario"], actor=world["user"])
    with pytest.raises(DomainError):
        award_services.award_responses(
            world["scenario"], actor=world["user"],
            awards=[award_values(response, form="pilot")],
        )  # fmt: skip
    assert Scenario.objects.get(pk=world["scenario"].pk).status == "closed"


def test_outcome_is_reported_by_the_publisher(world):
    response = make_response(world["scenario"], world["member"], world["enterprise"])
    scenario_services.close_scenario(world["scenario"], actor=world["user"])
    made = award(world["scenario"], world["user"], response)
    done = award_services.report_outcome(
        made, actor=world["user"], outcome="succeeded", progress="已上线"
    )
    assert (done.outcome, done.progress) == ("succeeded", "已上线")
    with pytest.raises(DomainError):
        award_services.report_outcome(made, actor=world["member"], outcome="failed")
    assert Award.objects.get(pk=made.pk).outcome == "succeeded"
