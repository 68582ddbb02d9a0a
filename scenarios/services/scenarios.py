"""Scenario lists and their scenarios: a publisher drafts and submits, staff of the list's
jurisdiction publish or return for changes, the deadline (or the publisher) closes it.
Every change to a published scenario is kept as a revision."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from audit.services import record_event, snapshot
from conditions.engine import validate
from config.errors import DomainError
from config.text_limits import fit_text
from config.workflow import apply_transition
from notifications.messages import Message
from notifications.services import notify
from scenarios.models import (
    OPEN_RESPONSE_STATES,
    SCENARIO_TRANSITIONS,
    Benefit,
    Scenario,
    ScenarioList,
    ScenarioRevision,
    ScenarioStatus,
)
from scenarios.permissions import acts_for_publisher, can_publish_as, can_review_scenario
from scenarios.search import refresh_vector, segmented
from scenarios.services.notices import enterprise_users, jurisdiction_staff, publisher_users
from scenarios.services.recommendations import start_recommendations

SCENARIO_FIELDS = [
    "title",
    "description",
    "kind",
    "nature",
    "demand_side",
    "industry",
    "region",
    "budget_min",
    "budget_max",
    "deadline",
    "requirements",
    "conditions",
    "benefits",
    "co_building",
    "contact_name",
    "contact_phone",
    "attachment",
]
# Changed on a published scenario, these are kept as a revision.
SEARCHED_FIELDS = ("title", "description", "industry")
_REFUSED = _("场景当前为“%(now)s”，不能改为“%(new)s”。")


def create_list(*, actor, publisher, title, version=1, issued_on=None) -> ScenarioList:
    """A new list (batch) of the publisher in its jurisdiction.

    Refusals: actor not a user of the approved publisher. Side effects: audit.
    """
    if not can_publish_as(actor, publisher):
        raise DomainError(_("只有经批准的场景发布方可以创建清单。"))
    title = fit_text(ScenarioList, "title", title)
    if not title:
        raise DomainError(_("请填写清单名称。"), field="title")
    if ScenarioList.objects.filter(publisher=publisher, title=title, version=version).exists():
        raise DomainError(_("该发布方已有同名同版本的清单。"), field="title")
    with transaction.atomic():
        scenario_list = ScenarioList.objects.create(
            publisher=publisher, jurisdiction=publisher.jurisdiction, title=title,
            version=version, issued_on=issued_on or timezone.localdate(), created_by=actor,
        )  # fmt: skip
        record_event(
            actor=actor, action="scenario_list.created", obj=scenario_list,
            after={"title": title, "version": version},
        )  # fmt: skip
    return scenario_list


def _check_values(values, *, today=None):
    """The rules a scenario must satisfy whatever path wrote it (form, API, service)."""
    for field in ("title", "contact_name", "contact_phone"):
        values[field] = fit_text(Scenario, field, values.get(field, ""))
        if not values[field]:
            raise DomainError(_("请填写此项。"), field=field)
    if not (values.get("description") or "").strip():
        raise DomainError(_("请填写场景描述。"), field="description")
    if values.get("conditions") and (problems := validate(values["conditions"])):
        raise DomainError("；".join(problems), field="conditions")
    if unknown := set(values.get("benefits") or []) - set(Benefit.values):
        raise DomainError(
            _("未知的揭榜权益：%(b)s") % {"b": ", ".join(sorted(unknown))}, field="benefits"
        )
    low, high = values.get("budget_min"), values.get("budget_max")
    if (low is not None and low < 0) or (high is not None and high < 0):
        raise DomainError(_("预算不能为负数。"), field="budget_min")
    if low is not None and high is not None and high < low:
        raise DomainError(_("预算上限不能低于预算下限。"), field="budget_max")
    if today is not None and values["deadline"] < today:
        raise DomainError(_("响应截止日期不能早于今天。"), field="deadline")


def _index(scenario) -> list[str]:
    """Refresh the search words from title, description and industry; the fields to save."""
    scenario.search_text = segmented(
        scenario.title, scenario.description, scenario.get_industry_display()
    )
    return ["search_text", *refresh_vector(scenario)]


def create_scenario(*, actor, scenario_list, **values) -> Scenario:
    """A draft scenario in the list (SCENARIO_FIELDS; items may join a live list).

    Refusals: actor not a user of the list's approved publisher; invalid values.
    Side effects: audit `scenario.created`.
    """
    if not can_publish_as(actor, scenario_list.publisher):
        raise DomainError(_("只有清单所属的场景发布方可以添加场景。"))
    if unknown := set(values) - set(SCENARIO_FIELDS):
        raise DomainError(_("不能填写这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    values.setdefault("conditions", {})
    values.setdefault("benefits", [])
    values["conditions"] = values["conditions"] or {}
    _check_values(values, today=timezone.localdate())
    with transaction.atomic():
        scenario = Scenario(scenario_list=scenario_list, created_by=actor, **values)
        _index(scenario)
        scenario.save()
        record_event(
            actor=actor, action="scenario.created", obj=scenario,
            after=snapshot(scenario, [f for f in SCENARIO_FIELDS if f != "attachment"]),
        )  # fmt: skip
    return scenario


def update_scenario(scenario, *, actor, **changes) -> Scenario:
    """The publisher edits a draft, or a published scenario: then each change is kept as a
    revision (who, when, before and after) and the enterprises that responded are told.

    Refusals: not the publisher's user; unknown fields; any other state; invalid values.
    Side effects: audit `scenario.updated`; for a published one a ScenarioRevision and a
    notification to the responders.
    """
    if not acts_for_publisher(actor, scenario.scenario_list.publisher):
        raise DomainError(_("只有场景所属的发布方可以修改场景。"))
    if unknown := set(changes) - set(SCENARIO_FIELDS):
        raise DomainError(_("不能修改这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    with transaction.atomic():
        locked = Scenario.objects.select_for_update().get(pk=scenario.pk)
        if locked.status not in (ScenarioStatus.DRAFT, ScenarioStatus.PUBLISHED):
            raise DomainError(_("只有草稿或已发布的场景可以修改。"))
        values = {f: getattr(locked, f) for f in SCENARIO_FIELDS}
        values.update(changes)
        if "conditions" in changes:
            values["conditions"] = values["conditions"] or {}
        _check_values(values, today=timezone.localdate() if "deadline" in changes else None)
        changed = [f for f in changes if getattr(locked, f) != values[f]]
        if not changed:
            return locked
        recorded = [f for f in changed if f != "attachment"]
        before = snapshot(locked, recorded)
        previous_file = locked.attachment.name
        for name in changed:
            setattr(locked, name, values[name])
        extra = _index(locked) if set(changed) & set(SEARCHED_FIELDS) else []
        locked.save(update_fields=[*changed, *extra, "updated_at"])
        after = snapshot(locked, recorded)
        if "attachment" in changed:  # a file: its name before and after
            before["attachment"], after["attachment"] = str(previous_file), locked.attachment.name
        record_event(actor=actor, action="scenario.updated", obj=locked, before=before,
                     after=after)  # fmt: skip
        if locked.status == ScenarioStatus.PUBLISHED:
            ScenarioRevision.objects.create(
                scenario=locked,
                changed_by=actor,
                changes={f: {"before": before.get(f), "after": after.get(f)} for f in changed},
            )
            responders = locked.responses.filter(status__in=OPEN_RESPONSE_STATES)
            notify(
                enterprise_users(responders.values_list("enterprise_id", flat=True)),
                title=Message(N_("您响应的场景信息已更新：%(t)s"), t=locked.title),
            )
    return locked


def _move(scenario, new_status, *, actor, reason="", **fields):
    return apply_transition(
        scenario, new_status, transitions=SCENARIO_TRANSITIONS, actor=actor,
        action_prefix="scenario", refused=_REFUSED, message=reason, **fields,
    )  # fmt: skip


def submit_scenario(scenario, *, actor) -> Scenario:
    """The publisher sends a draft to staff for review.

    Refusals: not the approved publisher's user; not a draft; deadline already past.
    Side effects: audit `scenario.submitted`; the jurisdiction's staff notified.
    """
    if not can_publish_as(actor, scenario.scenario_list.publisher):
        raise DomainError(_("只有场景所属的发布方可以提交场景。"))
    if scenario.deadline < timezone.localdate():
        raise DomainError(_("响应截止日期已过，请修改后再提交。"), field="deadline")
    with transaction.atomic():
        submitted = _move(scenario, ScenarioStatus.SUBMITTED, actor=actor, return_reason="")
        notify(
            jurisdiction_staff(scenario.scenario_list.jurisdiction_id),
            title=Message(N_("应用场景待审核：%(t)s"), t=scenario.title),
        )
    return submitted


def return_scenario(scenario, *, actor, reason) -> Scenario:
    """Staff send a submitted scenario back to its draft with what to change.

    Refusals: not staff of the list's jurisdiction; no reason; not submitted.
    Side effects: audit `scenario.draft` with the reason; the publisher notified.
    """
    if not can_review_scenario(actor, scenario):
        raise DomainError(_("只有清单所属辖区的数据管理部门可以审核场景。"))
    reason = fit_text(Scenario, "return_reason", reason)
    if not reason:
        raise DomainError(_("请填写退回修改的理由。"), field="reason")
    with transaction.atomic():
        returned = _move(scenario, ScenarioStatus.DRAFT, actor=actor, reason=reason,
                         return_reason=reason)  # fmt: skip
        notify(
            publisher_users(scenario.scenario_list.publisher),
            title=Message(N_("应用场景被退回修改：%(t)s"), t=scenario.title),
            body=reason,
        )
    return returned


def publish_scenario(scenario, *, actor) -> Scenario:
    """Staff publish a submitted scenario: it is public and takes responses.

    Refusals: not staff of the list's jurisdiction; not submitted; deadline past.
    Side effects: audit `scenario.published`; the publisher notified; the recommendation
    job queued for the list (start_recommendations).
    """
    if not can_review_scenario(actor, scenario):
        raise DomainError(_("只有清单所属辖区的数据管理部门可以审核场景。"))
    if scenario.deadline < timezone.localdate():
        raise DomainError(_("响应截止日期已过，请退回发布方修改。"))
    with transaction.atomic():
        published = _move(scenario, ScenarioStatus.PUBLISHED, actor=actor,
                          published_at=timezone.now())  # fmt: skip
        # A new batch, or an item added to a live list: match it and tell enterprises.
        start_recommendations(scenario.scenario_list, actor=actor)
        notify(
            publisher_users(scenario.scenario_list.publisher),
            title=Message(N_("应用场景已发布：%(t)s"), t=scenario.title),
        )
    return published


def close_scenario(scenario, *, actor) -> Scenario:
    """Stop taking responses: the publisher ends it early, or the deadline beat (actor None).

    Refusals: a person who is not the publisher's user; not published.
    Side effects: audit `scenario.closed`; the responders told their answers are locked.
    """
    if actor is not None and not acts_for_publisher(actor, scenario.scenario_list.publisher):
        raise DomainError(_("只有场景所属的发布方可以截止场景。"))
    with transaction.atomic():
        closed = _move(scenario, ScenarioStatus.CLOSED, actor=actor)
        responders = closed.responses.filter(status__in=OPEN_RESPONSE_STATES)
        notify(
            enterprise_users(responders.values_list("enterprise_id", flat=True)),
            title=Message(N_("场景已截止响应，您的方案已锁定：%(t)s"), t=closed.title),
        )
    return closed


def cancel_scenario(scenario, *, actor, reason) -> Scenario:
    """The publisher cancels it (any state before awarded), with a reason.

    Side effects: audit `scenario.cancelled`; responders and staff notified.
    """
    if not acts_for_publisher(actor, scenario.scenario_list.publisher):
        raise DomainError(_("只有场景所属的发布方可以取消场景。"))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写取消的理由。"), field="reason")
    with transaction.atomic():
        cancelled = _move(scenario, ScenarioStatus.CANCELLED, actor=actor, reason=reason[:500])
        responders = cancelled.responses.filter(status__in=OPEN_RESPONSE_STATES)
        notify(
            enterprise_users(responders.values_list("enterprise_id", flat=True)),
            title=Message(N_("您响应的场景已取消：%(t)s"), t=cancelled.title),
            body=reason,
        )
    return cancelled


def close_due_scenarios(*, on=None) -> int:
    """Daily beat: close every published scenario whose deadline day is over. Idempotent
    (a closed one is not published any more). Returns how many closed."""
    on = on or timezone.localdate()
    due = Scenario.objects.filter(status=ScenarioStatus.PUBLISHED, deadline__lt=on)
    count = 0
    for scenario in due.select_related("scenario_list__publisher").iterator():
        close_scenario(scenario, actor=None)
        count += 1
    return count
