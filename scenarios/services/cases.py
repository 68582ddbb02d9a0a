"""Typical cases (典型案例, 可复制可推广): staff of the scenario's jurisdiction hold up a
succeeded award as an example (public page), and may take it down with a reason."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from audit.services import record_event
from config.errors import DomainError
from config.text_limits import check_length, fit_text
from config.workflow import apply_transition
from notifications.messages import Message
from notifications.services import notify
from scenarios.models import (
    CASE_TRANSITIONS,
    Award,
    CaseStatus,
    Outcome,
    TypicalCase,
)
from scenarios.permissions import is_jurisdiction_staff
from scenarios.services.notices import enterprise_users, publisher_users

_REFUSED = _("典型案例当前为“%(now)s”，不能改为“%(new)s”。")


def can_mark_case(user, award) -> bool:
    """Staff of the scenario's jurisdiction (or an admin)."""
    return is_jurisdiction_staff(user, award.response.scenario.scenario_list.jurisdiction_id)


def publish_case(award, *, actor, title, summary) -> TypicalCase:
    """Mark a succeeded award as a typical case (or publish an unpublished one again with
    the new title and summary).

    Refusals: not staff of the scenario's jurisdiction; the award has not succeeded; no
    title or summary; already published.
    Side effects: a TypicalCase (public); audit `typical_case.published` on the
    enterprise's timeline; the enterprise and the publisher notified.
    """
    if not can_mark_case(actor, award):
        raise DomainError(_("只有场景所属辖区的数据管理部门可以发布典型案例。"))
    title = fit_text(TypicalCase, "title", title)
    if not title:
        raise DomainError(_("请填写案例标题。"), field="title")
    summary = check_length(TypicalCase, "summary", summary or "", "typical_case_summary_length")
    if not summary:
        raise DomainError(_("请填写案例摘要。"), field="summary")
    response = award.response
    scenario = response.scenario
    with transaction.atomic():
        locked = Award.objects.select_for_update().get(pk=award.pk)
        if locked.outcome != Outcome.SUCCEEDED:
            raise DomainError(_("只有实施成功的揭榜项目可以列为典型案例。"))
        case = TypicalCase.objects.filter(award=locked).first()
        if case is None:
            case = TypicalCase.objects.create(
                award=locked, enterprise=response.enterprise,
                jurisdiction_id=scenario.scenario_list.jurisdiction_id, title=title,
                summary=summary, published_by=actor,
            )  # fmt: skip
            record_event(actor=actor, action="typical_case.published", obj=case,
                         enterprise=response.enterprise, after={"title": title})  # fmt: skip
        else:
            case = apply_transition(
                case, CaseStatus.PUBLISHED, transitions=CASE_TRANSITIONS, actor=actor,
                action_prefix="typical_case", refused=_REFUSED, title=title, summary=summary,
                reason="", published_by=actor, published_at=timezone.now(),
            )  # fmt: skip
        notify(
            [*enterprise_users([response.enterprise_id]),
             *publisher_users(scenario.scenario_list.publisher)],
            title=Message(N_("揭榜项目入选典型案例：%(t)s"), t=title),
        )  # fmt: skip
    return case


def unpublish_case(case, *, actor, reason) -> TypicalCase:
    """Take a published case down, with the reason (it leaves the public page).

    Refusals: not staff of its jurisdiction; no reason; not published.
    Side effects: audit `typical_case.unpublished` with the reason, on the timeline.
    """
    if not can_mark_case(actor, case.award):
        raise DomainError(_("只有场景所属辖区的数据管理部门可以撤下典型案例。"))
    reason = check_length(TypicalCase, "reason", reason or "", "typical_case_reason_length")
    if not reason:
        raise DomainError(_("请填写撤下的理由。"), field="reason")
    return apply_transition(
        case, CaseStatus.UNPUBLISHED, transitions=CASE_TRANSITIONS, actor=actor,
        action_prefix="typical_case", refused=_REFUSED, message=reason, reason=reason,
    )  # fmt: skip
