"""Rounds of the annual selection (年度遴选) and the rules each one pins."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from config.constraint_messages import described
from config.text_limits import NOTE, length_check, limited_text
from registry.choices import InnovationCategory, Tier
from registry.models import Enterprise
from selection.choices import (
    AggregationMethod,
    RoundStatus,
)
from selection.models.fields import MONEY, POINTS  # noqa: F401


class SelectionRoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see the rounds of their jurisdiction, and (read-only) published rounds
        above it that cover their region; enterprises see published rounds covering theirs."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_bureau:
            covering = Q(region__path__in=Region.ancestor_paths(user.region.path)) & ~Q(
                status=RoundStatus.DRAFT
            )
            return self.filter(Q(region__path__startswith=user.region.path) | covering)
        if user.is_enterprise:
            regions = Enterprise.objects.visible_to(user).values_list("region__path", flat=True)
            paths = {p for path in regions for p in Region.ancestor_paths(path)}
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
    results_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("结果确认人"),
    )
    results_confirmed_at = models.DateTimeField(_("结果确认时间"), null=True, blank=True)

    objects = SelectionRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "region__code"]
        verbose_name = _("遴选轮次")
        verbose_name_plural = _("遴选轮次")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"], **described("round_one_per_region_year")
            ),
            models.CheckConstraint(
                condition=Q(status__in=RoundStatus.values), **described("round_status_valid")
            ),
            models.CheckConstraint(
                condition=Q(indicator_weight__gte=0, panel_weight__gte=0)
                & Q(indicator_weight=100 - F("panel_weight")),
                **described("round_weights_sum_to_100"),
            ),
            models.CheckConstraint(
                condition=Q(application_closes_at__gt=F("application_opens_at"))
                & Q(review_closes_on__gte=F("review_opens_on")),
                **described("round_windows_ordered"),
            ),
            models.CheckConstraint(
                condition=Q(panelists_per_application__gte=1), **described("round_k_at_least_one")
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
            models.UniqueConstraint(
                fields=["round", "code"], **described("indicator_group_unique_code")
            )
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
            models.UniqueConstraint(fields=["round", "code"], **described("indicator_unique_code"))
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
            models.UniqueConstraint(
                fields=["round", "code"], **described("direct_pass_unique_code")
            )
        ]

    def __str__(self):
        return self.label


class PanelCriterion(models.Model):
    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("评审维度"), max_length=100)
    guidance = limited_text(_("评分说明"), NOTE, blank=True)
    weight = models.DecimalField(_("权重（%）"), **POINTS)
    max_score = models.DecimalField(_("满分"), default=100, **POINTS)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            length_check("guidance", NOTE, "criterion_guidance_length"),
            models.CheckConstraint(
                condition=Q(weight__gt=0, weight__lte=100), **described("criterion_weight_range")
            ),
            models.CheckConstraint(
                condition=Q(max_score__gt=0), **described("criterion_max_positive")
            ),
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
                fields=["round", "tier", "category"], **described("tier_rule_unique_per_category")
            ),
            models.CheckConstraint(
                condition=Q(tier__in=Tier.values), **described("tier_rule_tier_valid")
            ),
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
