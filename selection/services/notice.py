"""公示: the public list of confirmed results, and objections to them."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from accounts.services import staff_for_region
from audit.services import record_event
from config.errors import DomainError
from config.uploads import check_pdf_upload
from notifications.messages import Message, label_of
from notifications.services import notify
from registry.choices import Tier
from selection.choices import ApplicationStatus, RoundStatus
from selection.models import Application, Objection, SelectionRound
from selection.models.tiering import ObjectionStatus
from selection.permissions import can_manage_round
from selection.services.applications import set_application_status


def public_notices():
    """Rounds in their notice period, for the public page (no login)."""
    today = timezone.localdate()
    return SelectionRound.objects.filter(
        status=RoundStatus.NOTICE, notice_starts_on__lte=today, notice_ends_on__gte=today
    ).select_related("region")


def public_results(selection_round):
    """What the public may see: confirmed, selected results only."""
    return (
        selection_round.applications.filter(status=ApplicationStatus.CONFIRMED)
        .exclude(proposed_tier="")
        .select_related("enterprise", "enterprise__region")
        .order_by("proposed_tier", "enterprise__name")
    )


def results_on_notice():
    """Every result the public may see today, across the rounds in their notice period:
    the only applications anyone can object to."""
    return Application.objects.filter(
        round__in=public_notices(), status=ApplicationStatus.CONFIRMED
    ).exclude(proposed_tier="")


def file_objection(application, *, actor, reason: str, evidence=None) -> Objection:
    """Any signed-in user may object to a published result during the notice.

    Side effects: the Objection (evidence stored if a PDF); staff notified; audit event.
    """
    selection_round = application.round
    if not actor.is_authenticated:
        raise DomainError(_("请先登录再提出异议。"))
    if (
        application not in public_results(selection_round)
        or selection_round not in public_notices()
    ):
        raise DomainError(_("该结果不在公示期内，不能提出异议。"))
    if len(reason.strip()) < 10:
        raise DomainError(_("请具体说明异议理由（不少于 10 个字）。"), field="reason")
    with transaction.atomic():
        objection = Objection(application=application, filed_by=actor, reason=reason.strip())
        if evidence is not None:
            sha256 = check_pdf_upload(evidence)
            objection.evidence.save(f"{sha256[:16]}.pdf", evidence, save=False)
        objection.save()
        record_event(
            actor=actor,
            action="objection.filed",
            obj=objection,
            enterprise=application.enterprise,
            after={"reason": objection.reason},
        )
        notify(
            staff_for_region(selection_round.region),
            title=Message(N_("收到公示异议：%(name)s"), name=application.enterprise.name),
            url=reverse("selection:objection-list", args=[selection_round.pk]),
        )
    return objection


def resolve_objection(objection, *, actor, upheld: bool, reply: str, new_tier=None) -> Objection:
    """Staff answer an objection. Upheld: the result changes (`new_tier`, "" = not
    selected) or, with new_tier None, the application is withdrawn from the results.
    Side effects: the objection closed with the reply; the result changed (audited);
    the filer notified."""
    application = objection.application
    if not can_manage_round(actor, application.round):
        raise DomainError(_("您无权处理该异议。"))
    if objection.status != ObjectionStatus.OPEN:
        raise DomainError(_("该异议已处理。"))
    if not reply.strip():
        raise DomainError(_("请填写处理意见，异议人将收到该意见。"), field="reply")
    if new_tier not in (None, "", *Tier.values):
        raise DomainError(_("无效的层级。"), field="new_tier")
    with transaction.atomic():
        objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
        objection.reply = reply.strip()
        objection.resolved_by = actor
        objection.resolved_at = timezone.now()
        objection.save(update_fields=["status", "reply", "resolved_by", "resolved_at"])
        record_event(
            actor=actor,
            action=f"objection.{objection.status}",
            obj=objection,
            enterprise=application.enterprise,
            after={"reply": objection.reply, "new_tier": new_tier},
        )
        if upheld:
            _apply_upheld(application, actor=actor, new_tier=new_tier, reply=objection.reply)
        notify(
            [objection.filed_by],
            title=Message(N_("您提出的公示异议已处理：%(s)s"), s=label_of(objection, "status")),
            body=objection.reply,
        )
    return objection


def _apply_upheld(application, *, actor, new_tier, reply):
    if new_tier is None:
        set_application_status(
            application,
            ApplicationStatus.WITHDRAWN,
            actor=actor,
            reason=_("异议成立：%(r)s") % {"r": reply},
        )
        return
    locked = Application.objects.select_for_update().get(pk=application.pk)
    trace = dict(locked.decision_trace or {})
    trace["objection"] = {"from": locked.proposed_tier, "to": new_tier, "reply": reply}
    before = locked.proposed_tier
    locked.proposed_tier, locked.decision_trace = new_tier, trace
    locked.save(update_fields=["proposed_tier", "decision_trace", "updated_at"])
    record_event(
        actor=actor,
        action="application.result_changed",
        obj=locked,
        enterprise=locked.enterprise,
        before={"proposed_tier": before},
        after={"proposed_tier": new_tier},
        message=reply,
    )
