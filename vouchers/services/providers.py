"""Providers: registration, catalogue, related-party declarations, and membership of
programmes (the provider applies; the programme's staff approve, suspend or remove)."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from accounts.models import OrganisationKind
from audit.services import record_event, snapshot
from config.constraint_messages import message_for
from config.errors import DomainError
from config.text_limits import check_length
from config.workflow import apply_transition
from notifications.messages import Message
from notifications.services import notify
from registry.models import Enterprise
from registry.uscc import validate_uscc
from vouchers.models import (
    MEMBERSHIP_TRANSITIONS,
    HubNode,
    MembershipStatus,
    Product,
    ProgramProvider,
    ProgramStatus,
    Provider,
    RelatedParty,
    RelationKind,
    VoucherKind,
)
from vouchers.permissions import acts_for_provider, can_manage_program, can_register_provider
from vouchers.services.edits import check_fields, save_changes
from vouchers.services.notices import program_staff, provider_users

PROVIDER_FIELDS = ["service_kinds", "hub_node", "group_name"]
PRODUCT_FIELDS = ["kind", "name", "unit", "unit_price", "is_active"]


def _check_provider_values(service_kinds, hub_node):
    if not service_kinds or set(service_kinds) - set(VoucherKind.values):
        raise DomainError(_("请至少选择一种有效的服务类型。"), field="service_kinds")
    if hub_node and hub_node not in HubNode.values:
        raise DomainError(_("请选择有效的算力枢纽节点。"), field="hub_node")
    if VoucherKind.COMPUTE in service_kinds and not hub_node:
        raise DomainError(_("提供算力服务的服务商须填写算力所在的国家枢纽节点。"), field="hub_node")


def register_provider(
    organisation, *, actor, service_kinds, hub_node="", group_name=""
) -> Provider:
    """Make a provider organisation a voucher provider.

    Refusals: actor not a user of that organisation (nor an admin); organisation not of kind
    provider; already registered; no valid service kind; compute without a hub node.
    Side effects: the Provider row; audit `provider.registered`.
    """
    if not can_register_provider(actor, organisation):
        raise DomainError(_("只有服务商本单位的账户可以登记为服务商。"))
    if organisation.kind != OrganisationKind.PROVIDER:
        raise DomainError(_("只有“数据/算法/算力服务商”类型的机构可以登记为服务商。"))
    _check_provider_values(service_kinds, hub_node)
    with transaction.atomic():
        if Provider.objects.filter(organisation=organisation).exists():
            raise DomainError(_("该机构已登记为服务商。"))
        provider = Provider.objects.create(
            organisation=organisation,
            service_kinds=sorted(set(service_kinds)),
            hub_node=hub_node,
            group_name=group_name.strip(),
            created_by=actor,
        )
        record_event(
            actor=actor,
            action="provider.registered",
            obj=provider,
            after=snapshot(provider, PROVIDER_FIELDS),
        )
    return provider


def _check_provider_actor(actor, provider):
    if not (acts_for_provider(actor, provider) or (actor.is_authenticated and actor.is_admin)):
        raise DomainError(_("只有该服务商的账户可以进行此操作。"))


def update_provider(provider, *, actor, **changes) -> Provider:
    """Edit service kinds, hub node, group name. Side effects: audit `provider.updated`."""
    _check_provider_actor(actor, provider)
    check_fields(changes, PROVIDER_FIELDS)
    values = {**snapshot(provider, PROVIDER_FIELDS), **changes}
    _check_provider_values(values["service_kinds"], values["hub_node"])
    with transaction.atomic():
        locked = Provider.objects.select_for_update().get(pk=provider.pk)
        return save_changes(locked, changes, actor=actor, action="provider.updated")


def declare_related_party(provider, *, actor, kind, uscc, note="") -> RelatedParty:
    """The provider declares a shareholding in, or a group shared with, the enterprise of
    `uscc`: they can no longer transact under any programme.

    Refusals: not the provider's user; invalid kind or USCC; declared already.
    Side effects: the row (linked to the enterprise if registered); audit
    `provider.related_party_declared`.
    """
    _check_provider_actor(actor, provider)
    if kind not in RelationKind.values:
        raise DomainError(_("请选择有效的关联类型。"), field="kind")
    uscc = validate_uscc(uscc)
    try:
        with transaction.atomic():
            row = RelatedParty.objects.create(
                provider=provider,
                kind=kind,
                uscc=uscc,
                enterprise=Enterprise.objects.filter(uscc=uscc).first(),
                note=note.strip()[:200],
                declared_by=actor,
            )
            record_event(
                actor=actor,
                action="provider.related_party_declared",
                obj=provider,
                after={"kind": kind, "uscc": uscc},
            )
    except IntegrityError:
        raise DomainError(str(message_for("related_party_unique")), field="uscc") from None
    return row


def _check_product_values(provider, values):
    if values["kind"] not in provider.service_kinds:
        raise DomainError(_("该产品的券种不在服务商的服务类型之内。"), field="kind")
    if values["unit_price"] is None or values["unit_price"] <= 0:
        raise DomainError(str(message_for("product_price_positive")), field="unit_price")
    if not values["name"].strip() or not values["unit"].strip():
        raise DomainError(_("请填写产品名称和计量单位。"), field="name")


def add_product(provider, *, actor, kind, name, unit, unit_price) -> Product:
    """A catalogue line. Refusals: not the provider's user; kind outside its service kinds;
    price ≤ 0; same name and unit. Side effects: audit `provider.product_added`."""
    _check_provider_actor(actor, provider)
    values = {"kind": kind, "name": name, "unit": unit, "unit_price": unit_price}
    _check_product_values(provider, values)
    try:
        with transaction.atomic():
            product = Product.objects.create(
                provider=provider, kind=kind, name=name.strip(), unit=unit.strip(),
                unit_price=unit_price,
            )  # fmt: skip
            record_event(
                actor=actor,
                action="provider.product_added",
                obj=product,
                after=snapshot(product, PRODUCT_FIELDS),
            )
    except IntegrityError:
        raise DomainError(str(message_for("product_unique_name_unit")), field="name") from None
    return product


def update_product(product, *, actor, **changes) -> Product:
    """Edit a catalogue line (applications keep the price they were made at).
    Side effects: audit `provider.product_updated`."""
    _check_provider_actor(actor, product.provider)
    check_fields(changes, PRODUCT_FIELDS)
    current = {f: getattr(product, f) for f in PRODUCT_FIELDS}  # not snapshot(): str values
    _check_product_values(product.provider, {**current, **changes})
    with transaction.atomic():
        locked = Product.objects.select_for_update().get(pk=product.pk)
        return save_changes(locked, changes, actor=actor, action="provider.product_updated")


def join_program(program, provider, *, actor) -> ProgramProvider:
    """The provider applies to serve a published programme.

    Refusals: not the provider's user; programme not published; its kind not among the
    provider's service kinds; applied already.
    Side effects: membership `applied` (audit `program_provider.applied`); the
    programme's staff notified.
    """
    if not acts_for_provider(actor, provider):
        raise DomainError(_("只有该服务商的账户可以申请加入计划。"))
    if program.status != ProgramStatus.PUBLISHED:
        raise DomainError(_("只能申请加入已发布的计划。"))
    if program.kind not in provider.service_kinds:
        raise DomainError(_("该计划的券种不在服务商的服务类型之内。"))
    try:
        with transaction.atomic():
            membership = ProgramProvider.objects.create(
                program=program, provider=provider, applied_by=actor
            )
            record_event(
                actor=actor,
                action="program_provider.applied",
                obj=membership,
                after={"status": MembershipStatus.APPLIED},
            )
            notify(
                program_staff(program),
                title=Message(N_("服务商“%(s)s”申请加入“%(p)s”"), s=provider, p=program),
            )
    except IntegrityError:
        raise DomainError(str(message_for("program_provider_unique"))) from None
    return membership


def set_membership_status(membership, new_status, *, actor, reason="") -> ProgramProvider:
    """The one way a membership changes (table: MEMBERSHIP_TRANSITIONS); staff of the
    programme's jurisdiction decide. Suspending or removing needs a reason.
    Side effects: audit `program_provider.<status>`; the provider's users notified."""
    if not can_manage_program(actor, membership.program.jurisdiction):
        raise DomainError(_("只有计划所属辖区的数据管理部门可以决定服务商入围。"))
    reason = check_length(ProgramProvider, "reason", reason, "program_provider_reason_length")
    if new_status in (MembershipStatus.SUSPENDED, MembershipStatus.REMOVED) and not reason:
        raise DomainError(_("暂停或移出服务商时请填写原因。"), field="reason")
    with transaction.atomic():
        membership = apply_transition(
            membership,
            new_status,
            transitions=MEMBERSHIP_TRANSITIONS,
            actor=actor,
            action_prefix="program_provider",
            refused=_("服务商入围状态当前为“%(now)s”，不能改为“%(new)s”。"),
            message=reason,
            reason=reason,
            decided_by=actor,
            decided_at=timezone.now(),
        )
        notify(
            provider_users(membership.provider),
            title=Message(
                N_("“%(p)s”：服务商入围状态为“%(s)s”"),
                p=membership.program,
                s=MembershipStatus(new_status).label,
            ),
            body=reason,
        )
    return membership


def approve_membership(membership, *, actor) -> ProgramProvider:
    return set_membership_status(membership, MembershipStatus.APPROVED, actor=actor)


def suspend_membership(membership, *, actor, reason) -> ProgramProvider:
    return set_membership_status(membership, MembershipStatus.SUSPENDED, actor=actor, reason=reason)


def remove_membership(membership, *, actor, reason) -> ProgramProvider:
    return set_membership_status(membership, MembershipStatus.REMOVED, actor=actor, reason=reason)
