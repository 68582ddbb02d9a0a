"""Typical cases (典型案例, 可复制可推广): a succeeded award that staff of the scenario's
jurisdiction hold up as an example, public once published; unpublished with a reason."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.constraint_messages import described
from config.text_limits import NOTE, TEXT, length_check, limited_text
from registry.models import Enterprise
from scenarios.models.responses import Award


class CaseStatus(models.TextChoices):
    PUBLISHED = "published", _("已发布")
    UNPUBLISHED = "unpublished", _("已撤下")


CASE_TRANSITIONS = {
    CaseStatus.PUBLISHED: {CaseStatus.UNPUBLISHED},
    # Staff may publish it again (with a corrected title or summary).
    CaseStatus.UNPUBLISHED: {CaseStatus.PUBLISHED},
}


class TypicalCaseQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status=CaseStatus.PUBLISHED)

    def visible_to(self, user):
        """Everyone (no login too) the published cases; staff also the unpublished ones of
        their jurisdiction and below; admins all."""
        if user.is_authenticated and user.is_active:
            if user.is_admin:
                return self.all()
            if user.is_bureau:
                return self.filter(
                    Q(status=CaseStatus.PUBLISHED)
                    | Q(jurisdiction__path__startswith=user.region.path)
                )
        return self.public()


class TypicalCase(models.Model):
    award = models.OneToOneField(Award, on_delete=models.PROTECT, related_name="typical_case")
    # Denormalised from the award for the public list and the enterprise's timeline.
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    jurisdiction = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("案例标题"), max_length=200)
    summary = limited_text(_("案例摘要"), TEXT)
    status = models.CharField(
        _("状态"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.PUBLISHED
    )
    reason = limited_text(_("撤下理由"), NOTE, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TypicalCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("典型案例")
        verbose_name_plural = _("典型案例")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values), **described("typical_case_status_valid")
            ),
            models.CheckConstraint(
                condition=~Q(title=""), **described("typical_case_title_required")
            ),
            models.CheckConstraint(
                condition=Q(status=CaseStatus.PUBLISHED) | ~Q(reason=""),
                **described("typical_case_unpublished_has_reason"),
            ),
            length_check("summary", TEXT, "typical_case_summary_length"),
            length_check("reason", NOTE, "typical_case_reason_length"),
        ]

    def __str__(self):
        return self.title
