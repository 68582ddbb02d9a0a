"""Applications: drafting, attachments, submission with the indicator score, and the
one function through which every application changes state."""

from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from django.utils.translation import ngettext

from accounts.services import staff_for_region
from audit.services import build_event, record_event, record_events
from config.errors import DomainError
from config.uploads import check_pdf_upload
from config.workflow import apply_transition
from notifications.messages import Message
from notifications.services import notify
from registry.bounds import figure_problems
from registry.services.verification import require_verified
from selection.choices import (
    APPLICATION_TRANSITIONS,
    AWAITING_REVIEW_STATES,
    EDITABLE_STATES,
    ApplicationStatus,
    AttachmentKind,
)
from selection.indicators import score_application
from selection.models import Application, ApplicationAttachment, ApplicationFigures
from selection.permissions import can_apply, can_edit_application
from selection.services.rounds import rubric_of

S = ApplicationStatus
YEARS_OF_FIGURES = 3
APPLICATION_FIELDS = [
    "category",
    "tier_sought",
    "size",
    "innovation_summary",
    "data_practice",
    "growth_plan",
    "award_level",
    "rd_institution_level",
]
FIGURE_FIELDS = [
    "revenue",
    "main_business_revenue",
    "rd_expense",
    "rd_staff",
    "employees",
    "invention_patents",
    "software_copyrights",
    "debt_ratio",
    "financing_raised",
    "valuation",
]
# What a year's form asks for: the figures, and the reason a debt ratio above 100 % needs.
FIGURE_FORM_FIELDS = [*FIGURE_FIELDS, "debt_ratio_reason"]


def set_application_status(application, new_status, *, actor, reason="", **fields):
    """The one way an application changes state; illegal moves raise DomainError.

    Side effects: the new status (and `fields`) saved under a row lock; audit event
    `application.<status>`. Callers check permission; notifications are theirs too.
    """
    return apply_transition(
        application,
        new_status,
        transitions=APPLICATION_TRANSITIONS,
        actor=actor,
        action_prefix="application",
        refused=_("申请当前为“%(now)s”，不能变更为“%(new)s”。"),
        message=reason,
        **fields,
    )


def bulk_set_status(applications, new_status, *, actor, changes=None, reason="") -> int:
    """set_application_status for many applications at once (the tiering job):
    the same transition table, one UPDATE per batch and one bulk audit insert.
    `changes` maps application id -> {field: value}. Call inside a transaction."""
    changes = changes or {}
    illegal = [a for a in applications if new_status not in APPLICATION_TRANSITIONS[S(a.status)]]
    if illegal:
        raise DomainError(
            ngettext(
                "%(n)d 份申请的当前状态不能变更为“%(new)s”。",
                "%(n)d 份申请的当前状态不能变更为“%(new)s”。",
                len(illegal),
            )
            % {"n": len(illegal), "new": S(new_status).label}
        )
    fields = {"status", "updated_at"}
    events = []
    now = timezone.now()
    for application in applications:
        before = application.status
        application.status = new_status
        application.updated_at = now
        for name, value in changes.get(application.pk, {}).items():
            setattr(application, name, value)
            fields.add(name)
        events.append(
            build_event(
                actor=actor,
                action=f"application.{new_status}",
                obj=application,
                enterprise=application.enterprise,
                before={"status": before},
                after={"status": new_status},
                message=reason,
            )
        )
    _update_rows(applications, sorted(fields))
    record_events(events)
    return len(applications)


def _update_rows(objects, fields) -> None:
    """Write each row's own values in one statement: on PostgreSQL an UPDATE … FROM
    unnest(one array per column); elsewhere one parameterised UPDATE per row through
    executemany. Both far cheaper than bulk_update's CASE WHEN per field."""
    if not objects:
        return
    model = type(objects[0])
    columns = [model._meta.get_field(name) for name in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    rows = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns]
            for obj in objects]  # fmt: skip
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = [connection.ops.quote_name(f.column) for f in columns]
            arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in columns)
            sql = (
                f"UPDATE {table} SET {', '.join(f'{n} = v.{n}' for n in names)} "
                f"FROM unnest(%s::bigint[], {arrays}) AS v(id, {', '.join(names)}) "
                f"WHERE {table}.id = v.id"
            )
            cursor.execute(sql, [[obj.pk for obj in objects], *map(list, zip(*rows, strict=True))])
        else:
            assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in columns)
            sql = f"UPDATE {table} SET {assignments} WHERE id = %s"
            cursor.executemany(
                sql, [row + [obj.pk] for row, obj in zip(rows, objects, strict=True)]
            )


def not_verified_message(enterprise) -> str:
    return _(
        "%(name)s 尚未通过企业认证（当前：%(status)s），不能申报遴选。请先在“企业认证”页"
        "上传营业执照和授权委托书并提交所在辖区数据管理部门审核。"
    ) % {"name": enterprise.name, "status": enterprise.get_verification_status_display()}


def start_application(*, actor, enterprise, selection_round, **fields) -> Application:
    """A draft application of `enterprise` to an open round (one per round)."""
    if not can_apply(actor, enterprise, selection_round):
        raise DomainError(_("该企业不在本轮遴选的辖区内，或您不是该企业的成员。"))
    require_verified(enterprise, not_verified_message(enterprise))
    if not selection_round.is_accepting_applications():
        raise DomainError(_("该轮次当前不在申报期内。"))
    if Application.objects.filter(round=selection_round, enterprise=enterprise).exists():
        raise DomainError(_("本企业已有本轮次的申请，请在原申请上继续填写。"))
    defaults = {"category": enterprise.category, "size": enterprise.size}
    try:
        with transaction.atomic():
            application = Application.objects.create(
                round=selection_round, enterprise=enterprise, **{**defaults, **fields}
            )
            record_event(
                actor=actor,
                action="application.started",
                obj=application,
                enterprise=enterprise,
                after={"round": selection_round.title},
            )
    except IntegrityError as exc:  # a colleague started one at the same moment
        raise DomainError(_("本企业已有本轮次的申请，请在原申请上继续填写。")) from exc
    return application


def _require_editable(actor, application):
    if not can_edit_application(actor, application):
        raise DomainError(_("您无权修改该申请。"))
    if application.status not in EDITABLE_STATES:
        raise DomainError(_("申请已提交，不能修改。如需修改，请等待形式审查退回。"))


def save_application(application, *, actor, figures=None, **changes) -> Application:
    """Edit a draft (or returned) application and its yearly figures.

    `figures` maps year -> {field: value}; years not given are left as they are.
    Side effects: audit event `application.updated` with the changed fields.
    """
    _require_editable(actor, application)
    unknown = set(changes) - set(APPLICATION_FIELDS)
    if unknown:
        raise DomainError(_("不能修改这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        changed = [f for f, v in changes.items() if getattr(locked, f) != v]
        before = {f: getattr(locked, f) for f in changed}
        for field in changed:
            setattr(locked, field, changes[field])
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
        years = []
        for year, values in (figures or {}).items():
            _check_figures(year, values)
            ApplicationFigures.objects.update_or_create(
                application=locked, year=year, defaults=values
            )
            years.append(year)
        if changed or years:
            record_event(
                actor=actor,
                action="application.updated",
                obj=locked,
                enterprise=locked.enterprise,
                before=before or None,
                after={**{f: getattr(locked, f) for f in changed}, "figures": years}
                if years
                else {f: getattr(locked, f) for f in changed},
            )
    return locked


def _check_figures(year, values):
    """The database refuses these too; here they get a sentence a person can act on."""
    if values["main_business_revenue"] > values["revenue"]:
        raise DomainError(
            _("%(y)s 年主营业务收入不能大于营业收入。") % {"y": year}, field="figures"
        )
    if values["rd_staff"] > values["employees"]:
        raise DomainError(
            _("%(y)s 年研发人员数不能多于从业人员数。") % {"y": year}, field="figures"
        )
    negative = [f for f in ("revenue", "rd_expense", "financing_raised", "debt_ratio")
                if values[f] < 0]  # fmt: skip
    if negative:
        raise DomainError(_("%(y)s 年的金额和比例不能为负数。") % {"y": year}, field="figures")
    problems = figure_problems(values)
    if problems:
        raise DomainError(
            _("%(y)s 年：%(problem)s") % {"y": year, "problem": next(iter(problems.values()))},
            field="figures",
        )


def add_attachment(application, *, actor, upload, kind) -> ApplicationAttachment:
    """Attach one PDF (≤ 20 MB, checked by content, not by name) of the given kind;
    the kind decides whether a panel may see it (identity documents never).

    Side effects: the stored file, an ApplicationAttachment row, audit event
    `application.attachment_added`.
    """
    _require_editable(actor, application)
    if kind not in AttachmentKind.values:
        raise DomainError(_("请选择材料类型。"), field="kind")
    sha256 = check_pdf_upload(upload)
    with transaction.atomic():
        attachment = ApplicationAttachment(
            application=application,
            kind=kind,
            original_name=upload.name[:200],
            size=upload.size,
            sha256=sha256,
            uploaded_by=actor,
        )
        attachment.file.save(f"{sha256[:16]}.pdf", upload, save=False)
        attachment.save()
        record_event(
            actor=actor,
            action="application.attachment_added",
            obj=application,
            enterprise=application.enterprise,
            after={"file": attachment.original_name, "size": attachment.size, "kind": kind},
        )
    return attachment


def remove_attachment(attachment, *, actor) -> None:
    application = attachment.application
    _require_editable(actor, application)
    with transaction.atomic():
        record_event(
            actor=actor,
            action="application.attachment_removed",
            obj=application,
            enterprise=application.enterprise,
            before={"file": attachment.original_name},
        )
        attachment.delete()
        # robust: a file that cannot be removed is logged, never a 500 after the commit.
        transaction.on_commit(lambda: attachment.file.delete(save=False), robust=True)


def figures_as_rows(application) -> list[dict]:
    """The figures by year; uses prefetched figures when the caller prefetched them."""
    rows = sorted(application.figures.all(), key=lambda f: f.year)
    return [{"year": f.year, **{name: getattr(f, name) for name in FIGURE_FIELDS}} for f in rows]


def submit_application(application, *, actor, declaration: bool) -> Application:
    """Submit (or resubmit after a return): checks completeness, records the
    truthfulness declaration and computes the indicator score with its bands.

    Side effects: status submitted/resubmitted, indicator score and trace; audit
    event; the round's bureau staff are notified.
    """
    application = Application.objects.select_related("round", "enterprise").get(pk=application.pk)
    _require_editable(actor, application)
    require_verified(application.enterprise, not_verified_message(application.enterprise))
    if not declaration:
        raise DomainError(_("请勾选真实性承诺后再提交。"), field="declaration")
    if not application.round.is_accepting_applications():
        raise DomainError(_("该轮次的申报期已结束，不能再提交。"))
    rows = figures_as_rows(application)
    if len(rows) < YEARS_OF_FIGURES:
        raise DomainError(
            _("请填写近 %(n)d 个年度的主要经济指标（已填 %(have)d 个）。")
            % {"n": YEARS_OF_FIGURES, "have": len(rows)},
            field="figures",
        )
    if not application.attachments.exists():
        raise DomainError(_("请至少上传一个 PDF 附件（如营业执照、财务报表）。"), field="file")
    missing = [f for f in ("innovation_summary", "data_practice", "growth_plan")
               if not getattr(application, f).strip()]  # fmt: skip
    if missing:
        raise DomainError(_("请完整填写申报材料中的文字部分。"), field=missing[0])
    result = score_application(
        rows,
        rubric_of(application.round),
        {
            "award_level": application.award_level,
            "rd_institution": application.rd_institution_level,
        },
    )
    new_status = S.RESUBMITTED if application.status == S.RETURNED else S.SUBMITTED
    now = timezone.now()
    with transaction.atomic():
        submitted = set_application_status(
            application,
            new_status,
            actor=actor,
            submitted_at=now,
            declaration_accepted_at=now,
            indicator_score=result.score,
            indicator_passed=result.passed,
            direct_pass=result.direct_pass,
            indicator_trace=result.trace,
        )
        notify(
            staff_for_region(application.round.region),
            title=Message(N_("%(name)s 提交了遴选申请"), name=application.enterprise.name),
            url=reverse("selection:application-detail", args=[application.pk]),
        )
    return submitted


def withdraw_application(application, *, actor, reason: str) -> Application:
    if not can_edit_application(actor, application):
        raise DomainError(_("您无权撤回该申请。"))
    if not reason.strip():
        raise DomainError(_("撤回申请时请说明原因。"), field="reason")
    return set_application_status(application, S.WITHDRAWN, actor=actor, reason=reason.strip())


def awaiting_review(application) -> bool:
    return application.status in AWAITING_REVIEW_STATES
