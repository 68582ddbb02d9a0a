"""形式审查: bureau staff check each application against the round's checklist."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from config.errors import DomainError
from notifications.messages import Message
from notifications.services import notify
from selection.choices import AWAITING_REVIEW_STATES, ApplicationStatus, ReviewOutcome
from selection.models import FormalReview, FormalReviewItem
from selection.permissions import can_review_application
from selection.services.applications import set_application_status

OUTCOME_STATUS = {
    ReviewOutcome.RETURNED: ApplicationStatus.RETURNED,
    ReviewOutcome.ELIGIBLE: ApplicationStatus.ELIGIBLE,
    ReviewOutcome.INELIGIBLE: ApplicationStatus.INELIGIBLE,
}


def review_application(application, *, actor, outcome, items: dict, reason: str = ""):
    """Record one formal review and move the application accordingly.

    `items` maps each checklist item id to (passed, note); a failed item needs a
    note. Returning needs at least one failed item; marking ineligible needs a
    reason; eligible needs every item passed.
    Side effects: FormalReview with its items; the status change (audited); the
    enterprise's members are notified with the reasons.
    """
    if not can_review_application(actor, application):
        raise DomainError(_("您无权审查该申请。"))
    if application.status not in AWAITING_REVIEW_STATES:
        raise DomainError(_("该申请当前不在待形式审查状态。"))
    checklist = list(application.round.checklist.all())
    if {item.pk for item in checklist} != set(items):
        raise DomainError(_("请对每一项审查要点给出结论。"))
    failed = [(item, items[item.pk][1].strip()) for item in checklist if not items[item.pk][0]]
    if any(not note for _item, note in failed):
        raise DomainError(_("不符合的审查要点请填写问题说明，企业将据此修改。"))
    outcome = ReviewOutcome(outcome)
    if outcome == ReviewOutcome.ELIGIBLE and failed:
        raise DomainError(_("仍有不符合的审查要点，不能判定为通过。"))
    if outcome == ReviewOutcome.RETURNED and not failed:
        raise DomainError(_("退回修改时请至少标出一项不符合的审查要点。"))
    if outcome == ReviewOutcome.INELIGIBLE and not reason.strip():
        raise DomainError(_("判定不通过时请填写理由。"), field="reason")
    with transaction.atomic():
        review = FormalReview.objects.create(
            application=application, reviewer=actor, outcome=outcome, reason=reason.strip()
        )
        FormalReviewItem.objects.bulk_create(
            FormalReviewItem(
                review=review,
                checklist_item=item,
                passed=items[item.pk][0],
                note=items[item.pk][1].strip(),
            )
            for item in checklist
        )
        message = reason.strip() or "；".join(f"{item.text}：{note}" for item, note in failed)
        updated = set_application_status(
            application, OUTCOME_STATUS[outcome], actor=actor, reason=message
        )
        members = list(application.enterprise.active_members())
        notify(
            members,
            title=Message(N_("您的遴选申请形式审查结果：%(o)s"), o=outcome.label),
            body=message,
            url=reverse("selection:application-detail", args=[application.pk]),
        )
    return updated


def mark_eligible_in_bulk(applications, *, actor) -> tuple[list, list]:
    """Staff mark eligible, in one go, the chosen applications that nothing sets apart
    (`review_queue.bulk_blockers`), recording every checklist item as passed.

    Each goes through `review_application` (its own FormalReview, audited status change
    and notification), so one refused application does not undo the others. Returns
    (marked, skipped): skipped are the ones with a blocker, no longer waiting, or outside
    the actor's rounds.
    """
    from selection.review_queue import bulk_blockers

    marked, skipped = [], []
    checklists = {}
    for application in applications:
        if bulk_blockers(application):
            skipped.append(application)
            continue
        if application.round_id not in checklists:
            checklists[application.round_id] = list(
                application.round.checklist.values_list("pk", flat=True)
            )
        items = dict.fromkeys(checklists[application.round_id], (True, ""))
        try:
            marked.append(
                review_application(
                    application, actor=actor, outcome=ReviewOutcome.ELIGIBLE, items=items
                )
            )
        except DomainError:
            skipped.append(application)
    return marked, skipped
