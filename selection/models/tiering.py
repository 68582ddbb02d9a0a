"""The tiering job's runs, and objections during the public notice (公示异议)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.constraint_messages import described
from config.jobs import (  # noqa: F401 (RunStatus: re-exported)
    JobRun,
    RunStatus,
    one_active_run_per,
    progress_bounded,
)
from config.text_limits import TEXT, length_check, limited_text
from selection.models.applications import Application
from selection.models.rounds import SelectionRound


class TieringRun(JobRun):
    """One run of the tiering job, with the progress the round page shows."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="tiering_runs")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta(JobRun.Meta):
        constraints = [
            one_active_run_per("round", "tiering_one_active_run_per_round", described=True),
            progress_bounded("tiering_progress_bounded", described=True),
        ]

    def __str__(self):
        return f"{self.round} · {self.get_status_display()}"


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class ObjectionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The filer sees their own; staff those on rounds of their jurisdiction."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_bureau:
            return self.filter(
                application__round__region__path__startswith=user.region.path
            ) | self.filter(filed_by=user)
        return self.filter(filed_by=user)


class Objection(models.Model):
    """异议: a signed-in user contests a result during the public notice."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="objections"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="objections"
    )
    reason = limited_text(_("异议理由"), TEXT)
    evidence = models.FileField(_("证明材料（PDF）"), upload_to="objections/", blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    reply = limited_text(_("处理意见"), TEXT, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        constraints = [
            length_check("reply", TEXT, "objection_reply_length"),
            length_check("reason", TEXT, "objection_reason_length"),
            models.CheckConstraint(
                condition=Q(status="open") | (~Q(reply="") & Q(resolved_at__isnull=False)),
                **described("objection_resolution_has_reply"),
            ),
        ]

    def __str__(self):
        return f"{self.application} · {self.get_status_display()}"
