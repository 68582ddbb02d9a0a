"""Publishers apply; staff of their jurisdiction approve or refuse them (audited)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from accounts.models import OrganisationKind
from audit.services import record_event
from config.errors import DomainError
from config.text_limits import fit_text
from config.workflow import apply_transition
from notifications.messages import Message
from notifications.services import notify
from scenarios.models import PUBLISHER_TRANSITIONS, Publisher, PublisherKind, PublisherStatus
from scenarios.models.publishers import is_publisher_user
from scenarios.permissions import acts_for_publisher, can_decide_publisher
from scenarios.services.notices import jurisdiction_staff, publisher_users

_REFUSED = _("发布方当前为“%(now)s”，不能改为“%(new)s”。")


def apply_publisher(*, actor, kind, jurisdiction) -> Publisher:
    """The actor's organisation applies to publish scenarios in `jurisdiction`; a refused
    one applies again with the corrected details.

    Refusals: actor not a publisher user; organisation not of kind publisher; an unknown
    kind; already applied or approved.
    Side effects: audit `scenario_publisher.applied`; the jurisdiction's staff notified.
    """
    if not is_publisher_user(actor):
        raise DomainError(_("只有场景发布方用户可以申请成为发布方。"))
    if actor.organisation.kind != OrganisationKind.PUBLISHER:
        raise DomainError(_("所属机构不是场景发布单位。"))
    if kind not in PublisherKind.values:
        raise DomainError(_("请选择有效的发布方类型。"), field="kind")
    with transaction.atomic():
        publisher = (
            Publisher.objects.select_for_update().filter(organisation=actor.organisation).first()
        )
        if publisher is None:
            publisher = Publisher.objects.create(
                organisation=actor.organisation, kind=kind, jurisdiction=jurisdiction,
                applied_by=actor,
            )  # fmt: skip
            record_event(
                actor=actor, action="scenario_publisher.applied", obj=publisher,
                after={"kind": kind, "jurisdiction": jurisdiction.code},
            )  # fmt: skip
        else:
            if publisher.status != PublisherStatus.REJECTED:
                raise DomainError(_("该机构已申请或已是发布方。"))
            publisher.kind, publisher.jurisdiction, publisher.applied_by = kind, jurisdiction, actor
            publisher.save(update_fields=["kind", "jurisdiction", "applied_by", "updated_at"])
            publisher = apply_transition(
                publisher, PublisherStatus.APPLIED, transitions=PUBLISHER_TRANSITIONS,
                actor=actor, action_prefix="scenario_publisher", refused=_REFUSED,
            )  # fmt: skip
        notify(
            jurisdiction_staff(jurisdiction.pk),
            title=Message(N_("场景发布方申请待审核：%(name)s"), name=publisher),
        )
    return publisher


def _decide(publisher, new_status, *, actor, reason=""):
    if not can_decide_publisher(actor, publisher):
        raise DomainError(_("只有发布方所属辖区的数据管理部门可以审核发布方。"))
    reason = fit_text(Publisher, "reason", reason)
    with transaction.atomic():
        decided = apply_transition(
            publisher, new_status, transitions=PUBLISHER_TRANSITIONS, actor=actor,
            action_prefix="scenario_publisher", refused=_REFUSED, message=reason,
            reason=reason, decided_by=actor, decided_at=timezone.now(),
        )  # fmt: skip
        notify(
            publisher_users(decided),
            title=Message(
                N_("场景发布方申请结果：%(status)s"), status=PublisherStatus(decided.status).label
            ),
            body=reason,
        )
    return decided


def approve_publisher(publisher, *, actor) -> Publisher:
    """Staff of its jurisdiction approve it. Side effects: audit, the publisher notified."""
    return _decide(publisher, PublisherStatus.APPROVED, actor=actor)


def reject_publisher(publisher, *, actor, reason) -> Publisher:
    """Staff refuse it with a reason (required). Side effects: audit, publisher notified."""
    if not (reason or "").strip():
        raise DomainError(_("请填写不予批准的理由。"), field="reason")
    return _decide(publisher, PublisherStatus.REJECTED, actor=actor, reason=reason)


def own_publisher(user) -> Publisher | None:
    """The publisher the user acts for, if any."""
    if not is_publisher_user(user):
        return None
    publisher = Publisher.objects.filter(organisation_id=user.organisation_id).first()
    return publisher if publisher and acts_for_publisher(user, publisher) else None
