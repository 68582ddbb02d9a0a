"""The publisher awards one or more responses of a closed scenario (the others are told
politely); a purchase of a 数创企业's new product is a first purchase (首购首用), checked
against the subsidy rule, decided by staff and listed in the catalogue of innovative
products (创新产品推荐目录)."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from audit.services import record_event
from config.errors import DomainError
from config.text_limits import fit_text
from config.workflow import apply_transition
from notifications.messages import Message
from notifications.services import notify
from registry.choices import EntryStatus
from registry.models import RegistryEntry
from scenarios.models import (
    FIRST_PURCHASE_TRANSITIONS,
    OPEN_RESPONSE_STATES,
    RESPONSE_TRANSITIONS,
    SCENARIO_TRANSITIONS,
    Award,
    AwardForm,
    CaseStatus,
    CatalogueEntry,
    FirstPurchase,
    FirstPurchaseDecision,
    Outcome,
    Response,
    ResponseStatus,
    Scenario,
    ScenarioStatus,
    TypicalCase,
)
from scenarios.permissions import acts_for_publisher, can_decide_first_purchase
from scenarios.services.notices import enterprise_users, jurisdiction_staff, publisher_users

CENT = Decimal("0.01")
AWARD_FIELDS = ("form", "amount", "starts_on", "ends_on", "product_name", "new_product")


def subsidy_rule() -> dict[str, Decimal]:
    """The configured first-purchase subsidy rule: a share of the contract, capped."""
    return {
        "ratio": Decimal(settings.SCENARIO_FIRST_PURCHASE_RATIO),
        "cap": Decimal(settings.SCENARIO_FIRST_PURCHASE_CAP).quantize(CENT),
    }


def check_first_purchase(enterprise, product_name, amount, *, rule=None, exclude=None):
    """(eligible, explanation, subsidy) for buying `product_name` of `enterprise` for
    `amount` yuan. Eligible: a 数创企业 (in the registry), the product never bought
    through a scenario before, a positive amount. The subsidy is ratio × amount, at most
    the cap, in cents. The explanation is data: rule, field, op, expected, actual, held."""
    rule = rule or subsidy_rule()
    in_registry = RegistryEntry.objects.filter(
        enterprise=enterprise, status=EntryStatus.ACTIVE
    ).exists()
    earlier = FirstPurchase.objects.filter(enterprise=enterprise, product_name=product_name)
    if exclude is not None:
        earlier = earlier.exclude(pk=exclude)
    first = not earlier.exists()
    raw = (amount * rule["ratio"]).quantize(CENT, rounding=ROUND_HALF_UP)
    explanation = [
        {"rule": "in_registry", "field": "registry", "op": "eq", "expected": True,
         "actual": in_registry, "held": in_registry},
        {"rule": "first_purchase", "field": "product", "op": "eq", "expected": 0,
         "actual": earlier.count(), "held": first},
        {"rule": "positive_amount", "field": "amount", "op": "gt", "expected": "0.00",
         "actual": str(amount), "held": amount > 0},
        {"rule": "subsidy_cap", "field": "subsidy", "op": "lte", "expected": str(rule["cap"]),
         "actual": str(raw), "held": raw <= rule["cap"]},
    ]  # fmt: skip
    eligible = in_registry and first and amount > 0
    subsidy = min(raw, rule["cap"]) if eligible else Decimal("0.00")
    return eligible, explanation, subsidy


def _award_values(values):
    values = {k: values.get(k) for k in AWARD_FIELDS}
    if values["form"] not in AwardForm.values:
        raise DomainError(_("请选择有效的揭榜形式。"), field="form")
    if values["amount"] is None or values["amount"] < 0:
        raise DomainError(_("金额不能为负数。"), field="amount")
    if not values["starts_on"] or not values["ends_on"]:
        raise DomainError(_("请填写开始和结束日期。"), field="starts_on")
    if values["ends_on"] < values["starts_on"]:
        raise DomainError(_("结束日期不能早于开始日期。"), field="ends_on")
    values["product_name"] = fit_text(Award, "product_name", values["product_name"] or "")
    values["new_product"] = bool(values["new_product"])
    if values["new_product"] and (
        values["form"] != AwardForm.PURCHASE or not values["product_name"]
    ):
        raise DomainError(
            _("首次采购的创新产品须以“采购”形式揭榜，并填写产品或服务名称。"),
            field="product_name",
        )
    return values


def award_responses(scenario, *, actor, awards) -> list[Award]:
    """Award the closed scenario: `awards` is a list of dicts, each a `response` and its
    AWARD_FIELDS. Every other open response is not awarded and told politely.

    Refusals: not the publisher's user; scenario not closed; no award; a response not of
    this scenario or not open; invalid values.
    Side effects: Award rows; responses awarded / not awarded (audited on each
    enterprise's timeline); scenario `awarded`; a FirstPurchase (and its check) for each
    new-product purchase; the winners, the others and the jurisdiction's staff notified.
    """
    if not acts_for_publisher(actor, scenario.scenario_list.publisher):
        raise DomainError(_("只有场景所属的发布方可以确定揭榜结果。"))
    if not awards:
        raise DomainError(_("请至少选择一份中选方案。"))
    checked = [(entry["response"], _award_values(entry)) for entry in awards]
    today = timezone.localdate()
    created = []
    with transaction.atomic():
        locked = Scenario.objects.select_for_update().get(pk=scenario.pk)
        if locked.status != ScenarioStatus.CLOSED:
            raise DomainError(_("场景截止响应后才能确定揭榜结果。"))
        winners = set()
        for response, values in checked:
            if response.scenario_id != locked.pk or response.status not in OPEN_RESPONSE_STATES:
                raise DomainError(_("只能从本场景有效的响应方案中选择。"))
            if response.pk in winners:
                raise DomainError(_("同一方案不能重复中选。"))
            winners.add(response.pk)
            apply_transition(
                response, ResponseStatus.AWARDED, transitions=RESPONSE_TRANSITIONS,
                actor=actor, action_prefix="scenario_response", refused=_("方案状态已变化。"),
            )  # fmt: skip
            award = Award.objects.create(response=response, awarded_by=actor, **values)
            record_event(
                actor=actor, action="scenario_award.created", obj=award,
                enterprise=response.enterprise,
                after={"form": award.form, "amount": str(award.amount)},
            )  # fmt: skip
            if award.new_product:
                _record_first_purchase(award, locked, actor=actor, on=today)
            created.append(award)
        others = list(
            locked.responses.filter(status__in=OPEN_RESPONSE_STATES).exclude(pk__in=winners)
        )
        for response in others:
            apply_transition(
                response, ResponseStatus.NOT_AWARDED, transitions=RESPONSE_TRANSITIONS,
                actor=actor, action_prefix="scenario_response", refused=_("方案状态已变化。"),
            )  # fmt: skip
        apply_transition(
            locked, ScenarioStatus.AWARDED, transitions=SCENARIO_TRANSITIONS, actor=actor,
            action_prefix="scenario", refused=_("场景当前为“%(now)s”，不能改为“%(new)s”。"),
        )  # fmt: skip
        winner_ids = [a.response.enterprise_id for a in created]
        notify(
            enterprise_users(winner_ids),
            title=Message(N_("恭喜！您的方案已中选：%(t)s"), t=locked.title),
        )
        notify(
            enterprise_users([r.enterprise_id for r in others]),
            title=Message(N_("感谢参与：%(t)s"), t=locked.title),
            body=Message(
                N_(
                    "感谢贵单位对本场景的积极响应。经综合评估，本次未能选用贵单位的方案，"
                    "期待今后继续合作。"
                )
            ),  # fmt: skip
        )
    return created


def _record_first_purchase(award, scenario, *, actor, on):
    response = award.response
    rule = subsidy_rule()
    eligible, explanation, subsidy = check_first_purchase(
        response.enterprise, award.product_name, award.amount, rule=rule
    )
    purchase = FirstPurchase.objects.create(
        award=award, enterprise=response.enterprise, buyer=scenario.scenario_list.publisher,
        product_name=award.product_name, amount=award.amount, purchased_on=award.starts_on,
        rule={k: str(v) for k, v in rule.items()}, eligible=eligible,
        explanation=explanation, subsidy=subsidy,
    )  # fmt: skip
    record_event(
        actor=actor, action="scenario_first_purchase.created", obj=purchase,
        enterprise=response.enterprise,
        after={"eligible": eligible, "subsidy": str(subsidy)},
    )  # fmt: skip
    if eligible:
        notify(
            jurisdiction_staff(scenario.scenario_list.jurisdiction_id),
            title=Message(N_("首购首用记录待确认：%(p)s"), p=purchase.product_name),
        )
    return purchase


def decide_first_purchase(purchase, *, actor, confirm, reason="") -> FirstPurchase:
    """Staff of the buyer's jurisdiction confirm an eligible record (the product enters the
    catalogue) or refuse it with a reason.

    Refusals: not staff there; not eligible; already decided; refusal without reason.
    Side effects: audit `scenario_first_purchase.<decision>`; a CatalogueEntry on confirm;
    the enterprise and the publisher notified.
    """
    if not can_decide_first_purchase(actor, purchase):
        raise DomainError(_("只有采购方所属辖区的数据管理部门可以确认首购首用记录。"))
    if not purchase.eligible:
        raise DomainError(_("该记录不符合首购补贴条件，不能确认。"))
    reason = (reason or "").strip()[:500]
    if not confirm and not reason:
        raise DomainError(_("请填写不予确认的理由。"), field="reason")
    new = FirstPurchaseDecision.CONFIRMED if confirm else FirstPurchaseDecision.REJECTED
    with transaction.atomic():
        decided = apply_transition(
            purchase, new, transitions=FIRST_PURCHASE_TRANSITIONS, actor=actor,
            action_prefix="scenario_first_purchase", state_field="decision",
            refused=_("首购首用记录当前为“%(now)s”，不能改为“%(new)s”。"), message=reason,
            decided_by=actor,
        )  # fmt: skip
        if confirm:
            CatalogueEntry.objects.get_or_create(
                enterprise=decided.enterprise, product_name=decided.product_name,
                defaults={"first_purchase": decided},
            )  # fmt: skip
        notify(
            [*enterprise_users([decided.enterprise_id]), *publisher_users(decided.buyer)],
            title=Message(
                N_("首购首用记录审核结果：%(d)s"), d=FirstPurchaseDecision(decided.decision).label
            ),
            body=reason,
        )
    return decided


def report_outcome(award, *, actor, outcome, progress="") -> Award:
    """The publisher reports progress and the result (continuing / succeeded / failed).

    Refusals: not the publisher's user; an invalid outcome; moving a published typical
    case's award away from succeeded.
    Side effects: audit `scenario_award.outcome` on the enterprise's timeline.
    """
    response = award.response
    if not acts_for_publisher(actor, response.scenario.scenario_list.publisher):
        raise DomainError(_("只有场景所属的发布方可以报告实施结果。"))
    if outcome not in Outcome.values:
        raise DomainError(_("请选择有效的实施结果。"), field="outcome")
    progress = (progress or "").strip()
    if len(progress) > Award._meta.get_field("progress").max_length:
        raise DomainError(_("进展说明过长。"), field="progress")
    with transaction.atomic():
        locked = Award.objects.select_for_update().get(pk=award.pk)
        if (
            outcome != Outcome.SUCCEEDED
            and TypicalCase.objects.filter(award=locked, status=CaseStatus.PUBLISHED).exists()
        ):
            raise DomainError(_("该项目已列为典型案例，请先由数据管理部门撤下案例。"))
        before = {"outcome": locked.outcome}
        locked.outcome, locked.progress = outcome, progress
        locked.save(update_fields=["outcome", "progress", "updated_at"])
        record_event(actor=actor, action="scenario_award.outcome", obj=locked,
                     enterprise=response.enterprise, before=before,
                     after={"outcome": outcome}, message=progress[:500])  # fmt: skip
    return locked


def responses_of(scenario):
    return Response.objects.filter(scenario=scenario)
