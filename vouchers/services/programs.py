"""Voucher programmes: create and edit a draft, publish (rules frozen), a new version of a
published one, close, withdraw. One function per step, each audited."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from audit.services import record_event, snapshot
from conditions.engine import validate
from config.errors import DomainError
from config.workflow import apply_transition
from notifications.messages import Message
from notifications.services import notify
from vouchers.models import (
    PROGRAM_TRANSITIONS,
    ProgramStatus,
    VoucherProgram,
)
from vouchers.models.choices import CONTRACT_HOLDING_STATES
from vouchers.permissions import can_manage_program
from vouchers.services.edits import check_fields, save_changes
from vouchers.services.notices import program_staff

PROGRAM_FIELDS = [
    "kind",
    "name",
    "year",
    "jurisdiction",
    "description",
    "budget",
    "subsidy_ratio",
    "startup_ratio",
    "startup_age_years",
    "annual_cap",
    "contract_cap",
    "opens_on",
    "closes_on",
    "validity_length",
    "validity_unit",
    "settlement_working_days",
    "redemption_mode",
    "conditions",
]


def _check_manager(actor, jurisdiction):
    if not can_manage_program(actor, jurisdiction):
        raise DomainError(_("只有计划所属辖区的数据管理部门可以管理该券种计划。"))


def _check_values(values):
    """The rules a programme must satisfy whatever path wrote it (form, API, service)."""
    # No conditions ({}) is allowed: every verified enterprise of the area may apply.
    if values.get("conditions") and (problems := validate(values["conditions"])):
        raise DomainError("；".join(problems), field="conditions")
    if values["closes_on"] < values["opens_on"]:
        raise DomainError(_("申请截止日期不能早于申请开始日期。"), field="closes_on")
    ratio, startup = values["subsidy_ratio"], values.get("startup_ratio")
    if startup is not None and startup < ratio:
        raise DomainError(_("初创企业补贴比例不能低于一般补贴比例。"), field="startup_ratio")
    if (startup is None) != (values.get("startup_age_years") is None):
        raise DomainError(
            _("初创企业补贴比例与成立年限须同时填写或同时留空。"), field="startup_ratio"
        )
    if values["contract_cap"] > values["budget"] or values["annual_cap"] > values["budget"]:
        raise DomainError(_("单份合同上限和每家企业每年上限不能超过总预算。"), field="budget")


def create_program(*, actor, **values) -> VoucherProgram:
    """A draft programme in `values["jurisdiction"]` (PROGRAM_FIELDS).

    Refusals: actor not staff of that jurisdiction; invalid conditions or rules.
    Side effects: audit `voucher_program.created`.
    """
    _check_manager(actor, values["jurisdiction"])
    values["conditions"] = values.get("conditions") or {}
    _check_values(values)
    with transaction.atomic():
        program = VoucherProgram.objects.create(created_by=actor, **values)
        record_event(
            actor=actor,
            action="voucher_program.created",
            obj=program,
            after=snapshot(program, PROGRAM_FIELDS),
        )
    return program


def update_program(program, *, actor, **changes) -> VoucherProgram:
    """Edit a draft (a published programme changes by a new version instead).

    Refusals: not staff of its jurisdiction; not a draft; unknown fields; invalid rules.
    Side effects: audit `voucher_program.updated` with the fields before and after.
    """
    _check_manager(actor, program.jurisdiction)
    if "jurisdiction" in changes:
        _check_manager(actor, changes["jurisdiction"])
    check_fields(changes, PROGRAM_FIELDS)
    with transaction.atomic():
        locked = VoucherProgram.objects.select_for_update().get(pk=program.pk)
        if locked.status != ProgramStatus.DRAFT:
            raise DomainError(_("计划发布后规则即冻结；如需修改，请创建新版本。"))
        _check_values({**snapshot_values(locked), **changes})
        locked = save_changes(locked, changes, actor=actor, action="voucher_program.updated")
    return locked


def snapshot_values(program) -> dict:
    return {f: getattr(program, f) for f in PROGRAM_FIELDS}


def _set_status(program, new_status, *, actor, reason="", **fields):
    _check_manager(actor, program.jurisdiction)
    return apply_transition(
        program,
        new_status,
        transitions=PROGRAM_TRANSITIONS,
        actor=actor,
        action_prefix="voucher_program",
        refused=_("券种计划当前为“%(now)s”，不能改为“%(new)s”。"),
        message=reason,
        **fields,
    )


def publish_program(program, *, actor) -> VoucherProgram:
    """Publish a draft: its rules are frozen from now on. A new version replaces its
    previous one, which is closed to new applications (its vouchers run on).

    Refusals: not staff of its jurisdiction; not a draft; window already over; invalid rules.
    Side effects: status `published` (audit `voucher_program.published`); the previous
    version `closed` (audited); the jurisdiction's staff notified.
    """
    _check_values(snapshot_values(program))
    if program.closes_on < timezone.localdate():
        raise DomainError(_("申请截止日期已过，不能发布。"), field="closes_on")
    with transaction.atomic():
        program = _set_status(
            program, ProgramStatus.PUBLISHED, actor=actor, published_at=timezone.now()
        )
        previous = program.previous
        if previous is not None and previous.status == ProgramStatus.PUBLISHED:
            _set_status(
                previous,
                ProgramStatus.CLOSED,
                actor=actor,
                reason=_("已由第 %(v)s 版取代") % {"v": program.version},
                closed_at=timezone.now(),
            )
        notify(
            program_staff(program),
            title=Message(N_("券种计划“%(p)s”已发布"), p=program),
            email=False,
        )
    return program


def new_program_version(program, *, actor, **changes) -> VoucherProgram:
    """A draft copy of a published (or closed) programme with version + 1, `previous` set
    and `changes` applied; its budget defaults to what the previous version has left.

    Refusals: not staff; the programme is a draft or withdrawn; it already has a next version.
    Side effects: the new draft; audit `voucher_program.versioned` on it.
    """
    _check_manager(actor, program.jurisdiction)
    check_fields(changes, PROGRAM_FIELDS)
    with transaction.atomic():
        locked = VoucherProgram.objects.select_for_update().get(pk=program.pk)
        if locked.status not in (ProgramStatus.PUBLISHED, ProgramStatus.CLOSED):
            raise DomainError(_("只有已发布或已关闭的计划可以创建新版本；草稿请直接修改。"))
        if VoucherProgram.objects.filter(previous=locked).exists():
            raise DomainError(_("该计划已有新版本，请修改那个版本。"))
        values = {**snapshot_values(locked), "budget": locked.remaining, **changes}
        if "jurisdiction" in changes:
            _check_manager(actor, changes["jurisdiction"])
        if values["budget"] <= 0:
            raise DomainError(_("新版本的总预算应大于 0。"), field="budget")
        _check_values(values)
        draft = VoucherProgram.objects.create(
            created_by=actor,
            version=locked.version + 1,
            previous=locked,
            root_id=locked.lineage_id,
            **values,
        )
        record_event(
            actor=actor,
            action="voucher_program.versioned",
            obj=draft,
            before={"version": locked.version},
            after=snapshot(draft, [*PROGRAM_FIELDS, "version"]),
        )
    return draft


def close_program(program, *, actor, reason: str = "") -> VoucherProgram:
    """Stop taking applications (pending ones are still decided; vouchers run on).
    Side effects: status `closed` (audit `voucher_program.closed`)."""
    return _set_status(
        program, ProgramStatus.CLOSED, actor=actor, reason=reason, closed_at=timezone.now()
    )


def withdraw_program(program, *, actor, reason: str) -> VoucherProgram:
    """Withdraw a draft or a published programme that has no live application (one with
    applications is closed instead). Side effects: status `withdrawn` (audited)."""
    if not reason.strip():
        raise DomainError(_("撤回计划时请填写原因。"), field="reason")
    live = program.applications.filter(status__in=CONTRACT_HOLDING_STATES)
    if live.exists():
        raise DomainError(_("该计划已有申请或已发券，不能撤回，请改为关闭。"))
    return _set_status(
        program,
        ProgramStatus.WITHDRAWN,
        actor=actor,
        reason=reason.strip(),
        closed_at=timezone.now(),
    )
