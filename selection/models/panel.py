"""The selection & cultivation panel (遴选培育组): members, conflicts, assignments, scores."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationKind
from config.constraint_messages import described
from config.text_limits import TEXT, length_check, limited_text
from registry.models import Enterprise
from selection.models.applications import Application
from selection.models.fields import POINTS
from selection.models.rounds import PanelCriterion, SelectionRound


class Affiliation(models.TextChoices):
    GOVERNMENT = OrganisationKind.GOVERNMENT.value, _("政府部门")
    ENTERPRISE = OrganisationKind.ENTERPRISE.value, _("企业")
    RESEARCH = OrganisationKind.RESEARCH.value, _("科研院所")
    UNIVERSITY = OrganisationKind.UNIVERSITY.value, _("高等院校")
    INVESTMENT = OrganisationKind.INVESTMENT.value, _("投资机构")
    INCUBATOR = OrganisationKind.INCUBATOR.value, _("孵化机构")


# The policy's 政府+企业+创新+投资 four pillars, by affiliation.
PILLARS = {
    _("政府"): {Affiliation.GOVERNMENT},
    _("企业"): {Affiliation.ENTERPRISE},
    _("创新"): {Affiliation.RESEARCH, Affiliation.UNIVERSITY, Affiliation.INCUBATOR},
    _("投资"): {Affiliation.INVESTMENT},
}


class PanelMember(models.Model):
    round = models.ForeignKey(
        SelectionRound, on_delete=models.CASCADE, related_name="panel_members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_seats"
    )
    affiliation = models.CharField(_("所属类型"), max_length=20, choices=Affiliation.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now, editable=False)
    # Removed from the panel (services.panel.remove_panel_member): their submitted sheets
    # stay and count; they are given no new application.
    removed_at = models.DateTimeField(_("移出时间"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removal_reason = models.CharField(_("移出理由"), max_length=300, blank=True)

    class Meta:
        ordering = ["round", "user__full_name"]
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user"], **described("panel_member_once_per_round")
            ),
            models.CheckConstraint(
                condition=Q(affiliation__in=Affiliation.values),
                **described("panel_affiliation_valid"),
            ),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True, removed_by__isnull=True, removal_reason="")
                | Q(removed_at__isnull=False, removed_by__isnull=False) & ~Q(removal_reason=""),
                **described("panel_member_removal_complete"),
            ),
        ]

    def __str__(self):
        return f"{self.user.full_name}（{self.get_affiliation_display()}）"


class ConflictKind(models.TextChoices):
    EMPLOYMENT_OR_SHARES = "employment_or_shares", _("三年内任职或持股")
    RELATIVE = "relative", _("近亲属关系")
    SAME_ORGANISATION = "same_organisation", _("同一单位")
    COMPETITOR = "competitor", _("竞争关系")
    OTHER = "other", _("其他")
    # Detected only: the expert reviews the same enterprise by name in one round and
    # blind in another, so the figures would tell them who the blind applicant is.
    CROSS_ROUND = "cross_round", _("跨轮次可识别")


DECLARABLE_CONFLICT_KINDS = [
    (value, label) for value, label in ConflictKind.choices if value != ConflictKind.CROSS_ROUND
]


class ConflictSource(models.TextChoices):
    DETECTED = "detected", _("系统识别")
    DECLARED = "declared", _("专家申报")


class ConflictStatus(models.TextChoices):
    ACTIVE = "active", _("回避")
    DISMISSED = "dismissed", _("已排除")


class ConflictQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=ConflictStatus.ACTIVE)


class ConflictOfInterest(models.Model):
    """A reason a panelist must not see or score an enterprise's application."""

    panel_member = models.ForeignKey(
        PanelMember, on_delete=models.CASCADE, related_name="conflicts"
    )
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类型"), max_length=24, choices=ConflictKind.choices)
    source = models.CharField(_("来源"), max_length=10, choices=ConflictSource.choices)
    detail = models.CharField(_("说明"), max_length=300)
    status = models.CharField(
        _("状态"), max_length=10, choices=ConflictStatus.choices, default=ConflictStatus.ACTIVE
    )
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dismissal_reason = models.CharField(_("排除理由"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ConflictQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("利益冲突")
        verbose_name_plural = _("利益冲突")
        constraints = [
            models.UniqueConstraint(
                fields=["panel_member", "enterprise", "kind"], **described("conflict_unique_kind")
            ),
            models.CheckConstraint(
                condition=Q(status="active") | ~Q(dismissal_reason=""),
                **described("conflict_dismissal_has_reason"),
            ),
            models.CheckConstraint(
                condition=~Q(status="dismissed") | Q(source="detected"),
                **described("conflict_only_detected_dismissible"),
            ),
        ]

    def __str__(self):
        return f"{self.panel_member} × {self.enterprise}：{self.get_kind_display()}"


class ConflictReportStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    UPHELD = "upheld", _("回避成立")
    DISMISSED = "dismissed", _("不予回避")


class ConflictReportQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ConflictReportStatus.PENDING)


class ConflictReport(models.Model):
    """A conflict raised after the panelist submitted their sheet (or found by the system
    then). The submitted sheet stays locked and counted until staff decide: upheld
    withdraws it (the application needs a replacement expert), dismissed keeps it."""

    panel_member = models.ForeignKey(
        PanelMember, on_delete=models.CASCADE, related_name="conflict_reports"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="conflict_reports"
    )
    kind = models.CharField(_("类型"), max_length=24, choices=ConflictKind.choices)
    detail = models.CharField(_("说明"), max_length=300)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=ConflictReportStatus.choices,
        default=ConflictReportStatus.PENDING,
    )
    # None: found by the system (detect_conflicts) after the sheet was submitted.
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_reason = models.CharField(_("处理理由"), max_length=300, blank=True)

    objects = ConflictReportQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("利益冲突报告")
        verbose_name_plural = _("利益冲突报告")
        constraints = [
            models.UniqueConstraint(
                fields=["panel_member", "application"],
                condition=Q(status="pending"),
                **described("conflict_report_one_pending"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ConflictReportStatus.values),
                **described("conflict_report_status_valid"),
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False) & ~Q(decision_reason="")),
                **described("conflict_report_decision_complete"),
            ),
        ]

    def __str__(self):
        return f"{self.panel_member} × {self.application}：{self.get_status_display()}"


class Assignment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    panel_member = models.ForeignKey(
        PanelMember, on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["application", "panel_member"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "panel_member"], **described("assignment_unique")
            )
        ]

    def __str__(self):
        return f"{self.application} → {self.panel_member}"


class ScoreSheetQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A panelist: their own sheets, never a conflicted one; staff: the sheets of
        rounds they manage. Panelists never see each other's sheets."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_bureau:
            return self.filter(
                assignment__application__round__region__path__startswith=user.region.path
            )
        if user.role == "panelist":
            return self.filter(
                assignment__application__in=Application.objects.visible_to(user),
                assignment__panel_member__user=user,
            )
        return self.none()


class ScoreSheet(models.Model):
    """One panelist's scores for one application; submitting locks it."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="sheet")
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    # Weighted total on a 100-point scale, written when the sheet is submitted.
    total = models.DecimalField(_("加权总分"), null=True, blank=True, **POINTS)
    # total − the median submitted total of the application (None until two are in):
    # kept by services.review_counts, averaged per expert on the panel page.
    deviation = models.DecimalField(
        _("偏离中位数"), null=True, blank=True, editable=False, **POINTS
    )

    objects = ScoreSheetQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(total__isnull=False),
                **described("sheet_submitted_has_total"),
            )
        ]

    def __str__(self):
        return str(self.assignment)

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(PanelCriterion, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("得分"), **POINTS)
    comment = limited_text(_("评语"), TEXT, blank=True)

    class Meta:
        ordering = ["criterion__order", "id"]
        constraints = [
            length_check("comment", TEXT, "score_comment_length"),
            models.UniqueConstraint(
                fields=["sheet", "criterion"], **described("score_one_per_criterion")
            ),
            models.CheckConstraint(condition=Q(value__gte=0), **described("score_not_negative")),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class ScoreRevision(models.Model):
    """Every change of a score before the sheet is submitted (a cleared value: new is null)."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="revisions")
    criterion = models.ForeignKey(PanelCriterion, on_delete=models.PROTECT, related_name="+")
    old_value = models.DecimalField(null=True, blank=True, **POINTS)
    new_value = models.DecimalField(null=True, blank=True, **POINTS)
    changed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self):
        return f"{self.criterion}: {self.old_value} → {self.new_value}"
