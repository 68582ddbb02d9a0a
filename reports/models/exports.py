"""Exports: one row per export asked for (who, which list, the filter, the format, the
row count), streamed straight back or written by a job into a file only its owner reads."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

from config import constraint_messages
from config.jobs import JobRun, RunStatus, progress_bounded


class ExportStorage(LazyObject):
    """Export files live outside MEDIA_ROOT: no URL serves them, only the owner's view."""

    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.EXPORTS_ROOT)


export_storage = ExportStorage()


def export_storage_for_field():
    """The field's storage as a callable, so that migrations name this function instead
    of freezing one machine's EXPORTS_ROOT path into the migration."""
    return export_storage


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel (XLSX)"
    PDF = "pdf", "PDF"


class ExportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An export is its requester's alone (others get 404), admins included."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(started_by=user)

    def expired(self, now=None):
        return self.filter(expires_at__lte=now or timezone.now())


class Export(JobRun):
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    list_name = models.CharField(_("列表"), max_length=40)
    title = models.CharField(_("名称"), max_length=100)
    # The list page's query string, as given (ordering included, paging dropped).
    query = models.CharField(_("筛选条件"), max_length=2000, blank=True)
    columns = models.JSONField(_("导出列"), default=list)
    format = models.CharField(_("格式"), max_length=4, choices=ExportFormat.choices)
    language = models.CharField(max_length=10, default="zh-hans")
    background = models.BooleanField(_("后台任务"), default=False)
    file = models.FileField(storage=export_storage_for_field, blank=True, max_length=200)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)

    objects = ExportQuerySet.as_manager()

    class Meta(JobRun.Meta):
        constraints = [
            progress_bounded("export_progress_bounded", described=True),
            models.CheckConstraint(
                condition=Q(format__in=ExportFormat.values),
                **constraint_messages.described("export_format_known"),
            ),
        ]

    def __str__(self):
        return f"{self.title} · {self.get_format_display()} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def downloadable(self) -> bool:
        return (
            self.status == RunStatus.DONE
            and bool(self.file)
            and (self.expires_at is None or self.expires_at > timezone.now())
        )

    @property
    def filename(self) -> str:
        return f"{self.list_name}-{timezone.localtime(self.created_at):%Y%m%d-%H%M%S}.{self.format}"
