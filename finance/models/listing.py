"""The listing pipeline (上市培育): where each enterprise staff accompany stands."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.constraint_messages import described
from config.text_limits import TEXT, length_check, limited_text
from finance.models.choices import ListingStage
from registry.choices import ListingStatus
from registry.models import Enterprise, EnterpriseScopedQuerySet

BOARDS = [(v, label) for v, label in ListingStatus.choices if v != ListingStatus.UNLISTED]


class ListingCase(models.Model):
    enterprise = models.OneToOneField(
        Enterprise, on_delete=models.PROTECT, related_name="listing_case", verbose_name=_("企业")
    )
    stage = models.CharField(
        _("阶段"), max_length=12, choices=ListingStage.choices, default=ListingStage.TUTORING
    )
    target_board = models.CharField(_("目标板块"), max_length=12, choices=BOARDS)
    adviser = models.CharField(_("保荐机构/辅导机构"), max_length=200)
    notes = limited_text(_("备注"), TEXT, blank=True)
    listed_on = models.DateField(_("上市日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EnterpriseScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("上市培育")
        verbose_name_plural = _("上市培育")
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__in=ListingStage.values),
                **described("finance_listing_stage_valid"),
            ),
            models.CheckConstraint(
                condition=Q(target_board__in=[v for v, _label in BOARDS]),
                **described("finance_listing_board_valid"),
            ),
            models.CheckConstraint(
                condition=Q(stage=ListingStage.LISTED, listed_on__isnull=False)
                | (~Q(stage=ListingStage.LISTED) & Q(listed_on__isnull=True)),
                **described("finance_listing_listed_on_iff_listed"),
            ),
            length_check("notes", TEXT, "finance_listing_notes_length"),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.get_stage_display()}"
