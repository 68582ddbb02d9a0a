"""Scenario lists (应用场景清单、机会清单) and their scenarios, with the revisions kept of
every change to a published scenario."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from config.constraint_messages import described
from config.text_limits import NOTE, TEXT, length_check, limited_text
from registry.choices import Industry
from scenarios.models.choices import (
    MONEY,
    PUBLIC_SCENARIO_STATES,
    DemandSide,
    ScenarioKind,
    ScenarioNature,
    ScenarioStatus,
)
from scenarios.models.publishers import Publisher, is_publisher_user


class ScenarioListQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Admins all; bureau staff their jurisdiction's and below; a publisher's users its
        own; and everyone (no login too) the lists holding a published scenario."""
        if user.is_authenticated and user.is_active:
            if user.is_admin:
                return self.all()
            if user.is_bureau:
                return self.filter(
                    Q(jurisdiction__path__startswith=user.region.path)
                    | Q(scenarios__status__in=PUBLIC_SCENARIO_STATES)
                ).distinct()
            if is_publisher_user(user):
                return self.filter(
                    Q(publisher__organisation_id=user.organisation_id)
                    | Q(scenarios__status__in=PUBLIC_SCENARIO_STATES)
                ).distinct()
        return self.filter(scenarios__status__in=PUBLIC_SCENARIO_STATES).distinct()


class ScenarioList(models.Model):
    """A batch such as 2026年第一批应用场景清单: items may be added while it is live."""

    publisher = models.ForeignKey(
        Publisher, on_delete=models.PROTECT, related_name="lists", verbose_name=_("发布方")
    )
    jurisdiction = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属辖区")
    )
    title = models.CharField(_("清单名称"), max_length=200)
    version = models.PositiveIntegerField(_("版本"), default=1)
    issued_on = models.DateField(_("发布日期"), default=timezone.localdate)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScenarioListQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("场景清单")
        verbose_name_plural = _("场景清单")
        constraints = [
            models.UniqueConstraint(
                fields=["publisher", "title", "version"], **described("scenario_list_unique")
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), **described("scenario_list_version_positive")
            ),
        ]

    def __str__(self):
        return f"{self.title}（第{self.version}版）"


class ScenarioQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=PUBLIC_SCENARIO_STATES)

    def visible_to(self, user):
        """Admins all; bureau staff those of their jurisdiction and below in every state
        (its own staff review them); a publisher's users their own in every state; and
        everyone (no login too) the published ones."""
        if user.is_authenticated and user.is_active:
            if user.is_admin:
                return self.all()
            if user.is_bureau:
                return self.filter(
                    Q(scenario_list__jurisdiction__path__startswith=user.region.path)
                    | Q(status__in=PUBLIC_SCENARIO_STATES)
                )
            if is_publisher_user(user):
                return self.filter(
                    Q(scenario_list__publisher__organisation_id=user.organisation_id)
                    | Q(status__in=PUBLIC_SCENARIO_STATES)
                )
        return self.public()


class Scenario(models.Model):
    scenario_list = models.ForeignKey(
        ScenarioList, on_delete=models.PROTECT, related_name="scenarios", verbose_name=_("所属清单")
    )
    title = models.CharField(_("场景名称"), max_length=200)
    description = limited_text(_("场景描述"), TEXT)
    kind = models.CharField(_("场景类型"), max_length=20, choices=ScenarioKind.choices)
    nature = models.CharField(
        _("清单类别"),
        max_length=12,
        choices=ScenarioNature.choices,
        default=ScenarioNature.SCENARIO,
    )
    demand_side = models.CharField(_("需求方"), max_length=12, choices=DemandSide.choices)
    industry = models.CharField(_("所属行业"), max_length=2, choices=Industry.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("实施地区")
    )
    budget_min = models.DecimalField(_("预算下限（元）"), null=True, blank=True, **MONEY)
    budget_max = models.DecimalField(_("预算上限（元）"), null=True, blank=True, **MONEY)
    deadline = models.DateField(_("响应截止日期"))
    requirements = limited_text(_("能力要求"), TEXT, blank=True)
    # Optional, in the policy condition language: checked and explained per enterprise.
    conditions = models.JSONField(_("资格条件"), default=dict, blank=True)
    benefits = models.JSONField(_("揭榜方可获得"), default=list, blank=True)
    co_building = limited_text(_("共建与成本收益分担"), NOTE, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=100)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    attachment = models.FileField(_("附件"), upload_to="scenarios/%Y/", blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ScenarioStatus.choices, default=ScenarioStatus.DRAFT
    )
    return_reason = models.CharField(_("退回理由"), max_length=300, blank=True)
    # Words of title, description and industry segmented for search (scenarios.search).
    search_text = models.TextField(editable=False, default="")
    # The same words as a tsvector on PostgreSQL (GIN index: migration 0002); null elsewhere.
    search_vector = SearchVectorField(null=True, editable=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScenarioQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("应用场景")
        verbose_name_plural = _("应用场景")
        indexes = [models.Index(fields=["status", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ScenarioKind.values), **described("scenario_kind_valid")
            ),
            models.CheckConstraint(
                condition=Q(nature__in=ScenarioNature.values),
                **described("scenario_nature_valid"),
            ),
            models.CheckConstraint(
                condition=Q(demand_side__in=DemandSide.values),
                **described("scenario_demand_side_valid"),
            ),
            models.CheckConstraint(
                condition=Q(industry__in=Industry.values), **described("scenario_industry_valid")
            ),
            models.CheckConstraint(
                condition=Q(status__in=ScenarioStatus.values),
                **described("scenario_status_valid"),
            ),
            models.CheckConstraint(
                condition=(Q(budget_min__isnull=True) | Q(budget_min__gte=0))
                & (Q(budget_max__isnull=True) | Q(budget_max__gte=0)),
                **described("scenario_budget_non_negative"),
            ),
            models.CheckConstraint(
                condition=Q(budget_min__isnull=True)
                | Q(budget_max__isnull=True)
                | Q(budget_max__gte=F("budget_min")),
                **described("scenario_budget_range"),
            ),
            length_check("description", TEXT, "scenario_description_length"),
            length_check("requirements", TEXT, "scenario_requirements_length"),
            length_check("co_building", NOTE, "scenario_co_building_length"),
        ]

    def __str__(self):
        return self.title

    @property
    def publisher(self):
        return self.scenario_list.publisher

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_SCENARIO_STATES

    def accepts_responses(self, *, on=None) -> bool:
        """Open to responses and edits: published and the deadline day not yet over."""
        on = on or timezone.localdate()
        return self.status == ScenarioStatus.PUBLISHED and on <= self.deadline


class ScenarioRevision(models.Model):
    """A change to a published scenario: who, when, and each field before and after."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="revisions")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now, editable=False)
    # {"field": {"before": …, "after": …}}
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("场景修订记录")
        verbose_name_plural = _("场景修订记录")

    def __str__(self):
        return f"{self.scenario} · {self.changed_at:%Y-%m-%d %H:%M}"
