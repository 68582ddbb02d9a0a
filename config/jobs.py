"""What every background job's run record holds, whichever app runs the job."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config import constraint_messages


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("运行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class JobRun(models.Model):
    """What every job run shows its page: state, progress, errors, a summary."""

    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    summary = models.JSONField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(self.processed * 100 / self.total)

    @property
    def active(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)


def _naming(name: str, described: bool) -> dict:
    # `described`: the constraint carries its sentence (config.constraint_messages). Opt-in
    # while the policy and adjustment runs move to their own apps; then it becomes the rule.
    return constraint_messages.described(name) if described else {"name": name}


def one_active_run_per(field: str, name: str, *, described=False) -> models.UniqueConstraint:
    """A second click cannot start a parallel run over the same `field`."""
    return models.UniqueConstraint(
        fields=[field], condition=Q(status__in=["queued", "running"]), **_naming(name, described)
    )


def progress_bounded(name: str, *, described=False) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(processed__lte=F("total")), **_naming(name, described)
    )
