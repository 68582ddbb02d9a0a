"""The annual tiered selection (年度遴选): rounds with their pinned rules, applications."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from registry.choices import EnterpriseSize, InnovationCategory, Tier
from registry.models import Enterprise
from selection.choices import (
    AggregationMethod,
    ApplicationStatus,
    AwardLevel,
    ReviewOutcome,
    RoundStatus,
)

MONEY = {"max_digits": 16, "decimal_places": 2}
POINTS = {"max_digits": 6, "decimal_places": 2}
PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def _ancestor_paths(path: str) -> list[str]:
    """ "000000/330000/330100/" -> the paths of itself and every region above it."""
    return [path[: i + 7] for i in range(0, len(path), 7)]


class SelectionRoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see the rounds of their jurisdiction, and (read-only) published rounds
        above it that cover their region; enterprises see published rounds covering theirs."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_bureau:
            covering = Q(region__path__in=_ancestor_paths(user.region.path)) & ~Q(
                status=RoundStatus.DRAFT
            )
            return self.filter(Q(region__path__startswith=user.region.path) | covering)
        if user.is_enterprise:
            regions = Enterprise.objects.visible_to(user).values_list("region__path", flat=True)
            paths = {p for path in regions for p in _ancestor_paths(path)}
            return self.exclude(status=RoundStatus.DRAFT).filter(region__path__in=paths)
        return self.none()


class SelectionRound(models.Model):
    """One year's selection in one jurisdiction. Its rules are rows of its own
    (indicators, criteria, tier rules, checklist), so next year's edits never
    change this year's results."""

    year = models.PositiveSmallIntegerField(_("年度"))
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="selection_rounds", verbose_name=_("辖区")
    )
    title = models.CharField(_("名称"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    application_opens_at = models.DateTimeField(_("申报开始"))
    application_closes_at = models.DateTimeField(_("申报截止"))
    review_opens_on = models.DateField(_("评审开始"))
    review_closes_on = models.DateField(_("评审截止"))
    notice_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    notice_starts_on = models.DateField(_("公示开始"), null=True, blank=True)
    notice_ends_on = models.DateField(_("公示结束"), null=True, blank=True)
    indicator_weight = models.DecimalField(_("指标得分权重（%）"), default=40, **POINTS)
    panel_weight = models.DecimalField(_("专家评分权重（%）"), default=60, **POINTS)
    pass_mark = models.DecimalField(_("指标及格线"), default=60, **POINTS)
    aggregation = models.CharField(
        _("专家评分汇总方式"),
        max_length=16,
        choices=AggregationMethod.choices,
        default=AggregationMethod.TRIMMED_MEAN,
    )
    panelists_per_application = models.PositiveSmallIntegerField(_("每份申请评审专家数"), default=5)
    max_per_panelist = models.PositiveSmallIntegerField(_("每位专家最多评审份数"), default=40)
    outlier_spread = models.DecimalField(
        _("评分离散度预警（百分制分差）"), default=Decimal("25"), **POINTS
    )
    hide_enterprise_names = models.BooleanField(_("对专家隐藏企业名称"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = SelectionRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "region__code"]
        verbose_name = _("遴选轮次")
        verbose_name_plural = _("遴选轮次")
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="round_one_per_region_year"),
            models.CheckConstraint(
                condition=Q(status__in=RoundStatus.values), name="round_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(indicator_weight__gte=0, panel_weight__gte=0)
                & Q(indicator_weight=100 - F("panel_weight")),
                name="round_weights_sum_to_100",
            ),
            models.CheckConstraint(
                condition=Q(application_closes_at__gt=F("application_opens_at"))
                & Q(review_closes_on__gte=F("review_opens_on")),
                name="round_windows_ordered",
            ),
            models.CheckConstraint(
                condition=Q(panelists_per_application__gte=1), name="round_k_at_least_one"
            ),
        ]

    def __str__(self):
        return self.title

    def is_accepting_applications(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == RoundStatus.OPEN
            and self.application_opens_at <= now < self.application_closes_at
        )


class IndicatorGroup(models.Model):
    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(max_length=32)
    name = models.CharField(_("指标组"), max_length=100)
    minimum = models.DecimalField(_("本组最低得分"), default=0, **POINTS)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "code"], name="indicator_group_unique_code")
        ]

    def __str__(self):
        return self.name


class Indicator(models.Model):
    """A banded point table over one metric of the application's figures."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="indicators")
    group = models.ForeignKey(IndicatorGroup, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=32)
    name = models.CharField(_("指标"), max_length=100)
    metric = models.CharField(_("计算口径"), max_length=32)
    # [[lower or null, upper or null, points], ...]: lower inclusive, upper exclusive.
    bands = models.JSONField(_("分档"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "code"], name="indicator_unique_code")
        ]

    def __str__(self):
        return self.name


class DirectPassRule(models.Model):
    """A condition that makes an application eligible regardless of the pass mark."""

    round = models.ForeignKey(
        SelectionRound, on_delete=models.CASCADE, related_name="direct_pass_rules"
    )
    code = models.CharField(max_length=32)
    label = models.CharField(_("直通条件"), max_length=200)
    kind = models.CharField(max_length=32)
    # A level ("provincial") or an amount in yuan ("5000000"), by kind; blank = the default.
    threshold = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "code"], name="direct_pass_unique_code")
        ]

    def __str__(self):
        return self.label


class PanelCriterion(models.Model):
    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("评审维度"), max_length=100)
    guidance = models.TextField(_("评分说明"), blank=True)
    weight = models.DecimalField(_("权重（%）"), **POINTS)
    max_score = models.DecimalField(_("满分"), default=100, **POINTS)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0, weight__lte=100), name="criterion_weight_range"
            ),
            models.CheckConstraint(condition=Q(max_score__gt=0), name="criterion_max_positive"),
        ]

    def __str__(self):
        return self.name


class TierRule(models.Model):
    """For one tier: minimum final score, hard conditions and a quota (optionally per category)."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="tier_rules")
    tier = models.CharField(_("层级"), max_length=12, choices=Tier.choices)
    category = models.CharField(
        _("适用类别"), max_length=10, choices=InnovationCategory.choices, blank=True
    )
    min_final_score = models.DecimalField(_("最低综合得分"), **POINTS)
    min_revenue = models.DecimalField(_("最低上年营业收入（元）"), null=True, blank=True, **MONEY)
    min_age_years = models.PositiveSmallIntegerField(_("最低成立年限"), null=True, blank=True)
    max_age_years = models.PositiveSmallIntegerField(_("最高成立年限"), null=True, blank=True)
    quota = models.PositiveIntegerField(_("名额"), null=True, blank=True)

    class Meta:
        ordering = ["round", "category", "tier"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "tier", "category"], name="tier_rule_unique_per_category"
            ),
            models.CheckConstraint(condition=Q(tier__in=Tier.values), name="tier_rule_tier_valid"),
        ]

    def __str__(self):
        return f"{self.round} · {self.get_tier_display()}"


class ChecklistItem(models.Model):
    """One line of the round's formal-review checklist (形式审查要点)."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="checklist")
    text = models.CharField(_("审查要点"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.text


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
    innovation_summary = models.TextField(_("创新能力与核心技术"))
    data_practice = models.TextField(_("数据要素应用与价值创造"))
    growth_plan = models.TextField(_("发展规划与培育需求"))
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
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("遴选申请")
        verbose_name_plural = _("遴选申请")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "enterprise"], name="application_one_per_round"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="application_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(declaration_accepted_at__isnull=False),
                name="application_submitted_has_declaration",
            ),
        ]
        indexes = [models.Index(fields=["round", "status"])]

    def __str__(self):
        return f"{self.round.year} · {self.enterprise}"


class ApplicationFigures(models.Model):
    """Key figures of one year, as declared in the application (amounts in yuan)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="figures")
    year = models.PositiveSmallIntegerField(_("年度"))
    revenue = models.DecimalField(_("营业收入"), **MONEY)
    main_business_revenue = models.DecimalField(_("主营业务收入"), **MONEY)
    rd_expense = models.DecimalField(_("研发费用"), **MONEY)
    rd_staff = models.PositiveIntegerField(_("研发人员数"))
    employees = models.PositiveIntegerField(_("从业人员数"))
    invention_patents = models.PositiveIntegerField(_("有效发明专利"))
    software_copyrights = models.PositiveIntegerField(_("软件著作权"))
    debt_ratio = models.DecimalField(_("资产负债率（%）"), max_digits=6, decimal_places=2)
    financing_raised = models.DecimalField(_("当年股权融资额"), default=0, **MONEY)
    valuation = models.DecimalField(_("最新投后估值"), null=True, blank=True, **MONEY)

    class Meta:
        ordering = ["application", "year"]
        constraints = [
            models.UniqueConstraint(fields=["application", "year"], name="figures_one_per_year"),
            models.CheckConstraint(
                condition=Q(revenue__gte=0, rd_expense__gte=0, financing_raised__gte=0)
                & Q(main_business_revenue__gte=0, debt_ratio__gte=0),
                name="figures_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(main_business_revenue__lte=F("revenue")),
                name="figures_main_business_within_revenue",
            ),
            models.CheckConstraint(
                condition=Q(rd_staff__lte=F("employees")), name="figures_rd_staff_within_employees"
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
                condition=Q(size__gt=0, size__lte=20 * 1024 * 1024), name="attachment_size_limit"
            )
        ]

    def __str__(self):
        return self.original_name


class FormalReview(models.Model):
    """One pass of 形式审查 by bureau staff: return with reasons per item, or decide."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="formal_reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("审查结论"), max_length=12, choices=ReviewOutcome.choices)
    reason = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]

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
            models.UniqueConstraint(fields=["review", "checklist_item"], name="review_item_unique"),
            models.CheckConstraint(
                condition=Q(passed=True) | ~Q(note=""), name="review_item_failure_has_note"
            ),
        ]

    def __str__(self):
        return str(self.checklist_item)
