"""Monitoring (监测分析): annual reports, and the services bureaus give (服务对接)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.constraint_messages import described
from config.text_limits import NOTE, TEXT, length_check, limited_text
from registry.bounds import (
    COUNT_VALIDATORS,
    EMPLOYEES_MAX,
    EMPLOYEES_VALIDATORS,
    MONEY_VALIDATORS,
    SIGNED_MONEY_VALIDATORS,
    amounts_condition,
    counts_condition,
    rd_condition,
)
from registry.models.enterprises import (
    Enterprise,
    EnterpriseScopedQuerySet,
    JurisdictionScopedQuerySet,
)

MONEY = {"max_digits": 16, "decimal_places": 2, "validators": MONEY_VALIDATORS}
COUNT = {"validators": COUNT_VALIDATORS}
REPORT_MONEY_FIELDS = (
    "revenue",
    "main_business_revenue",
    "net_profit",
    "rd_expense",
    "financing_this_year",
    "cumulative_financing",
    "valuation",
    "overseas_revenue",
)
REPORT_COUNT_FIELDS = (
    "rd_staff",
    "invention_patents",
    "software_copyrights",
    "data_resources_registered",
    "compliance_incidents",
)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("退回修改")
    ACCEPTED = "accepted", _("已确认")


REPORT_TRANSITIONS = {
    ReportStatus.DRAFT: {ReportStatus.SUBMITTED},
    ReportStatus.SUBMITTED: {ReportStatus.RETURNED, ReportStatus.ACCEPTED},
    ReportStatus.RETURNED: {ReportStatus.SUBMITTED},
    ReportStatus.ACCEPTED: {ReportStatus.RETURNED},
}


class AnnualReportQuerySet(JurisdictionScopedQuerySet):
    pass


class AnnualReport(models.Model):
    """One enterprise's figures for one year (amounts in yuan)."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    revenue = models.DecimalField(_("营业收入"), **MONEY)
    main_business_revenue = models.DecimalField(_("主营业务收入"), **MONEY)
    net_profit = models.DecimalField(  # may be negative
        _("净利润"), **{**MONEY, "validators": SIGNED_MONEY_VALIDATORS}
    )
    rd_expense = models.DecimalField(_("研发费用"), **MONEY)
    employees = models.PositiveIntegerField(_("从业人员数"), validators=EMPLOYEES_VALIDATORS)
    rd_staff = models.PositiveIntegerField(_("研发人员数"), **COUNT)
    invention_patents = models.PositiveIntegerField(_("有效发明专利"), **COUNT)
    software_copyrights = models.PositiveIntegerField(_("软件著作权"), **COUNT)
    data_resources_registered = models.PositiveIntegerField(_("已登记数据资源"), default=0, **COUNT)
    financing_this_year = models.DecimalField(_("本年股权融资额"), default=0, **MONEY)
    cumulative_financing = models.DecimalField(_("累计股权融资额"), default=0, **MONEY)
    valuation = models.DecimalField(_("最新投后估值"), null=True, blank=True, **MONEY)
    overseas_revenue = models.DecimalField(_("境外营业收入"), default=0, **MONEY)
    compliance_incidents = models.PositiveIntegerField(_("合规事件数"), default=0, **COUNT)
    # Values that looked implausible and were confirmed, field -> the reason given.
    confirmations = models.JSONField(_("异常值说明"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise", "-year"]
        verbose_name = _("年度监测报告")
        verbose_name_plural = _("年度监测报告")
        # Staff's report queue (selectors.report_queue): one state, oldest filing first.
        indexes = [
            models.Index(fields=["status", "submitted_at", "id"], name="report_queue_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"], **described("report_one_per_year")
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), **described("report_status_valid")
            ),
            models.CheckConstraint(
                condition=Q(revenue__gte=0, main_business_revenue__gte=0, rd_expense__gte=0)
                & Q(
                    financing_this_year__gte=0, cumulative_financing__gte=0, overseas_revenue__gte=0
                ),
                **described("report_amounts_not_negative"),
            ),
            models.CheckConstraint(
                condition=Q(rd_staff__lte=F("employees")),
                **described("report_rd_staff_within_employees"),
            ),
            models.CheckConstraint(
                condition=Q(main_business_revenue__lte=F("revenue")),
                **described("report_main_business_within_revenue"),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                **described("report_submitted_has_time"),
            ),
            # Plausible bounds (registry/bounds.py says why these figures).
            models.CheckConstraint(
                condition=Q(employees__lte=EMPLOYEES_MAX), **described("report_employees_bounded")
            ),
            models.CheckConstraint(
                condition=counts_condition(REPORT_COUNT_FIELDS),
                **described("report_counts_bounded"),
            ),
            models.CheckConstraint(
                condition=amounts_condition(
                    REPORT_MONEY_FIELDS, signed={"net_profit"}, nullable={"valuation"}
                ),
                **described("report_amounts_bounded"),
            ),
            models.CheckConstraint(
                condition=rd_condition(), **described("report_rd_within_revenue")
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.year}"

    @property
    def rd_intensity(self) -> Decimal | None:
        if not self.revenue:
            return None
        return (self.rd_expense / self.revenue * 100).quantize(Decimal("0.01"))

    @property
    def rd_staff_share(self) -> Decimal | None:
        if not self.employees:
            return None
        return (Decimal(self.rd_staff) / self.employees * 100).quantize(Decimal("0.01"))


class ReportReturn(models.Model):
    """Staff send a report back for correction, with reasons."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="returns")
    reason = limited_text(_("退回原因"), NOTE)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [length_check("reason", NOTE, "report_return_reason_length")]

    def __str__(self):
        return f"{self.report} · {self.created_at:%Y-%m-%d}"


class ServiceKind(models.TextChoices):
    POLICY = "policy", _("政策咨询")
    DATA = "data", _("数据对接")
    COMPUTE = "compute", _("算力对接")
    FINANCING = "financing", _("融资对接")
    SCENARIO = "scenario", _("场景对接")
    IP = "ip", _("知识产权")
    TALENT = "talent", _("人才服务")
    ABROAD = "abroad", _("出海服务")
    OTHER = "other", _("其他")


class ServiceRecordQuerySet(JurisdictionScopedQuerySet):
    """Staff see services to enterprises of their jurisdiction; an enterprise its own."""


class ServiceRecord(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="service_records"
    )
    kind = models.CharField(_("服务类型"), max_length=12, choices=ServiceKind.choices)
    served_on = models.DateField(_("服务日期"))
    notes = limited_text(_("服务内容"), TEXT)
    follow_up_on = models.DateField(_("跟进日期"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("已跟进"), null=True, blank=True)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ServiceRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-served_on", "-id"]
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up_on__isnull=True) | Q(follow_up_on__gte=F("served_on")),
                **described("service_follow_up_after_service"),
            ),
            length_check("notes", TEXT, "service_notes_length"),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.get_kind_display()} · {self.served_on}"


class GrowthLabel(models.TextChoices):
    GAZELLE = "gazelle", _("瞪羚企业")
    PROSPECTIVE_UNICORN = "prospective_unicorn", _("潜在独角兽企业")
    UNICORN = "unicorn", _("独角兽企业")


class LabelAwardQuerySet(EnterpriseScopedQuerySet):
    def current(self):
        return self.filter(revoked_on__isnull=True)


class LabelAward(models.Model):
    """A growth label held from `granted_on` until `revoked_on`: its own history."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="labels")
    label = models.CharField(_("称号"), max_length=24, choices=GrowthLabel.choices)
    granted_on = models.DateField(_("认定日期"))
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    reasons = models.JSONField(_("依据"), default=list)
    source = models.CharField(_("来源"), max_length=100)

    objects = LabelAwardQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_on", "-id"]
        verbose_name = _("成长称号")
        verbose_name_plural = _("成长称号")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "label"],
                condition=Q(revoked_on__isnull=True),
                **described("label_held_once"),
            ),
            models.CheckConstraint(
                condition=Q(label__in=GrowthLabel.values), **described("label_valid")
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.get_label_display()}"


class ReportReminder(models.Model):
    """A reminder sent for a year's report: at most once per kind (idempotent beat)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10)  # "d30", "d7", "d1" or "overdue"
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "kind"], **described("report_reminder_once")
            )
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.year} · {self.kind}"
