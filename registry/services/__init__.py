from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from accounts.models import Region, Role
from accounts.phone import normalise_contact_phone
from accounts.services import create_account, staff_for_region
from audit.services import record_event, snapshot
from config.errors import DomainError
from config.workflow import apply_transition
from notifications.messages import Message, label_of
from notifications.services import notify
from registry.choices import (
    MEMBERSHIP_TRANSITIONS,
    EntryStatus,
    MembershipStatus,
    VerificationStatus,
)
from registry.models import Enterprise, Membership, RegistryEntry, TierChange
from registry.permissions import can_confirm_tier, can_decide_membership, can_edit_enterprise
from registry.services.transfers import needs_transfer, request_transfer
from registry.services.verification import require_verified
from registry.signals import announce_entry_admitted, announce_facts_changed
from registry.uscc import validate_uscc

PROFILE_FIELDS = [
    "name",
    "region",
    "industry",
    "category",
    "founded_on",
    "size",
    "listing_status",
    "contact_name",
    "contact_phone",
    "contact_email",
    "website",
    "description",
]


def _check_profile(values: dict) -> dict:
    """Refuse a founding date outside 1949-10-01 – today, a contact phone that is not a
    phone number and over-long text, with the sentence the form shows; returns the values
    with the phone normalised. Forms check these too; this is the service's own guard."""
    values = dict(values)
    if "contact_phone" in values:
        values["contact_phone"] = normalise_contact_phone(values["contact_phone"])
    for name in ("founded_on", "contact_phone", "description"):
        if name not in values:
            continue
        try:
            Enterprise._meta.get_field(name).run_validators(values[name])
        except ValidationError as exc:
            raise DomainError(exc.messages[0], field=name) from exc
    return values


def _already_registered(uscc):
    return DomainError(
        _("统一社会信用代码 %(uscc)s 已登记。如您是该企业员工，请使用“申请加入企业”。")
        % {"uscc": uscc},
        field="uscc",
    )


def _uscc_taken(uscc) -> bool:
    return Enterprise.objects.filter(uscc=uscc).exists()


def register_enterprise(*, account: dict, profile: dict) -> Enterprise:
    """Self-registration: a new user account plus its enterprise, in one step.

    Side effects: a User (role enterprise), the Enterprise, an active Membership;
    audit events `account.created` and `enterprise.registered`; bureau staff of
    the region are notified.
    """
    profile = _check_profile(profile)
    uscc = validate_uscc(profile.pop("uscc"))
    if _uscc_taken(uscc):
        raise _already_registered(uscc)
    try:
        with transaction.atomic():
            user = create_account(role=Role.ENTERPRISE, **account)
            enterprise = Enterprise.objects.create(
                uscc=uscc, verification_status=VerificationStatus.UNVERIFIED, **profile
            )
            Membership.objects.create(  # who registers it administers it
                user=user, enterprise=enterprise, status=MembershipStatus.ACTIVE, is_admin=True
            )
            record_event(
                actor=user,
                action="enterprise.registered",
                obj=enterprise,
                enterprise=enterprise,
                after=snapshot(enterprise, ["uscc", *PROFILE_FIELDS]),
            )
            notify(
                staff_for_region(enterprise.region),
                title=Message(N_("新企业注册：%(name)s"), name=enterprise.name),
                url=reverse("registry:enterprise-detail", args=[enterprise.pk]),
            )
    except IntegrityError as exc:
        if _uscc_taken(uscc):  # a concurrent registration won the race
            raise _already_registered(uscc) from exc
        raise
    return enterprise


def request_membership(*, account: dict, uscc: str, note: str = "") -> Membership:
    """A second person of a registered enterprise asks to join it.

    Side effects: a User (role enterprise), a pending Membership, audit event
    `membership.requested`; the enterprise's members and its bureau staff are notified.
    """
    uscc = validate_uscc(uscc)
    enterprise = Enterprise.objects.filter(uscc=uscc).select_related("region").first()
    if enterprise is None:
        raise DomainError(
            _("没有统一社会信用代码为 %(uscc)s 的企业。请先完成企业注册。") % {"uscc": uscc},
            field="uscc",
        )
    with transaction.atomic():
        user = create_account(role=Role.ENTERPRISE, **account)
        membership = Membership.objects.create(user=user, enterprise=enterprise, note=note)
        record_event(
            actor=user,
            action="membership.requested",
            obj=membership,
            enterprise=enterprise,
            after={"user": user.email, "note": note},
        )
        members = list(enterprise.active_members())
        notify(
            [*members, *staff_for_region(enterprise.region)],
            title=Message(
                N_("%(person)s 申请加入 %(name)s"), person=user.full_name, name=enterprise.name
            ),
            url=reverse("registry:membership-list"),
        )
    return membership


def set_membership_status(membership, new_status, *, actor, reason: str = "") -> Membership:
    """The one way a membership changes state (pending → active | rejected).

    Side effects: audit event `membership.<status>`; the applicant is notified.
    """
    if not can_decide_membership(actor, membership):
        raise DomainError(_("您无权审核该加入申请。"))
    if new_status == MembershipStatus.REJECTED and not reason.strip():
        raise DomainError(_("拒绝加入申请时请填写理由。"), field="reason")
    with transaction.atomic():
        # Locked and checked against the table: a second reviewer gets the refusal.
        locked = apply_transition(
            membership, new_status, transitions=MEMBERSHIP_TRANSITIONS, actor=actor,
            action_prefix="membership", refused=_("该申请当前状态为“%(now)s”，不能再审核。"),
            message=reason.strip(), reason=reason.strip(), decided_by=actor,
            decided_at=timezone.now(),
        )  # fmt: skip
        if new_status == MembershipStatus.ACTIVE:
            # The first member of an enterprise nobody administers (e.g. one staff
            # entered) becomes its administrator.
            admins = Membership.objects.active().filter(enterprise=locked.enterprise_id)
            if not admins.filter(is_admin=True).exists():
                Membership.objects.filter(pk=locked.pk).update(is_admin=True)
                locked.is_admin = True
            title = Message(N_("您已加入 %(name)s"), name=locked.enterprise.name)
        else:
            title = Message(N_("您加入 %(name)s 的申请未通过"), name=locked.enterprise.name)
        notify([locked.user], title=title, body=locked.reason, url=reverse("home"))
    return locked


def approve_membership(membership, *, actor) -> Membership:
    return set_membership_status(membership, MembershipStatus.ACTIVE, actor=actor)


def reject_membership(membership, *, actor, reason: str) -> Membership:
    return set_membership_status(membership, MembershipStatus.REJECTED, actor=actor, reason=reason)


# Profile fields a policy condition can read (conditions/engine.FIELDS).
CONDITION_FIELDS = {"region", "industry", "category", "size", "listing_status", "founded_on"}


def update_enterprise(enterprise, *, actor, transfer_reason: str = "", **changes) -> Enterprise:
    """Edit the profile; the USCC never changes here. Staff moving the enterprise out of
    their own jurisdiction do not move it: that becomes a transfer request (with
    `transfer_reason`) for the receiving jurisdiction, and the other changes apply. So
    does a member moving an enterprise in a jurisdiction's care (verified, under review or
    in the registry: transfers.in_jurisdiction_care); before that, members move it at once.

    Side effects: audit event `enterprise.updated` with the changed fields only; those of
    request_transfer when one is made.
    """
    if not can_edit_enterprise(actor, enterprise):
        raise DomainError(_("您无权修改该企业信息。"))
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise DomainError(_("不能修改这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    changes = _check_profile(changes)
    with transaction.atomic():
        locked = (
            Enterprise.objects.select_for_update().select_related("region").get(pk=enterprise.pk)
        )
        new_region = changes.get("region")
        if new_region is not None and needs_transfer(actor, locked, new_region):
            request_transfer(locked, actor=actor, to_region=new_region, reason=transfer_reason)
            changes.pop("region")
        changed = [f for f, v in changes.items() if getattr(locked, f) != v]
        if not changed:
            return locked
        before = snapshot(locked, changed)
        for field in changed:
            setattr(locked, field, changes[field])
        locked.save(update_fields=[*changed, "updated_at"])
        record_event(
            actor=actor,
            action="enterprise.updated",
            obj=locked,
            enterprise=locked,
            before=before,
            after=snapshot(locked, changed),
        )
        if set(changed) & CONDITION_FIELDS:
            # e.g. it moved region or listed: its policies change
            announce_facts_changed([locked.pk])
    return locked


def home_province(enterprise) -> Region:
    """The province an enterprise is registered in: the default cultivating jurisdiction."""
    return Region.objects.get(path=enterprise.region.path[:14])


def admit_enterprise(enterprise, *, tier, category, actor, reason, source="", admitted_on=None,
                     jurisdiction=None):  # fmt: skip
    """Enter an enterprise in the registry (or move it to another tier, or admit it again
    after it left), cultivated by `jurisdiction` (default: its province).

    Side effects: RegistryEntry created or updated, one TierChange row, audit
    event `registry.admitted` or `registry.tier_changed`; the members are notified;
    `entry_admitted` is sent (the reports app issues the registry certificate).
    """
    if not can_confirm_tier(actor, enterprise):
        raise DomainError(_("只有企业所在辖区的数据管理部门可以确定其入库层级。"))
    require_verified(
        enterprise, _("%(name)s 尚未通过企业认证，不能入库。") % {"name": enterprise.name}
    )
    with transaction.atomic():
        entry = RegistryEntry.objects.select_for_update().filter(enterprise=enterprise).first()
        from_tier = entry.tier if entry and entry.is_active else ""
        admitted_on = admitted_on or timezone.localdate()
        jurisdiction = jurisdiction or home_province(enterprise)
        if entry is None:
            entry = RegistryEntry.objects.create(
                enterprise=enterprise,
                tier=tier,
                category=category,
                admitted_on=admitted_on,
                jurisdiction=jurisdiction,
            )
            action = "registry.admitted"
        elif not entry.is_active:
            entry.tier, entry.category, entry.admitted_on = tier, category, admitted_on
            entry.status, entry.left_on, entry.jurisdiction = EntryStatus.ACTIVE, None, jurisdiction
            entry.save()
            action = "registry.admitted"
        else:
            entry.tier, entry.category = tier, category
            entry.save(update_fields=["tier", "category", "updated_at"])
            action = "registry.tier_changed"
        TierChange.objects.create(
            entry=entry,
            from_tier=from_tier,
            to_tier=tier,
            reason=reason,
            source=source,
            confirmed_by=actor,
        )
        record_event(
            actor=actor,
            action=action,
            obj=entry,
            enterprise=enterprise,
            before={"tier": from_tier} if from_tier else None,
            after={"tier": tier, "category": category},
            message=reason,
        )
        members = list(enterprise.active_members())
        notify(
            members,
            title=Message(
                N_("%(name)s 入库层级：%(tier)s"),
                name=enterprise.name,
                tier=label_of(entry, "tier"),
            ),
            body=reason,
            url=reverse("registry:enterprise-detail", args=[enterprise.pk]),
        )
        # The tier is a policy condition, and only registry enterprises are matched.
        announce_facts_changed([enterprise.pk])
        announce_entry_admitted(entry, actor=actor)
    return entry
