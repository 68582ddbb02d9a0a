"""Deciding adjustment proposals (confirm, amend, reject, bulk), exit requests and appeals.

Only a confirmed (or amended) proposal changes the registry: one TierChange row each,
and the enterprise is told. A confirmed downgrade or exit may be appealed once.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from accounts.services import staff_for_region
from adjustment.explanations import render_reasons
from adjustment.models import (
    APPEAL_TRANSITIONS,
    PROPOSAL_TRANSITIONS,
    TIER_MOVES,
    AdjustmentProposal,
    Appeal,
    AppealStatus,
    ProposalKind,
    ProposalOrigin,
    ProposalStatus,
)
from adjustment.rules import LADDER
from audit.services import record_event
from config.errors import DomainError
from config.text_limits import fit_text
from config.workflow import apply_transition
from notifications.messages import Message
from notifications.services import notify
from registry.choices import EntryStatus, Tier
from registry.models import RegistryEntry, TierChange
from registry.permissions import can_confirm_tier, is_member
from registry.signals import announce_facts_changed

APPEAL_DAYS = 30  # from the confirmation; long enough to gather evidence, short enough to close
APPEALABLE = (ProposalKind.DOWNGRADE, ProposalKind.EXIT)
LEAVES = {ProposalKind.EXIT: EntryStatus.EXITED, ProposalKind.GRADUATE: EntryStatus.GRADUATED}


def _require_staff(actor, proposal):
    if not can_confirm_tier(actor, proposal.entry.enterprise):
        raise DomainError(_("只有企业所在辖区的数据管理部门可以处理调整建议。"))


def set_proposal_status(proposal, new_status, *, actor, reason="", **fields):
    """The one way a proposal changes state (lock, check the table, save, audit)."""
    return apply_transition(
        proposal,
        new_status,
        transitions=PROPOSAL_TRANSITIONS,
        actor=actor,
        action_prefix="adjustment",
        refused=_("该调整建议%(now)s，不能再改为“%(new)s”。"),
        message=reason,
        **fields,
    )


def confirm_proposal(proposal, *, actor, reason="") -> AdjustmentProposal:
    """Staff confirm the proposal as it stands; it takes effect at once (see _take_effect)."""
    return _decide(proposal, ProposalStatus.CONFIRMED, actor=actor, reason=reason,
                   kind=proposal.kind, tier=proposal.to_tier)  # fmt: skip


def amend_proposal(proposal, *, actor, kind: str, tier: str, reason: str) -> AdjustmentProposal:
    """Staff change what the proposal does (e.g. downgrade one level less), with a reason,
    and confirm it in the same step."""
    if not reason.strip():
        raise DomainError(_("修改调整建议时必须填写理由。"), field="reason")
    _check_outcome(proposal.from_tier, kind, tier)
    return _decide(proposal, ProposalStatus.AMENDED, actor=actor, reason=reason,
                   kind=kind, tier=tier)  # fmt: skip


def reject_proposal(proposal, *, actor, reason: str) -> AdjustmentProposal:
    """Staff keep the enterprise where it is; the proposal stays on record."""
    _require_staff(actor, proposal)
    if not reason.strip():
        raise DomainError(_("驳回调整建议时必须填写理由。"), field="reason")
    reason = fit_text(AdjustmentProposal, "decision_reason", reason, as_field="reason")
    rejected = set_proposal_status(proposal, ProposalStatus.REJECTED, actor=actor, reason=reason,
                                   decided_by=actor, decided_at=timezone.now(),
                                   decision_reason=reason)  # fmt: skip
    if proposal.origin == ProposalOrigin.REQUEST:
        _tell(rejected, _("退出申请未获同意"), reason)
    return rejected


def bulk_confirm(proposals, *, actor) -> tuple[int, list[str]]:
    """Confirm many pending proposals; each in its own transaction, so one that cannot be
    confirmed (changed meanwhile, outside the jurisdiction) does not hold back the rest.
    Returns (confirmed, problems as sentences naming the enterprise)."""
    done, problems = 0, []
    for proposal in proposals:
        try:
            confirm_proposal(proposal, actor=actor)
            done += 1
        except DomainError as exc:
            problems.append(f"{proposal.entry.enterprise.name}：{exc.message}")
    return done, problems


def _check_outcome(from_tier, kind, tier):
    if kind not in ProposalKind.values:
        raise DomainError(_("无效的调整类型。"), field="kind")
    if kind in TIER_MOVES:
        if tier not in LADDER:
            raise DomainError(_("升级或降级必须选择目标层级。"), field="tier")
        up = LADDER.index(tier) > LADDER.index(from_tier)
        down = LADDER.index(tier) < LADDER.index(from_tier)
        if not (up if kind == ProposalKind.UPGRADE else down):
            raise DomainError(
                _("“%(kind)s”的目标层级必须%(way)s当前层级（%(tier)s）。")
                % {"kind": ProposalKind(kind).label,
                   "way": _("高于") if kind == ProposalKind.UPGRADE else _("低于"),
                   "tier": Tier(from_tier).label},
                field="tier",
            )  # fmt: skip
    elif tier:
        raise DomainError(_("退出或毕业不需要目标层级。"), field="tier")


def _decide(proposal, status, *, actor, reason, kind, tier):
    _require_staff(actor, proposal)
    reason = fit_text(AdjustmentProposal, "decision_reason", reason, as_field="reason")
    with transaction.atomic():
        decided = set_proposal_status(
            proposal, status, actor=actor, reason=reason, final_kind=kind, final_tier=tier,
            decided_by=actor, decided_at=timezone.now(), decision_reason=reason,
        )  # fmt: skip
        _take_effect(decided, actor=actor)
    return decided


def _take_effect(proposal, *, actor):
    """Move the entry: a tier-history row, the entry saved, the enterprise told."""
    entry = (
        RegistryEntry.objects.select_for_update()
        .select_related("enterprise")
        .get(pk=proposal.entry_id)
    )
    if not entry.is_active:
        raise DomainError(_("该企业已不在培育库中。"))
    if entry.tier != proposal.from_tier:
        raise DomainError(_("该企业的层级在测算后已变化，请重新测算后再处理。"))
    kind, tier = proposal.final_kind, proposal.final_tier
    before = {"tier": entry.tier, "status": entry.status}
    if kind in TIER_MOVES:
        entry.tier = tier
    else:
        entry.status, entry.left_on = LEAVES[kind], timezone.localdate()
    entry.save()
    # Stored sentences and notifications are written in the source language: the User model
    # has no preferred language to render them in.
    with translation.override(settings.LANGUAGE_CODE):
        origin = (_("企业申请") if proposal.origin == ProposalOrigin.REQUEST
                  else _("%(year)s 年度动态调整") % {"year": proposal.year})  # fmt: skip
        summary = f"{origin}：{proposal.outcome}"
        reasons = render_reasons(proposal.reasons)
        body = "\n".join([*reasons, proposal.decision_reason])
        if kind in APPEALABLE and proposal.origin == ProposalOrigin.RULES:
            body += "\n" + _("如有异议，可在 %(days)s 日内提出申诉（限一次）。") % {
                "days": APPEAL_DAYS
            }
    TierChange.objects.create(
        entry=entry,
        from_tier=before["tier"],
        to_tier=tier if kind in TIER_MOVES else "",
        reason=(proposal.decision_reason or "；".join(reasons))[:300],
        source=f"adjustment:{proposal.pk}",
        confirmed_by=actor,
    )
    record_event(actor=actor, action=f"registry.{kind}", obj=entry, enterprise=entry.enterprise,
                 before=before, after={"tier": entry.tier, "status": entry.status},
                 message=summary)  # fmt: skip
    _tell(proposal, summary, body)
    announce_facts_changed([entry.enterprise_id])  # the tier is a policy condition


def _tell(proposal, title, body):
    enterprise = proposal.entry.enterprise
    notify(
        list(enterprise.active_members()),
        title=f"{enterprise.name} · {title}",
        body=body,
        url=reverse("adjustment:my-adjustments"),
    )


def request_exit(enterprise, *, actor, reason: str) -> AdjustmentProposal:
    """An enterprise asks to leave the registry; staff confirm like any proposal.

    Side effects: a pending request proposal; audit `adjustment.requested`; staff told.
    """
    if not (actor.is_authenticated and actor.is_enterprise and is_member(actor, enterprise)):
        raise DomainError(_("只有本企业成员可以申请退出培育库。"))
    if not reason.strip():
        raise DomainError(_("请填写申请退出的原因。"), field="reason")
    entry = RegistryEntry.objects.filter(enterprise=enterprise).first()
    if entry is None or not entry.is_active:
        raise DomainError(_("本企业不在培育库中。"))
    try:
        with transaction.atomic():
            proposal = AdjustmentProposal.objects.create(
                entry=entry, year=timezone.localdate().year, origin=ProposalOrigin.REQUEST,
                kind=ProposalKind.EXIT, from_tier=entry.tier,
                reasons=[{"key": "request.exit", "reason": reason.strip()}],
            )  # fmt: skip
            record_event(actor=actor, action="adjustment.requested", obj=proposal,
                         enterprise=enterprise, message=reason)  # fmt: skip
    except IntegrityError as exc:
        raise DomainError(_("已有一份退出申请在处理中。")) from exc
    notify(
        list(staff_for_region(enterprise.region)),
        title=Message(N_("%(name)s 申请退出培育库"), name=enterprise.name),
        body=reason,
        url=reverse("adjustment:proposal-detail", args=[proposal.pk]),
    )
    return proposal


def appeal_deadline(proposal):
    return proposal.decided_at + timedelta(days=APPEAL_DAYS) if proposal.decided_at else None


def can_appeal(user, proposal) -> bool:
    return (
        user.is_authenticated
        and user.is_enterprise
        and proposal.effective
        and proposal.origin == ProposalOrigin.RULES
        and proposal.final_kind in APPEALABLE
        and timezone.now() <= appeal_deadline(proposal)
        and not Appeal.objects.filter(proposal=proposal).exists()
        and is_member(user, proposal.entry.enterprise)
    )


def file_appeal(proposal, *, actor, reason: str) -> Appeal:
    """The enterprise contests a confirmed downgrade or exit, once, within APPEAL_DAYS.

    Side effects: an Appeal; audit `appeal.filed`; staff of the jurisdiction told.
    """
    if not reason.strip():
        raise DomainError(_("请填写申诉理由。"), field="reason")
    if Appeal.objects.filter(proposal=proposal).exists():
        raise DomainError(_("每项调整只能申诉一次。"))
    if not can_appeal(actor, proposal):
        raise DomainError(
            _("只能在确认后 %(days)s 日内对降级或退出提出申诉。") % {"days": APPEAL_DAYS}
        )
    enterprise = proposal.entry.enterprise
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(proposal=proposal, reason=reason.strip(), filed_by=actor)
            record_event(actor=actor, action="appeal.filed", obj=appeal, enterprise=enterprise,
                         message=reason)  # fmt: skip
    except IntegrityError as exc:  # two clicks at once: the one-to-one decides
        raise DomainError(_("每项调整只能申诉一次。")) from exc
    notify(
        list(staff_for_region(enterprise.region)),
        title=Message(N_("%(name)s 对动态调整提出申诉"), name=enterprise.name),
        body=reason,
        url=reverse("adjustment:proposal-detail", args=[proposal.pk]),
    )
    return appeal


def decide_appeal(appeal, *, actor, uphold: bool, reply: str) -> Appeal:
    """Staff decide an appeal. Upheld: the entry goes back to where it was (a new
    tier-history row), unless it has moved again since. Dismissed: nothing changes."""
    proposal = appeal.proposal
    _require_staff(actor, proposal)
    if not reply.strip():
        raise DomainError(_("请填写处理意见。"), field="reply")
    status = AppealStatus.UPHELD if uphold else AppealStatus.DISMISSED
    with transaction.atomic():
        decided = apply_transition(
            appeal, status, transitions=APPEAL_TRANSITIONS, actor=actor, action_prefix="appeal",
            refused=_("该申诉%(now)s，不能再改为“%(new)s”。"), message=reply,
            reply=reply, decided_by=actor, decided_at=timezone.now(),
        )  # fmt: skip
        if uphold:
            _restore(proposal, actor=actor, reply=reply)
    title = _("申诉成立，已恢复原层级") if uphold else _("申诉不成立")
    _tell(proposal, title, reply)
    return decided


def _restore(proposal, *, actor, reply):
    entry = RegistryEntry.objects.select_for_update().get(pk=proposal.entry_id)
    last = entry.changes.order_by("-created_at", "-id").first()
    if last is None or last.source != f"adjustment:{proposal.pk}":
        raise DomainError(_("该企业的层级此后已有其他变动，不能直接恢复，请另行调整。"))
    before = {"tier": entry.tier, "status": entry.status}
    entry.tier, entry.status, entry.left_on = proposal.from_tier, EntryStatus.ACTIVE, None
    entry.save()
    TierChange.objects.create(
        entry=entry,
        from_tier=last.to_tier,
        to_tier=proposal.from_tier,
        reason=(_("申诉成立：%(reply)s") % {"reply": reply})[:300],
        source=f"appeal:{proposal.appeal.pk}",
        confirmed_by=actor,
    )
    record_event(actor=actor, action="registry.restored", obj=entry, enterprise=entry.enterprise,
                 before=before, after={"tier": entry.tier, "status": entry.status},
                 message=reply)  # fmt: skip
    announce_facts_changed([entry.enterprise_id])
