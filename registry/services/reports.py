"""Annual monitoring reports (监测分析) and service records (服务对接)."""

from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from accounts.services import staff_for_region
from audit.services import record_event
from config.errors import DomainError
from config.text_limits import check_length
from config.workflow import apply_transition
from notifications.messages import Message
from notifications.services import notify
from registry.bounds import figure_problems
from registry.models import AnnualReport, ServiceRecord
from registry.models.monitoring import REPORT_TRANSITIONS, ReportReturn, ReportStatus
from registry.permissions import can_confirm_tier, is_member
from registry.services.labels import recompute_labels

REPORT_FIELDS = [
    "revenue",
    "main_business_revenue",
    "net_profit",
    "rd_expense",
    "employees",
    "rd_staff",
    "invention_patents",
    "software_copyrights",
    "data_resources_registered",
    "financing_this_year",
    "cumulative_financing",
    "valuation",
    "overseas_revenue",
    "compliance_incidents",
]
# Fields whose ×10 jump on last year needs a confirmation with a reason.
JUMP_CHECKED = ["revenue", "rd_expense", "employees", "valuation", "net_profit"]
JUMP_FACTOR = 10
EDITABLE = {ReportStatus.DRAFT, ReportStatus.RETURNED}


class ReportProblems(DomainError):
    """Refused or unconfirmed values, field by field, so the form can show each in place.
    `needs_confirmation` lists the fields a reason would unlock."""

    def __init__(self, by_field: dict[str, str], needs_confirmation: set[str]):
        super().__init__("；".join(by_field.values()))
        self.by_field = by_field
        self.needs_confirmation = needs_confirmation


def check_values(values: dict, previous: AnnualReport | None, confirmations: dict) -> None:
    """Refuse impossible values; ask for a reason where a value is merely implausible."""
    refused, unconfirmed = {}, {}
    for name, value in values.items():
        if name != "net_profit" and value is not None and value < 0:
            refused[name] = _("%(f)s不能为负数。") % {
                "f": AnnualReport._meta.get_field(name).verbose_name
            }
    if values["rd_staff"] > values["employees"]:
        refused["rd_staff"] = _("研发人员数不能多于从业人员数。")
    if values["main_business_revenue"] > values["revenue"]:
        refused["main_business_revenue"] = _("主营业务收入不能大于营业收入。")
    for name, message in figure_problems(values).items():
        refused.setdefault(name, message)
    if previous is not None:
        for name in JUMP_CHECKED:
            old, new = getattr(previous, name), values.get(name)
            jumped = old and new and abs(new) >= abs(old) * JUMP_FACTOR
            if jumped and not (confirmations.get(name) or "").strip():
                label = AnnualReport._meta.get_field(name).verbose_name
                unconfirmed[name] = _(
                    "%(f)s比上年增长 10 倍以上（上年 %(old)s，本年 %(new)s），"
                    "请核对；如数据无误，请填写说明。"
                ) % {"f": label, "old": old, "new": new}
    if refused or unconfirmed:
        raise ReportProblems({**unconfirmed, **refused}, set(unconfirmed) - set(refused))


def report_years(enterprise) -> range:
    """The years an enterprise may report on: from its founding year to last year (the
    current year is not over; its figures are not known yet)."""
    return range(enterprise.founded_on.year, timezone.localdate().year)


def check_report_year(enterprise, year: int) -> None:
    years = report_years(enterprise)
    if year not in years:
        raise DomainError(
            _(
                "年度报告只能填报企业成立年度（%(first)s 年）至上一年度（%(last)s 年）"
                "之间的年度；本年度尚未结束，不能填报。"
            )
            % {"first": years.start, "last": timezone.localdate().year - 1},
            field="year",
        )


def _require_member(actor, enterprise):
    if not (actor.is_authenticated and actor.is_enterprise and is_member(actor, enterprise)):
        raise DomainError(_("只有本企业成员可以填报年度报告。"))


def save_report(enterprise, *, actor, year: int, values: dict, confirmations=None) -> AnnualReport:
    """Create or edit the draft (or returned) report of `year`.

    Side effects: the report row; audit event `report.saved`.
    """
    _require_member(actor, enterprise)
    check_report_year(enterprise, year)
    confirmations = {k: v.strip() for k, v in (confirmations or {}).items() if (v or "").strip()}
    previous = AnnualReport.objects.filter(enterprise=enterprise, year=year - 1).first()
    check_values(values, previous, confirmations)
    with transaction.atomic():
        report = (
            AnnualReport.objects.select_for_update()
            .filter(enterprise=enterprise, year=year)
            .first()
        )
        if report is not None and report.status not in EDITABLE:
            raise DomainError(_("该年度报告已报送，不能修改；如需更正，请联系主管部门退回。"))
        before = {f: getattr(report, f) for f in REPORT_FIELDS} if report else None
        if report is None:
            report = AnnualReport(enterprise=enterprise, year=year)
        for name in REPORT_FIELDS:
            setattr(report, name, values.get(name, getattr(report, name, None)))
        report.confirmations = {k: v for k, v in confirmations.items() if k in JUMP_CHECKED}
        report.save()
        record_event(
            actor=actor,
            action="report.saved",
            obj=report,
            enterprise=enterprise,
            before=before,
            after={f: getattr(report, f) for f in REPORT_FIELDS},
        )
    return report


def set_report_status(report, new_status, *, actor, reason=""):
    """The one way a report changes state (draft → submitted → accepted | returned)."""
    fields = {}
    if new_status == ReportStatus.SUBMITTED:
        fields = {"submitted_at": timezone.now(), "submitted_by": actor}
    return apply_transition(
        report,
        new_status,
        transitions=REPORT_TRANSITIONS,
        actor=actor,
        action_prefix="report",
        refused=_("报告当前为“%(now)s”，不能变更为“%(new)s”。"),
        message=reason,
        **fields,
    )


def submit_report(report, *, actor) -> AnnualReport:
    _require_member(actor, report.enterprise)
    submitted = set_report_status(report, ReportStatus.SUBMITTED, actor=actor)
    recompute_labels(report.enterprise, actor=actor, source=f"report:{report.pk}")
    notify(
        staff_for_region(report.enterprise.region),
        title=Message(
            N_("%(name)s 报送了 %(year)s 年度报告"), name=report.enterprise.name, year=report.year
        ),
        url=reverse("registry:enterprise-detail", args=[report.enterprise_id]),
        email=False,
    )
    return submitted


def return_report(report, *, actor, reason: str) -> AnnualReport:
    """Staff send a report back for correction; the members are told why."""
    if not can_confirm_tier(actor, report.enterprise):
        raise DomainError(_("您无权退回该报告。"))
    if not reason.strip():
        raise DomainError(_("退回报告时请写明需要更正的内容。"), field="reason")
    reason = check_length(ReportReturn, "reason", reason, "report_return_reason_length")
    with transaction.atomic():
        returned = set_report_status(report, ReportStatus.RETURNED, actor=actor, reason=reason)
        ReportReturn.objects.create(report=returned, reason=reason.strip(), returned_by=actor)
        members = list(report.enterprise.active_members())
        notify(
            members,
            title=Message(N_("%(year)s 年度报告被退回修改"), year=report.year),
            body=reason.strip(),
            url=reverse("registry:report-list"),
        )
        # A returned report no longer counts: the labels it earned may go.
        recompute_labels(report.enterprise, actor=actor, source=f"report:{report.pk}")
    return returned


def accept_report(report, *, actor) -> AnnualReport:
    if not can_confirm_tier(actor, report.enterprise):
        raise DomainError(_("您无权确认该报告。"))
    accepted = set_report_status(report, ReportStatus.ACCEPTED, actor=actor)
    recompute_labels(report.enterprise, actor=actor, source=f"report:{report.pk}")
    return accepted


def is_flagged(report) -> bool:
    """A report that confirmed a ×10 jump on last year: staff read it one by one."""
    return bool(report.confirmations)


def accept_clean_reports(reports, *, actor) -> tuple[list[AnnualReport], list[AnnualReport]]:
    """Staff accept, in one go, the filed reports that carry no flagged jump.

    Each report goes through `accept_report` (its own transition, audit event
    `report.accepted` and label recomputation), so that one refused report does not
    undo the others. Returns (accepted, skipped): skipped are the flagged ones and
    those no longer waiting (another reviewer was quicker) or outside the actor's care.
    """
    accepted, skipped = [], []
    for report in reports:
        if is_flagged(report) or report.status != ReportStatus.SUBMITTED:
            skipped.append(report)
            continue
        try:
            accepted.append(accept_report(report, actor=actor))
        except DomainError:
            skipped.append(report)
    return accepted, skipped


def growth(reports_by_year: dict[int, AnnualReport], year: int) -> dict:
    """YoY revenue growth and 3-year CAGR for `year`, in percent (None if not computable)."""
    current = reports_by_year.get(year)
    result = {"yoy": None, "cagr3": None}
    if current is None:
        return result
    last = reports_by_year.get(year - 1)
    if last and last.revenue > 0:
        result["yoy"] = ((current.revenue / last.revenue - 1) * 100).quantize(Decimal("0.01"))
    base = reports_by_year.get(year - 3)
    if base and base.revenue > 0 and current.revenue > 0:
        ratio = float(current.revenue / base.revenue)  # a display figure: float root is fine
        result["cagr3"] = Decimal(str(round((ratio ** (1 / 3) - 1) * 100, 2)))
    return result


def log_service(enterprise, *, actor, kind, served_on, notes, follow_up_on=None) -> ServiceRecord:
    """Staff record a service given to an enterprise (shown on its timeline)."""
    if not can_confirm_tier(actor, enterprise):
        raise DomainError(_("只有企业所在辖区的数据管理部门可以登记服务记录。"))
    _check_service_dates(served_on, follow_up_on)
    with transaction.atomic():
        record = ServiceRecord.objects.create(
            enterprise=enterprise,
            kind=kind,
            served_on=served_on,
            notes=notes.strip(),
            follow_up_on=follow_up_on,
            staff=actor,
        )
        record_event(
            actor=actor,
            action="service.logged",
            obj=record,
            enterprise=enterprise,
            after={"kind": kind, "served_on": served_on, "notes": record.notes},
        )
    return record


def mark_followed_up(record, *, actor) -> ServiceRecord:
    if not can_confirm_tier(actor, record.enterprise):
        raise DomainError(_("您无权修改该服务记录。"))
    with transaction.atomic():
        record.followed_up_at = timezone.now()
        record.save(update_fields=["followed_up_at"])
        record_event(
            actor=actor, action="service.followed_up", obj=record, enterprise=record.enterprise
        )
    return record


SERVICE_FIELDS = ("kind", "served_on", "notes", "follow_up_on")


def _check_service_dates(served_on, follow_up_on):
    if follow_up_on and follow_up_on < served_on:
        raise DomainError(_("跟进日期不能早于服务日期。"), field="follow_up_on")


def update_service_record(record, *, actor, kind, served_on, notes, follow_up_on=None):
    """Staff correct a service record (kind, date, notes, follow-up date).

    Side effects: the row saved with `update_fields`; audit event `service.updated` with
    the values before and after, on the enterprise's timeline.
    """
    if not can_confirm_tier(actor, record.enterprise):
        raise DomainError(_("您无权修改该服务记录。"))
    _check_service_dates(served_on, follow_up_on)
    with transaction.atomic():
        locked = ServiceRecord.objects.select_for_update().get(pk=record.pk)
        before = {f: getattr(locked, f) for f in SERVICE_FIELDS}
        locked.kind, locked.served_on = kind, served_on
        locked.notes, locked.follow_up_on = notes.strip(), follow_up_on
        locked.save(update_fields=list(SERVICE_FIELDS))
        record_event(
            actor=actor,
            action="service.updated",
            obj=locked,
            enterprise=locked.enterprise,
            before=before,
            after={f: getattr(locked, f) for f in SERVICE_FIELDS},
        )
    return locked


def delete_service_record(record, *, actor) -> None:
    """Staff delete a service record logged by mistake.

    Side effects: the row deleted; audit event `service.deleted` keeping what it said
    (the audit trail is append-only, so the record's content survives there).
    """
    if not can_confirm_tier(actor, record.enterprise):
        raise DomainError(_("您无权删除该服务记录。"))
    with transaction.atomic():
        locked = ServiceRecord.objects.select_for_update().get(pk=record.pk)
        record_event(
            actor=actor,
            action="service.deleted",
            obj=locked,
            enterprise=locked.enterprise,
            before={f: getattr(locked, f) for f in SERVICE_FIELDS},
        )
        locked.delete()
