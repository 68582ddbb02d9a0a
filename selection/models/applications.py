"""Applications to a round: figures, attachments and formal review."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from accounts.models import Role
from config.constraint_messages import described
from config.text_limits import ESSAY, TEXT, length_check, limited_text
from registry.bounds import (
    COUNT_VALIDATORS,
    DEBT_RATIO_MAX,
    DEBT_RATIO_VALIDATORS,
    EMPLOYEES_MAX,
    EMPLOYEES_VALIDATORS,
    MONEY_VALIDATORS,
    amounts_condition,
    counts_condition,
    debt_reason_condition,
    rd_condition,
)
from registry.choices import EnterpriseSize, InnovationCategory, Tier
from registry.models import Enterprise
from selection.choices import (
    IDENTITY_ATTACHMENT_KINDS,
    ApplicationStatus,
    AttachmentKind,
    AwardLevel,
    ReviewOutcome,
)
from selection.models.fields import MONEY, POINTS  # noqa: F401
from selection.models.rounds import ChecklistItem, SelectionRound  # noqa: F401


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Bureau staff: applications to rounds of their jurisdiction, and those of
        enterprises in it (read-only) to rounds above; an enterprise: its own.
        (Panelists: the applications assigned to them, with the panel slice.)"""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_bureau:
            path = user.region.path
            return self.filter(
                Q(round__region__path__startswith=path)
                | Q(enterprise__region__path__startswith=path)
            )
        if user.is_enterprise:
            return self.filter(enterprise__in=Enterprise.objects.visible_to(user))
        if user.role == Role.PANELIST:
            # Assigned applications only, never one they are conflicted with in that
            # round: a recusal in one round says nothing about another round.
            from selection.models.panel import ConflictOfInterest  # panel imports this module

            conflicted = ConflictOfInterest.objects.active().filter(
                panel_member__user=user,
                panel_member__round=OuterRef("round"),
                enterprise=OuterRef("enterprise"),
            )
            return self.filter(assignments__panel_member__user=user).exclude(Exists(conflicted))
        return self.none()


class Application(models.Model):
    round = models.ForeignKey(SelectionRound, on_delete=models.PROTECT, related_name="applications")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    category = models.CharField(_("申报类别"), max_length=10, choices=InnovationCategory.choices)
    tier_sought = models.CharField(_("申报层级"), max_length=12, choices=Tier.choices)
    size = models.CharField(_("企业规模"), max_length=10, choices=EnterpriseSize.choices)
    innovation_summary = limited_text(_("创新能力与核心技术"), ESSAY)
    data_practice = limited_text(_("数据要素应用与价值创造"), ESSAY)
    growth_plan = limited_text(_("发展规划与培育需求"), ESSAY)
    award_level = models.CharField(
        _("科技奖励（最高级别）"), max_length=12, choices=AwardLevel.choices, default="none"
    )
    rd_institution_level = models.CharField(
        _("认定研发机构（最高级别）"), max_length=12, choices=AwardLevel.choices, default="none"
    )
    declaration_accepted_at = models.DateTimeField(_("真实性承诺时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    indicator_score = models.DecimalField(_("指标得分"), null=True, blank=True, **POINTS)
    indicator_passed = models.BooleanField(_("指标达标"), null=True)
    direct_pass = models.BooleanField(_("直通"), default=False)
    indicator_trace = models.JSONField(_("指标计算过程"), null=True, blank=True)
    panel_score = models.DecimalField(_("专家评分"), null=True, blank=True, **POINTS)
    final_score = models.DecimalField(_("综合得分"), null=True, blank=True, **POINTS)
    proposed_tier = models.CharField(_("拟定层级"), max_length=12, choices=Tier.choices, blank=True)
    decision_trace = models.JSONField(_("决策过程"), null=True, blank=True)
    # The panel's progress on this application, kept by
    # selection.services.review_counts.refresh_review_counts whenever an assignment or a
    # sheet changes, so that the panel page counts and filters a round of any size by
    # these columns instead of aggregating every sheet (issue #14).
    sheets_assigned = models.PositiveSmallIntegerField(_("已分配评分表"), default=0, editable=False)
    sheets_submitted = models.PositiveSmallIntegerField(
        _("已提交评分表"), default=0, editable=False
    )
    # Highest − lowest submitted total; None below two submitted sheets.
    score_spread = models.DecimalField(
        _("评分极差"), null=True, blank=True, editable=False, **POINTS
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("遴选申请")
        verbose_name_plural = _("遴选申请")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "enterprise"], **described("application_one_per_round")
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values),
                **described("application_status_valid"),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                **described("application_submitted_has_time"),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(declaration_accepted_at__isnull=False),
                **described("application_submitted_has_declaration"),
            ),
            models.CheckConstraint(
                condition=Q(sheets_submitted__lte=F("sheets_assigned")),
                **described("application_sheet_counts_consistent"),
            ),
            length_check("innovation_summary", ESSAY, "application_innovation_summary_length"),
            length_check("data_practice", ESSAY, "application_data_practice_length"),
            length_check("growth_plan", ESSAY, "application_growth_plan_length"),
        ]
        indexes = [
            models.Index(fields=["round", "status"]),
            # The round's application list (round_detail), newest submission first.
            models.Index(fields=["round", "-submitted_at", "-id"], name="application_round_recent"),
            # The panel page: progress counted and listed from the stored counts.
            models.Index(
                fields=["round", "sheets_submitted", "id", "sheets_assigned", "score_spread"],
                name="application_round_review",
            ),
        ]

    def __str__(self):
        return f"{self.round.year} · {self.enterprise}"


BOUNDED_MONEY = {**MONEY, "validators": MONEY_VALIDATORS}
FIGURE_MONEY_FIELDS = (
    "revenue",
    "main_business_revenue",
    "rd_expense",
    "financing_raised",
    "valuation",
)
FIGURE_COUNT_FIELDS = ("rd_staff", "invention_patents", "software_copyrights")


class ApplicationFigures(models.Model):
    """Key figures of one year, as declared in the application (amounts in yuan)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="figures")
    year = models.PositiveSmallIntegerField(_("年度"))
    revenue = models.DecimalField(_("营业收入"), **BOUNDED_MONEY)
    main_business_revenue = models.DecimalField(_("主营业务收入"), **BOUNDED_MONEY)
    rd_expense = models.DecimalField(_("研发费用"), **BOUNDED_MONEY)
    rd_staff = models.PositiveIntegerField(_("研发人员数"), validators=COUNT_VALIDATORS)
    employees = models.PositiveIntegerField(_("从业人员数"), validators=EMPLOYEES_VALIDATORS)
    invention_patents = models.PositiveIntegerField(_("有效发明专利"), validators=COUNT_VALIDATORS)
    software_copyrights = models.PositiveIntegerField(_("软件著作权"), validators=COUNT_VALIDATORS)
    debt_ratio = models.DecimalField(
        _("资产负债率（%）"), max_digits=6, decimal_places=2, validators=DEBT_RATIO_VALIDATORS
    )
    debt_ratio_reason = models.CharField(
        _("资产负债率说明"),
        max_length=300,
        blank=True,
        help_text=_("资产负债率超过 100% 时必填，说明原因。"),
    )
    financing_raised = models.DecimalField(_("当年股权融资额"), default=0, **BOUNDED_MONEY)
    valuation = models.DecimalField(_("最新投后估值"), null=True, blank=True, **BOUNDED_MONEY)

    class Meta:
        ordering = ["application", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "year"], **described("figures_one_per_year")
            ),
            models.CheckConstraint(
                condition=Q(revenue__gte=0, rd_expense__gte=0, financing_raised__gte=0)
                & Q(main_business_revenue__gte=0, debt_ratio__gte=0),
                **described("figures_non_negative"),
            ),
            models.CheckConstraint(
                condition=Q(main_business_revenue__lte=F("revenue")),
                **described("figures_main_business_within_revenue"),
            ),
            models.CheckConstraint(
                condition=Q(rd_staff__lte=F("employees")),
                **described("figures_rd_staff_within_employees"),
            ),
            # Plausible bounds (registry/bounds.py says why these figures).
            models.CheckConstraint(
                condition=Q(employees__lte=EMPLOYEES_MAX), **described("figures_employees_bounded")
            ),
            models.CheckConstraint(
                condition=counts_condition(FIGURE_COUNT_FIELDS),
                **described("figures_counts_bounded"),
            ),
            models.CheckConstraint(
                condition=amounts_condition(FIGURE_MONEY_FIELDS, nullable={"valuation"}),
                **described("figures_amounts_bounded"),
            ),
            models.CheckConstraint(
                condition=rd_condition(), **described("figures_rd_within_revenue")
            ),
            models.CheckConstraint(
                condition=Q(debt_ratio__lte=DEBT_RATIO_MAX),
                **described("figures_debt_ratio_bounded"),
            ),
            models.CheckConstraint(
                condition=debt_reason_condition(),
                **described("figures_debt_ratio_over_100_has_reason"),
            ),
        ]

    def __str__(self):
        return f"{self.application} · {self.year}"


def attachment_path(instance, filename):
    return f"selection/{instance.application.round_id}/{instance.application_id}/{filename}"


class ApplicationAttachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path)
    kind = models.CharField(_("材料类型"), max_length=20, choices=AttachmentKind.choices)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gt=0, size__lte=20 * 1024 * 1024),
                **described("attachment_size_limit"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AttachmentKind.values), **described("attachment_kind_valid")
            ),
        ]

    def __str__(self):
        return self.original_name

    @property
    def identifies_applicant(self) -> bool:
        """A document that exists to say who the applicant is (never shown to the panel)."""
        return self.kind in IDENTITY_ATTACHMENT_KINDS

    @property
    def neutral_name(self) -> str:
        """The file name a blind panel sees: says what it is, never whose it is."""
        return f"{pgettext('file name', '附件')}-{self.pk}.pdf"


class FormalReview(models.Model):
    """One pass of 形式审查 by bureau staff: return with reasons per item, or decide."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="formal_reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("审查结论"), max_length=12, choices=ReviewOutcome.choices)
    reason = limited_text(_("说明"), TEXT, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [length_check("reason", TEXT, "formal_review_reason_length")]

    def __str__(self):
        return f"{self.application} · {self.get_outcome_display()}"


class FormalReviewItem(models.Model):
    review = models.ForeignKey(FormalReview, on_delete=models.CASCADE, related_name="items")
    checklist_item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    passed = models.BooleanField(_("符合"))
    note = models.CharField(_("问题说明"), max_length=500, blank=True)

    class Meta:
        ordering = ["checklist_item__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "checklist_item"], **described("review_item_unique")
            ),
            models.CheckConstraint(
                condition=Q(passed=True) | ~Q(note=""), **described("review_item_failure_has_note")
            ),
        ]

    def __str__(self):
        return str(self.checklist_item)
