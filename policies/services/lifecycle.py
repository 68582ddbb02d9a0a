"""Policies (惠企政策) and their grants: every state change, one function each.

The matching job itself lives in policies/services/matching.py.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import gettext_noop as N_

from accounts.models import User
from accounts.phone import is_valid_contact_phone, normalise_contact_phone
from accounts.services import staff_for_region
from audit.services import build_event, record_event, record_events, snapshot
from conditions.engine import validate
from config.constraint_messages import CONTACT_PHONE_MESSAGE
from config.errors import DomainError
from config.text_limits import fit_text
from config.workflow import apply_transition
from notifications.messages import Message
from notifications.services import notify
from policies.models import (
    GRANT_TRANSITIONS,
    POLICY_TRANSITIONS,
    GrantStatus,
    Policy,
    PolicyGrant,
    PolicyMode,
    PolicyStatus,
)
from policies.models import (
    OPEN_GRANT_STATES as OPEN,
)
from policies.permissions import can_deliver_grant, can_manage_policy
from registry.choices import MembershipStatus
from registry.permissions import is_member
from workdays.calendar import add_working_days, holiday_calendar

G = GrantStatus
POLICY_FIELDS = [
    "title",
    "department",
    "kind",
    "benefit_amount",
    "benefit",
    "jurisdiction",
    "valid_from",
    "valid_until",
    "mode",
    "beneficiary",
    "contact",
    "conditions",
]
DELIVERY_WORKING_DAYS = 60
BANK_FIELDS = ("account_name", "bank_name", "account_number")
# The one-page quick application (快申快享): pre-filled from the enterprise's data.
APPLICATION_FIELDS = ("contact_name", "contact_phone", "contact_email", "statement")


def _check_conditions(conditions):
    if problems := validate(conditions):
        raise DomainError("；".join(problems), field="conditions")


def _check_manager(actor, jurisdiction):
    if not can_manage_policy(actor, jurisdiction):
        raise DomainError(_("只有适用地区所属的数据管理部门可以编辑或发布该政策。"))


def _check_dates(values):
    if values["valid_until"] < values["valid_from"]:
        raise DomainError(_("有效期止不能早于有效期起。"), field="valid_until")


def create_policy(*, actor, **values) -> Policy:
    """A draft policy. Side effects: audit event `policy.created`."""
    _check_manager(actor, values["jurisdiction"])
    _check_conditions(values["conditions"])
    _check_dates(values)
    with transaction.atomic():
        policy = Policy.objects.create(created_by=actor, **values)
        record_event(
            actor=actor,
            action="policy.created",
            obj=policy,
            after=snapshot(policy, POLICY_FIELDS),
        )
    return policy


def update_policy(policy, *, actor, **changes) -> Policy:
    """Edit a draft (a published policy is withdrawn and reissued instead, so that what an
    enterprise was granted never changes under it). Side effects: audit `policy.updated`."""
    _check_manager(actor, changes.get("jurisdiction", policy.jurisdiction))
    _check_manager(actor, policy.jurisdiction)
    unknown = set(changes) - set(POLICY_FIELDS)
    if unknown:
        raise DomainError(_("不能修改这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    if "conditions" in changes:
        _check_conditions(changes["conditions"])
    with transaction.atomic():
        locked = Policy.objects.select_for_update().get(pk=policy.pk)
        if locked.status != PolicyStatus.DRAFT:
            raise DomainError(_("只能修改草稿状态的政策。"))
        _check_dates(
            {"valid_from": locked.valid_from, "valid_until": locked.valid_until, **changes}
        )
        changed = [f for f, v in changes.items() if getattr(locked, f) != v]
        if not changed:
            return locked
        before = snapshot(locked, changed)
        for name in changed:
            setattr(locked, name, changes[name])
        locked.save(update_fields=[*changed, "updated_at"])
        record_event(
            actor=actor,
            action="policy.updated",
            obj=locked,
            before=before,
            after=snapshot(locked, changed),
        )
    return locked


def _set_policy_status(policy, new_status, *, actor, reason="", **fields) -> Policy:
    _check_manager(actor, policy.jurisdiction)
    return apply_transition(
        policy,
        new_status,
        transitions=POLICY_TRANSITIONS,
        actor=actor,
        action_prefix="policy",
        refused=_("政策当前为“%(now)s”，不能改为“%(new)s”。"),
        message=reason,
        **fields,
    )


def publish_policy(policy, *, actor) -> Policy:
    """Publish a draft and start matching it.

    Side effects: status `published` (audit `policy.published`); a PolicyMatchRun and
    the matching task after commit.
    """
    from policies.services.matching import start_match

    _check_conditions(policy.conditions)
    if policy.valid_until < timezone.localdate():
        raise DomainError(_("政策有效期已过，不能发布。"))
    with transaction.atomic():
        policy = _set_policy_status(
            policy, PolicyStatus.PUBLISHED, actor=actor, published_at=timezone.now()
        )
        start_match(policy, actor=actor)
    return policy


def withdraw_policy(policy, *, actor, reason: str) -> Policy:
    """Withdraw a published policy. Grants already accepted are still delivered; open
    ones lapse. Side effects: audit `policy.withdrawn`; open grants lapse (audited,
    their enterprises notified)."""
    if not reason.strip():
        raise DomainError(_("撤回政策时请填写原因。"), field="reason")
    with transaction.atomic():
        policy = _set_policy_status(
            policy,
            PolicyStatus.WITHDRAWN,
            actor=actor,
            reason=reason.strip(),
            withdrawn_at=timezone.now(),
        )
        open_grants = list(policy.grants.filter(status__in=OPEN).select_related("enterprise"))
        bulk_set_grant_status(policy, open_grants, G.LAPSED, actor=actor, reason=_("政策已撤回"))
    return policy


def due_date(notified_on, holidays=None):
    return add_working_days(
        notified_on, DELIVERY_WORKING_DAYS, holiday_calendar() if holidays is None else holidays
    )


def _grant_url():
    return reverse("policies:my-policies")


def _check_grant_actor(grant, new_status, actor):
    if new_status in (G.ACCEPTED, G.DECLINED):
        if not (
            actor
            and actor.is_authenticated
            and actor.is_enterprise
            and is_member(actor, grant.enterprise)
        ):
            raise DomainError(_("只有本企业成员可以确认或放弃该政策。"))
    elif new_status == G.DELIVERED:
        if not can_deliver_grant(actor, grant):
            raise DomainError(_("只有企业所在辖区的数据管理部门可以登记兑现。"))
    elif actor is not None and not can_manage_policy(actor, grant.policy.jurisdiction):
        raise DomainError(_("您无权变更该政策兑现的状态。"))


def set_grant_status(grant, new_status, *, actor, reason: str = "", **fields) -> PolicyGrant:
    """The one way a grant changes state (table: models.policies.GRANT_TRANSITIONS).

    `actor` None is the matching job. Timestamps and the due date are set here.
    Side effects: audit event `policy_grant.<status>`; notified, lapsed and delivered
    tell the enterprise's active members; accepted tells the enterprise's bureau staff.
    """
    _check_grant_actor(grant, new_status, actor)
    now = timezone.now()
    stamp = {
        G.NOTIFIED: "notified_at",
        G.ACCEPTED: "accepted_at",
        G.DELIVERED: "delivered_at",
        G.DECLINED: "declined_at",
        G.LAPSED: "lapsed_at",
    }.get(new_status)
    if stamp:
        fields[stamp] = now
    if new_status == G.NOTIFIED:
        fields["due_on"] = due_date(timezone.localdate(now))
    if new_status == G.ELIGIBLE:
        fields.setdefault("matched_at", now)
    with transaction.atomic():
        grant = apply_transition(
            grant,
            new_status,
            transitions=GRANT_TRANSITIONS,
            actor=actor,
            action_prefix="policy_grant",
            refused=_("该政策兑现当前为“%(now)s”，不能改为“%(new)s”。"),
            message=reason,
            **fields,
        )
        policy, enterprise = grant.policy, grant.enterprise
        if new_status in NOTICES:
            title = str(NOTICES[new_status]) % {"p": policy.title}
            notify(list(enterprise.active_members()), title=title, body=reason, url=_grant_url())
        elif new_status == G.ACCEPTED:
            notify(
                staff_for_region(enterprise.region),
                title=Message(
                    N_("%(e)s 已确认政策“%(p)s”，待兑现"), e=enterprise.name, p=policy.title
                ),
                url=reverse("policies:policy-detail", args=[policy.pk]),
            )
    return grant


def notify_grant(grant, *, actor=None) -> PolicyGrant:
    return set_grant_status(grant, G.NOTIFIED, actor=actor)


def confirm_bank_details(grant, *, actor, account_name, bank_name, account_number) -> PolicyGrant:
    """免申即享: the enterprise only confirms where the money goes."""
    if grant.policy.mode != PolicyMode.AUTO:
        raise DomainError(_("该政策需提交快申表，不是免申即享。"))
    values = {
        "account_name": account_name.strip(),
        "bank_name": bank_name.strip(),
        "account_number": account_number.replace(" ", ""),
    }
    for name, value in values.items():
        if not value:
            raise DomainError(_("请填写完整的收款账户信息。"), field=name)
    if not values["account_number"].isdigit() or not 8 <= len(values["account_number"]) <= 30:
        raise DomainError(_("银行账号应为 8–30 位数字。"), field="account_number")
    return set_grant_status(grant, G.ACCEPTED, actor=actor, **values)


def submit_quick_application(grant, *, actor, application: dict) -> PolicyGrant:
    """快申快享: the one-page application, pre-filled and confirmed by the enterprise."""
    if grant.policy.mode != PolicyMode.QUICK:
        raise DomainError(_("免申即享政策无需申请，请确认收款账户。"))
    values = {name: str(application.get(name, "")).strip() for name in APPLICATION_FIELDS}
    for name in ("contact_name", "contact_phone", "statement"):
        if not values[name]:
            raise DomainError(_("请填写此项。"), field=name)
    values["contact_phone"] = normalise_contact_phone(values["contact_phone"])
    if not is_valid_contact_phone(values["contact_phone"]):
        raise DomainError(str(CONTACT_PHONE_MESSAGE), field="contact_phone")
    if len(values["statement"]) > 1000:
        raise DomainError(_("申请说明不能超过 1000 个字。"), field="statement")
    return set_grant_status(grant, G.ACCEPTED, actor=actor, application=values)


def decline_grant(grant, *, actor, reason: str) -> PolicyGrant:
    if not reason.strip():
        raise DomainError(_("放弃享受政策时请填写原因。"), field="reason")
    reason = fit_text(PolicyGrant, "decline_reason", reason, as_field="reason")
    return set_grant_status(grant, G.DECLINED, actor=actor, reason=reason, decline_reason=reason)


def deliver_grant(grant, *, actor, note: str = "") -> PolicyGrant:
    note = fit_text(PolicyGrant, "delivery_note", note, as_field="note")
    return set_grant_status(grant, G.DELIVERED, actor=actor, reason=note, delivery_note=note)


def quick_application_initial(grant) -> dict:
    """The quick application pre-filled from the enterprise's profile."""
    enterprise = grant.enterprise
    return {
        "contact_name": enterprise.contact_name,
        "contact_phone": enterprise.contact_phone,
        "contact_email": enterprise.contact_email,
        "statement": _("本企业符合“%(p)s”的适用条件，申请享受该政策，所填信息真实有效。")
        % {"p": grant.policy.title},
    }


def bulk_set_grant_status(
    policy, grants, new_status, *, actor=None, reason: str = "", **fields
) -> list:
    """set_grant_status for many grants at once (the matching job with actor None, or a
    withdrawal): the
    same transition table (rows in a state it forbids are left alone), one UPDATE, one
    bulk audit insert, one notification call. `grants` are PolicyGrant objects with their
    enterprise loaded (its name is in the audit entry). Returns the ids moved.
    Call inside a transaction."""
    now = timezone.now()
    sources = [s for s, targets in GRANT_TRANSITIONS.items() if new_status in targets]
    stamp = {G.NOTIFIED: "notified_at", G.LAPSED: "lapsed_at"}.get(new_status)
    if stamp:
        fields[stamp] = now
    if new_status == G.NOTIFIED:
        fields["due_on"] = due_date(timezone.localdate(now))
    if new_status == G.ELIGIBLE:
        fields.setdefault("matched_at", now)
    by_id = {g.pk: g for g in grants}
    movable = PolicyGrant.objects.filter(pk__in=by_id, status__in=sources)
    moved = dict(movable.values_list("pk", "status"))
    PolicyGrant.objects.filter(pk__in=list(moved)).update(
        status=new_status, updated_at=now, **fields
    )
    events = []
    for pk, before in moved.items():
        grant = by_id[pk]
        grant.status = new_status
        for name, value in fields.items():
            setattr(grant, name, value)
        events.append(
            build_event(
                actor=actor,
                action=f"policy_grant.{new_status}",
                obj=grant,
                enterprise=grant.enterprise,
                before={"status": before},
                after={"status": new_status},
                message=reason,
            )
        )
    record_events(events)
    if moved and new_status in (G.NOTIFIED, G.LAPSED):
        notify_members(policy, list(moved), new_status, reason=reason)
    return list(moved)


NOTICES = {
    G.NOTIFIED: _lazy("您符合政策“%(p)s”，请确认"),
    G.LAPSED: _lazy("您已不再符合政策“%(p)s”"),
    G.DELIVERED: _lazy("政策“%(p)s”已兑现"),
}


def notify_members(policy, grant_ids, status, *, reason=""):
    """Tell the active members of the grants' enterprises, in one notify call."""
    members = User.objects.filter(
        memberships__enterprise__grants__in=grant_ids,
        memberships__status=MembershipStatus.ACTIVE,
    ).distinct()
    notify(
        list(members),
        title=str(NOTICES[status]) % {"p": policy.title},
        body=reason,
        url=_grant_url(),
    )


def new_grant_events(grants):
    """The audit events of grants the job creates already notified: one each, recording
    the eligible → notified step and why the enterprise is eligible."""
    return [
        build_event(
            actor=None,
            action="policy_grant.notified",
            obj=g,
            enterprise=g.enterprise,
            before={"status": G.ELIGIBLE},
            after={"status": G.NOTIFIED, "due_on": g.due_on, "explanation": g.explanation},
        )
        for g in grants
    ]
