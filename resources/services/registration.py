"""Data-resource registration (数据资源登记): apply, accept, review, notice, code (and
return or reject on the way). After coding: `resources.services.changes`.

Every state change goes through `set_resource_status` (config.workflow.apply_transition:
row lock, transitions table, save, audit event `data_resource.<status>`); the named
actions below are thin wrappers that check who may act. Notifications are written in
the same transaction as the change (their e-mails leave on commit, see `notify`).
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from accounts.services import staff_for_region
from audit.services import record_event
from config.errors import DomainError
from config.workflow import apply_transition
from notifications.messages import Message
from notifications.services import notify
from resources.models import (
    CODE_PREFIX,
    NOTICE_DAYS,
    PROTECTED_LEVELS,
    RESOURCE_TRANSITIONS,
    DataDomain,
    DataResource,
    DataSource,
    RegistrationCodeSequence,
    ResourceStatus,
    SecurityLevel,
    UpdateCycle,
    UsageRight,
    VolumeUnit,
)
from resources.permissions import can_register_resources, can_review_resources

S = ResourceStatus
RESOURCE_FIELDS = [
    "name",
    "description",
    "domain",
    "sources",
    "volume",
    "volume_unit",
    "update_cycle",
    "usage_rights",
    "security_level",
    "security_measures",
]
CHOICE_FIELDS = {
    "domain": DataDomain,
    "volume_unit": VolumeUnit,
    "update_cycle": UpdateCycle,
    "security_level": SecurityLevel,
}
LIST_FIELDS = {"sources": DataSource, "usage_rights": UsageRight}


class ResourceProblems(DomainError):
    """Refused values, field by field, so that a form can show each one in place."""

    def __init__(self, by_field: dict[str, str]):
        super().__init__("；".join(by_field.values()))
        self.by_field = by_field


def _label(name):
    return DataResource._meta.get_field(name).verbose_name


def value_problems(values: dict) -> dict[str, str]:
    """What is wrong with a complete set of resource values, field by field."""
    problems = {}
    for name in RESOURCE_FIELDS:
        value = values.get(name)
        if name != "security_measures" and value in (None, "", []):
            problems[name] = _("请填写%(f)s。") % {"f": _label(name)}
    for name, choices in CHOICE_FIELDS.items():
        if values.get(name) and values[name] not in choices.values:
            problems[name] = _("%(f)s的取值无效。") % {"f": _label(name)}
    for name, choices in LIST_FIELDS.items():
        chosen = values.get(name) or []
        if not isinstance(chosen, list) or not set(chosen) <= set(choices.values):
            problems[name] = _("%(f)s的取值无效。") % {"f": _label(name)}
    volume = values.get("volume")
    if volume not in (None, ""):
        try:
            if Decimal(volume) <= 0:
                problems["volume"] = _("数据规模必须大于 0。")
        except (InvalidOperation, TypeError):
            problems["volume"] = _("数据规模必须是数字。")
    if (
        values.get("security_level") in PROTECTED_LEVELS
        and not (values.get("security_measures") or "").strip()
    ):
        problems["security_measures"] = _(
            "重要数据和核心数据须说明安全保护措施（如分类分级管控、访问控制、加密存储、审计留痕）。"
        )
    return problems


def clean_values(values: dict) -> dict:
    """The resource fields of `values`, normalised; refused with ResourceProblems."""
    problems = value_problems(values)
    if problems:
        raise ResourceProblems(problems)
    cleaned = {name: values.get(name) for name in RESOURCE_FIELDS}
    for name in ("name", "description", "security_measures"):
        cleaned[name] = (cleaned[name] or "").strip()
    for name, choices in LIST_FIELDS.items():  # stored in the order of the choices
        cleaned[name] = [key for key in choices.values if key in cleaned[name]]
    cleaned["volume"] = Decimal(cleaned["volume"]).quantize(Decimal("0.01"))
    return cleaned


def snapshot(resource) -> dict:
    """The resource fields as JSON values (for revisions and audit)."""
    values = {name: getattr(resource, name) for name in RESOURCE_FIELDS}
    values["volume"] = str(Decimal(values["volume"]).quantize(Decimal("0.01")))
    return values


def _detail_url(resource):
    return reverse("resources:resource-detail", args=[resource.pk])


def tell_enterprise(resource, title, body=""):
    notify(resource.enterprise.active_members(), title=title, body=body, url=_detail_url(resource))


def tell_staff(resource, title):
    notify(
        staff_for_region(resource.enterprise.region),
        title=title,
        url=_detail_url(resource),
        email=False,
    )


def check_member(actor, enterprise):
    if not can_register_resources(actor, enterprise):
        raise DomainError(_("只有本企业成员可以办理数据资源登记。"))


def check_reviewer(actor, resource):
    if not can_review_resources(actor, resource.enterprise):
        raise DomainError(_("只有企业所在辖区的数据管理部门可以审核该数据资源。"))


def required_reason(reason, what):
    if not (reason or "").strip():
        raise DomainError(_("请填写%(what)s。") % {"what": what}, field="reason")
    return reason.strip()


# --- application ----------------------------------------------------------------------


def apply_resource(enterprise, *, actor, values: dict) -> DataResource:
    """An enterprise member applies to register a data resource.

    Side effects: the resource (`applied`); audit event `data_resource.applied`;
    the bureaus of its jurisdiction notified.
    """
    check_member(actor, enterprise)
    cleaned = clean_values(values)
    with transaction.atomic():
        resource = DataResource.objects.create(enterprise=enterprise, applied_by=actor, **cleaned)
        record_event(
            actor=actor,
            action="data_resource.applied",
            obj=resource,
            enterprise=enterprise,
            after=snapshot(resource),
        )
        title = Message(N_("%(e)s 申请登记数据资源：%(n)s"), e=enterprise.name, n=resource.name)
        tell_staff(resource, title)
    return resource


def set_resource_status(resource, new_status, *, actor, reason="", **fields) -> DataResource:
    """The one way a data resource changes state (see RESOURCE_TRANSITIONS).

    Side effects: status and `fields` saved under a row lock; audit event
    `data_resource.<new_status>` with `reason`. Callers check who may act.
    """
    return apply_transition(
        resource,
        new_status,
        transitions=RESOURCE_TRANSITIONS,
        actor=actor,
        action_prefix="data_resource",
        refused=_("数据资源当前为“%(now)s”，不能变更为“%(new)s”。"),
        message=reason,
        **fields,
    )


def resubmit_resource(resource, *, actor, values: dict) -> DataResource:
    """The enterprise corrects a returned application and submits it again."""
    check_member(actor, resource.enterprise)
    cleaned = clean_values(values)
    with transaction.atomic():
        resubmitted = set_resource_status(resource, S.APPLIED, actor=actor, **cleaned)
        tell_staff(
            resubmitted, Message(N_("数据资源登记已补正并重新提交：%(n)s"), n=resubmitted.name)
        )
    return resubmitted


def accept_resource(resource, *, actor) -> DataResource:
    """受理: staff take the application in."""
    check_reviewer(actor, resource)
    with transaction.atomic():
        accepted = set_resource_status(resource, S.ACCEPTED, actor=actor)
        tell_enterprise(accepted, Message(N_("数据资源登记已受理：%(n)s"), n=accepted.name))
    return accepted


def review_resource(resource, *, actor, note: str = "") -> DataResource:
    """审核: staff found the application complete and true."""
    check_reviewer(actor, resource)
    return set_resource_status(resource, S.REVIEWED, actor=actor, reason=note.strip())


def publish_notice(resource, *, actor, today: datetime.date | None = None) -> DataResource:
    """公示: the resource appears on the public notice page for NOTICE_DAYS days."""
    check_reviewer(actor, resource)
    starts = today or timezone.localdate()
    ends = starts + datetime.timedelta(days=NOTICE_DAYS - 1)
    with transaction.atomic():
        noticed = set_resource_status(
            resource, S.NOTICED, actor=actor, notice_starts_on=starts, notice_ends_on=ends
        )
        tell_enterprise(
            noticed,
            Message(N_("数据资源进入公示：%(n)s"), n=noticed.name),
            Message(N_("公示期 %(a)s 至 %(b)s，期满无异议后赋予登记编号。"), a=starts, b=ends),
        )
    return noticed


def next_code(region_code: str, year: int) -> str:
    """The next registration code of a region and year. Call inside a transaction: the
    sequence row stays locked until it commits, so concurrent codings queue here and
    a rolled-back coding gives its number back."""
    sequence, _created = RegistrationCodeSequence.objects.get_or_create(
        region_code=region_code, year=year
    )
    locked = RegistrationCodeSequence.objects.select_for_update().get(pk=sequence.pk)
    locked.last += 1
    locked.save(update_fields=["last"])
    return f"{CODE_PREFIX}-{region_code}-{year}-{locked.last:06d}"


def code_resource(resource, *, actor) -> DataResource:
    """赋码: after a notice period without objection, the resource gets its unique code.

    Side effects: the region-year sequence advanced; code and time saved; audit event
    `data_resource.coded`; the enterprise notified.
    """
    check_reviewer(actor, resource)
    now = timezone.now()
    with transaction.atomic():
        # Lock the resource before the sequence (the same order everywhere), and check
        # the notice on the locked row: a second coding waits here and is then refused.
        locked = DataResource.objects.select_for_update().get(pk=resource.pk)
        fields = {}  # from any other state, set_resource_status refuses the move
        if locked.status == S.NOTICED:
            if timezone.localdate(now) <= locked.notice_ends_on:
                raise DomainError(
                    _("公示期至 %(d)s 止，公示期满后才能赋码。") % {"d": locked.notice_ends_on}
                )
            year = timezone.localdate(now).year
            fields = {"code": next_code(resource.enterprise.region.code, year), "coded_at": now}
        coded = set_resource_status(resource, S.CODED, actor=actor, **fields)
        tell_enterprise(
            coded,
            Message(N_("数据资源已完成登记：%(n)s"), n=coded.name),
            Message(N_("登记编号：%(c)s"), c=coded.code),
        )
    return coded


def return_resource(resource, *, actor, reason: str) -> DataResource:
    """退回补正: staff send the application back with what to correct."""
    check_reviewer(actor, resource)
    reason = required_reason(reason, _("退回原因"))
    with transaction.atomic():
        returned = set_resource_status(
            resource, S.RETURNED, actor=actor, reason=reason,
            notice_starts_on=None, notice_ends_on=None,
        )  # fmt: skip
        tell_enterprise(returned, Message(N_("数据资源登记被退回补正：%(n)s"), n=returned.name),
                         reason)  # fmt: skip
    return returned


def reject_resource(resource, *, actor, reason: str) -> DataResource:
    """不予登记: staff refuse the application for good, with the reason."""
    check_reviewer(actor, resource)
    reason = required_reason(reason, _("不予登记的理由"))
    with transaction.atomic():
        rejected = set_resource_status(resource, S.REJECTED, actor=actor, reason=reason)
        tell_enterprise(rejected, Message(N_("数据资源不予登记：%(n)s"), n=rejected.name), reason)
    return rejected
