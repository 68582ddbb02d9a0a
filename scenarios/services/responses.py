"""Enterprises respond to a published scenario (one response each, editable until the
deadline); the publisher shortlists; both sides talk in a thread per response."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from audit.services import record_event, snapshot
from conditions.explain import render_conditions
from config.constraint_messages import message_for
from config.errors import DomainError
from config.workflow import apply_transition
from notifications.messages import Message
from notifications.services import notify
from scenarios.models import (
    OPEN_RESPONSE_STATES,
    RESPONSE_TRANSITIONS,
    Response,
    ResponseMessage,
    ResponseStatus,
    Scenario,
    ScenarioStatus,
)
from scenarios.permissions import acts_for_enterprise, acts_for_publisher, can_review_scenario
from scenarios.services.eligibility import check_eligible, region_names
from scenarios.services.notices import enterprise_users, publisher_users

RESPONSE_FIELDS = ["summary", "approach", "price", "timeline", "references", "attachment"]
_REFUSED = _("响应方案当前为“%(now)s”，不能改为“%(new)s”。")


def _check_values(values):
    for field in ("summary", "approach", "timeline"):
        if not (values.get(field) or "").strip():
            raise DomainError(_("请填写此项。"), field=field)
    price = values.get("price")
    if price is None:
        raise DomainError(_("请填写报价。"), field="price")
    if price < 0:
        raise DomainError(str(message_for("scenario_response_price_non_negative")), field="price")


def _open_scenario(scenario) -> Scenario:
    locked = Scenario.objects.select_for_update().get(pk=scenario.pk)
    if not locked.accepts_responses():
        raise DomainError(_("该场景已截止响应或未在发布中，方案不能再提交或修改。"))
    return locked


def respond(scenario, *, actor, enterprise, **values) -> Response:
    """The enterprise answers a published scenario before its deadline (RESPONSE_FIELDS).

    Refusals: actor not a member of the enterprise; the scenario closed or not published;
    the enterprise fails the scenario's conditions (explained); it already responded.
    Side effects: audit `scenario_response.submitted` on the enterprise's timeline; the
    publisher notified.
    """
    if not acts_for_enterprise(actor, enterprise):
        raise DomainError(_("只有该企业的成员可以提交响应方案。"))
    if unknown := set(values) - set(RESPONSE_FIELDS):
        raise DomainError(_("不能填写这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    _check_values(values)
    failing = check_eligible(scenario, enterprise)
    if failing is not None:
        raise DomainError(
            _("不符合该场景的资格条件：%(c)s")
            % {"c": "；".join(render_conditions(failing, names=region_names()))}
        )
    with transaction.atomic():
        locked = _open_scenario(scenario)
        if Response.objects.filter(scenario=locked, enterprise=enterprise).exists():
            raise DomainError(str(message_for("scenario_response_one_per_enterprise")))
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    scenario=locked, enterprise=enterprise, submitted_by=actor, **values
                )
        except IntegrityError as exc:  # a concurrent twin got there first
            raise DomainError(str(message_for("scenario_response_one_per_enterprise"))) from exc
        record_event(
            actor=actor, action="scenario_response.submitted", obj=response,
            enterprise=enterprise, after={"scenario": locked.pk, "price": str(response.price)},
        )  # fmt: skip
        notify(
            publisher_users(locked.scenario_list.publisher),
            title=Message(N_("收到新的揭榜方案：%(t)s"), t=locked.title),
        )
    return response


def update_response(response, *, actor, **changes) -> Response:
    """The enterprise edits its response until the deadline, then it is locked.

    Refusals: not a member; scenario closed; response withdrawn or decided.
    Side effects: audit `scenario_response.updated` with before and after.
    """
    if not acts_for_enterprise(actor, response.enterprise):
        raise DomainError(_("只有该企业的成员可以修改响应方案。"))
    if unknown := set(changes) - set(RESPONSE_FIELDS):
        raise DomainError(_("不能修改这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    with transaction.atomic():
        _open_scenario(response.scenario)
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.status not in OPEN_RESPONSE_STATES:
            raise DomainError(_("该方案已撤回或已有结果，不能修改。"))
        values = {f: getattr(locked, f) for f in RESPONSE_FIELDS} | changes
        _check_values(values)
        changed = [f for f in changes if getattr(locked, f) != changes[f]]
        if not changed:
            return locked
        recorded = [f for f in changed if f != "attachment"]
        before = snapshot(locked, recorded)
        for name in changed:
            setattr(locked, name, changes[name])
        locked.save(update_fields=[*changed, "updated_at"])
        record_event(actor=actor, action="scenario_response.updated", obj=locked,
                     enterprise=locked.enterprise, before=before,
                     after=snapshot(locked, recorded))  # fmt: skip
    return locked


def withdraw_response(response, *, actor) -> Response:
    """The enterprise withdraws before the deadline. Side effects: audit; publisher told."""
    if not acts_for_enterprise(actor, response.enterprise):
        raise DomainError(_("只有该企业的成员可以撤回响应方案。"))
    with transaction.atomic():
        _open_scenario(response.scenario)
        withdrawn = apply_transition(
            response, ResponseStatus.WITHDRAWN, transitions=RESPONSE_TRANSITIONS, actor=actor,
            action_prefix="scenario_response", refused=_REFUSED,
        )  # fmt: skip
        notify(
            publisher_users(response.scenario.scenario_list.publisher),
            title=Message(N_("揭榜方案已撤回：%(t)s"), t=response.scenario.title),
        )
    return withdrawn


def shortlist_response(response, *, actor) -> Response:
    """The publisher shortlists a submitted response (published or closed scenario).

    Side effects: audit `scenario_response.shortlisted`; the enterprise notified.
    """
    if not acts_for_publisher(actor, response.scenario.scenario_list.publisher):
        raise DomainError(_("只有场景所属的发布方可以遴选方案。"))
    if response.scenario.status not in (ScenarioStatus.PUBLISHED, ScenarioStatus.CLOSED):
        raise DomainError(_("该场景已有结果或已取消。"))
    with transaction.atomic():
        shortlisted = apply_transition(
            response, ResponseStatus.SHORTLISTED, transitions=RESPONSE_TRANSITIONS,
            actor=actor, action_prefix="scenario_response", refused=_REFUSED,
        )  # fmt: skip
        notify(
            enterprise_users([response.enterprise_id]),
            title=Message(N_("您的方案已入围：%(t)s"), t=response.scenario.title),
        )
    return shortlisted


def can_post_message(user, response) -> bool:
    return (
        acts_for_publisher(user, response.scenario.scenario_list.publisher)
        or acts_for_enterprise(user, response.enterprise)
        or can_review_scenario(user, response.scenario)
    )


def post_message(response, *, actor, body) -> ResponseMessage:
    """A question or an answer in the response's thread (publisher, enterprise, staff).

    Side effects: audit `scenario_response.message`; the other side notified.
    """
    if not can_post_message(actor, response):
        raise DomainError(_("只有发布方、响应企业和辖区管理部门可以在此留言。"))
    body = (body or "").strip()
    if not body:
        raise DomainError(_("请填写内容。"), field="body")
    if len(body) > ResponseMessage._meta.get_field("body").max_length:
        raise DomainError(str(message_for("scenario_response_message_body_length")), field="body")
    with transaction.atomic():
        message = ResponseMessage.objects.create(response=response, author=actor, body=body)
        record_event(actor=actor, action="scenario_response.message", obj=response,
                     enterprise=response.enterprise, after={"message": message.pk})  # fmt: skip
        from_enterprise = acts_for_enterprise(actor, response.enterprise)
        recipients = (
            publisher_users(response.scenario.scenario_list.publisher)
            if from_enterprise
            else enterprise_users([response.enterprise_id])
        )
        notify(recipients, title=Message(N_("揭榜方案有新留言：%(t)s"), t=response.scenario.title))
    return message
