"""The credit scorecard (信用评价模型): versions of factors, bands and weights as data, the
scores computed with a version (each keeps its version), and the job runs that compute them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.constraint_messages import described
from config.jobs import JobRun, one_active_run_per, progress_bounded
from finance.models.choices import Grade
from registry.models import Enterprise, EnterpriseScopedQuerySet


class Scorecard(models.Model):
    """One version. `factors`: [{"key", "weight", "bands": [{"min"|"value", "points"}]}]
    (finance.scoring reads it); `grades`: [{"min", "grade"}], highest first. A new
    weighting is a new version: a version that scored anyone is never edited."""

    version = models.PositiveSmallIntegerField(_("版本"), unique=True)
    name = models.CharField(_("名称"), max_length=100)
    factors = models.JSONField(_("因子"))
    grades = models.JSONField(_("等级"))
    is_current = models.BooleanField(_("现行版本"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("信用评价模型")
        verbose_name_plural = _("信用评价模型")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                **described("finance_scorecard_one_current"),
            ),  # fmt: skip
        ]

    def __str__(self):
        return f"{self.name} v{self.version}"


class CreditScoreQuerySet(EnterpriseScopedQuerySet):
    def visible_to(self, user):
        """As the enterprise (its members, staff of its jurisdiction, admins); and an
        approved institution's users for the enterprises whose needs are shared with it or
        that staff recommended to it."""
        from finance.models.institutions import is_institution_user
        from finance.models.needs import EnterpriseShare, FinancingNeed

        if is_institution_user(user) and not user.is_admin:
            shared = FinancingNeed.objects.visible_to(user).values("enterprise")
            recommended = EnterpriseShare.objects.of_user(user).values("enterprise")
            return self.filter(Q(enterprise__in=shared) | Q(enterprise__in=recommended))
        return super().visible_to(user)


class CreditScore(models.Model):
    """An enterprise's score under one scorecard version, with each factor's contribution
    as data: [{"factor", "value", "band", "points", "weight", "contribution"}]."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    scorecard = models.ForeignKey(Scorecard, on_delete=models.PROTECT, related_name="scores")
    total = models.DecimalField(_("总分"), max_digits=5, decimal_places=2)
    grade = models.CharField(_("信用等级"), max_length=3, choices=Grade.choices)
    contributions = models.JSONField(_("因子得分"))
    computed_at = models.DateTimeField(_("计算时间"), default=timezone.now)

    objects = CreditScoreQuerySet.as_manager()

    class Meta:
        ordering = ["-scorecard__version", "enterprise_id"]
        verbose_name = _("信用评分")
        verbose_name_plural = _("信用评分")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "scorecard"],
                **described("finance_credit_score_once_per_version"),
            ),
            models.CheckConstraint(
                condition=Q(total__gte=0) & Q(total__lte=100),
                **described("finance_credit_score_range"),
            ),
            models.CheckConstraint(
                condition=Q(grade__in=Grade.values), **described("finance_credit_score_grade_valid")
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.grade} ({self.total})"


class ScoreRun(JobRun):
    """One run of the scoring job over every enterprise, with one scorecard version."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.PROTECT, related_name="runs")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta(JobRun.Meta):
        constraints = [
            one_active_run_per("scorecard", "finance_score_run_one_active", described=True),
            progress_bounded("finance_score_run_progress_bounded", described=True),
        ]
