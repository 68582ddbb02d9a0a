"""Two-way matching's stored side: the recommendations the job keeps per enterprise and
scenario (with the reasons as data), and the job's run per scenario list (batch)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.constraint_messages import described
from config.jobs import JobRun, one_active_run_per, progress_bounded
from registry.models import Enterprise
from scenarios.models.scenarios import Scenario, ScenarioList


class Recommendation(models.Model):
    """A published open scenario recommended to an enterprise: the score and its reasons
    ([{"code", "points", …}], rendered by scenarios.matching.describe_reason). `notified_at`
    is set once the enterprise was told: a rerun of the job tells nobody twice."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="scenario_recommendations"
    )
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="recommendations")
    score = models.PositiveSmallIntegerField(_("匹配得分"))
    reasons = models.JSONField(default=list)
    computed_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score", "scenario_id"]
        verbose_name = _("场景推荐")
        verbose_name_plural = _("场景推荐")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "scenario"], **described("scenario_recommendation_unique")
            ),
            models.CheckConstraint(
                condition=Q(score__lte=100), **described("scenario_recommendation_score_range")
            ),
        ]

    def __str__(self):
        return f"{self.enterprise_id} · {self.scenario_id} · {self.score}"


class RecommendationRun(JobRun):
    """One run of the recommendation job over a list's open scenarios (a batch)."""

    scenario_list = models.ForeignKey(
        ScenarioList, on_delete=models.CASCADE, related_name="recommendation_runs"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta(JobRun.Meta):
        verbose_name = _("场景推荐任务")
        verbose_name_plural = _("场景推荐任务")
        constraints = [
            one_active_run_per(
                "scenario_list", "scenario_recommendation_one_active_run", described=True
            ),
            progress_bounded("scenario_recommendation_progress_bounded", described=True),
        ]

    def __str__(self):
        return f"{self.scenario_list} · {self.get_status_display()}"
