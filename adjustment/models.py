"""Dynamic adjustment (动态调整): rules per jurisdiction, job runs, proposals and appeals."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from config.constraint_messages import described
from config.jobs import JobRun, one_active_run_per, progress_bounded
from config.text_limits import TEXT, length_check, limited_text
from registry.choices import Tier
from registry.models import RegistryEntry
from registry.models.enterprises import visible_enterprise_q


class AdjustmentRules(models.Model):
    """A jurisdiction's rules (adjustment/rules.py); the nearest one above an
    enterprise applies. The national row holds the defaults and always exists."""

    region = models.OneToOneField(
        Region, on_delete=models.PROTECT, related_name="adjustment_rules", verbose_name=_("辖区")
    )
    rules = models.JSONField(_("规则"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "selection_adjustmentrules"  # moved from selection: the table kept its name
        verbose_name = _("动态调整规则")
        verbose_name_plural = _("动态调整规则")

    def __str__(self):
        return f"{self.region} · {_('动态调整规则')}"


class AdjustmentRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see the runs over their jurisdiction or inside it."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_bureau:
            return self.filter(region__path__startswith=user.region.path)
        return self.none()


class AdjustmentRun(JobRun):
    """One run of the adjustment job over a jurisdiction for one report year."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("报告年度"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Indexes of the chunks already written: a task delivered twice does its chunk once.
    chunks_done = models.JSONField(default=list, blank=True)

    objects = AdjustmentRunQuerySet.as_manager()

    class Meta(JobRun.Meta):
        db_table = "selection_adjustmentrun"  # moved from selection: the table kept its name
        constraints = [
            one_active_run_per("region", "adjustment_one_active_run_per_region", described=True),
            progress_bounded("adjustment_progress_bounded", described=True),
        ]

    def __str__(self):
        return f"{self.region} · {self.year} · {self.get_status_display()}"


class ProposalKind(models.TextChoices):
    UPGRADE = "upgrade", _("升级")
    DOWNGRADE = "downgrade", _("降级")
    EXIT = "exit", _("退出")
    GRADUATE = "graduate", _("毕业")


class ProposalOrigin(models.TextChoices):
    RULES = "rules", _("规则测算")
    REQUEST = "request", _("企业申请")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    AMENDED = "amended", _("修改后确认")
    REJECTED = "rejected", _("已驳回")
    WITHDRAWN = "withdrawn", _("已撤回")


PROPOSAL_TRANSITIONS = {
    ProposalStatus.PENDING: {
        ProposalStatus.CONFIRMED,
        ProposalStatus.AMENDED,
        ProposalStatus.REJECTED,
        ProposalStatus.WITHDRAWN,
    },
    ProposalStatus.CONFIRMED: set(),
    ProposalStatus.AMENDED: set(),
    ProposalStatus.REJECTED: set(),
    ProposalStatus.WITHDRAWN: set(),
}
EFFECTIVE = (ProposalStatus.CONFIRMED, ProposalStatus.AMENDED)
TIER_MOVES = (ProposalKind.UPGRADE, ProposalKind.DOWNGRADE)


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see proposals for enterprises of their jurisdiction; an enterprise sees
        only what took effect, and its own requests — a pending rules proposal is not news."""
        mine = self.filter(visible_enterprise_q(user, "entry__enterprise"))
        if user.is_authenticated and user.is_enterprise:
            return mine.filter(Q(status__in=EFFECTIVE) | Q(origin=ProposalOrigin.REQUEST))
        return mine


class AdjustmentProposal(models.Model):
    """A change the rules (or the enterprise) propose; it takes effect only when staff
    confirm it (or amend and confirm it)."""

    entry = models.ForeignKey(RegistryEntry, on_delete=models.PROTECT, related_name="proposals")
    run = models.ForeignKey(
        AdjustmentRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals"
    )
    year = models.PositiveSmallIntegerField(_("报告年度"))
    origin = models.CharField(_("来源"), max_length=10, choices=ProposalOrigin.choices)
    kind = models.CharField(_("调整类型"), max_length=10, choices=ProposalKind.choices)
    from_tier = models.CharField(_("原层级"), max_length=12, choices=Tier.choices)
    to_tier = models.CharField(_("建议层级"), max_length=12, choices=Tier.choices, blank=True)
    reasons = models.JSONField(_("依据"), default=list)
    figures = models.JSONField(_("数据"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    # What took effect: the proposal's own kind and tier, or the staff's amendment.
    final_kind = models.CharField(max_length=10, choices=ProposalKind.choices, blank=True)
    final_tier = models.CharField(max_length=12, choices=Tier.choices, blank=True)
    decision_reason = models.CharField(_("处理意见"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        db_table = "selection_adjustmentproposal"  # moved from selection: the table kept its name
        ordering = ["-created_at", "-id"]
        verbose_name = _("调整建议")
        verbose_name_plural = _("调整建议")
        constraints = [
            # Reruns update the year's proposal instead of adding another (idempotent job).
            models.UniqueConstraint(
                fields=["entry", "year"],
                condition=Q(origin="rules"),
                **described("adjustment_one_rules_proposal_per_year"),
            ),
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(origin="request", status="pending"),
                **described("adjustment_one_open_request"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ProposalKind.values), **described("adjustment_kind_valid")
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values),
                **described("adjustment_status_valid"),
            ),
            # A tier move names its tier; leaving the registry names none.
            models.CheckConstraint(
                condition=(Q(kind__in=["upgrade", "downgrade"]) & ~Q(to_tier=""))
                | (Q(kind__in=["exit", "graduate"]) & Q(to_tier="")),
                **described("adjustment_tier_matches_kind"),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["confirmed", "amended"])
                | (~Q(final_kind="") & Q(decided_at__isnull=False)),
                **described("adjustment_effective_has_outcome"),
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self):
        return f"{self.entry.enterprise} · {self.get_kind_display()} · {self.year}"

    @property
    def effective(self) -> bool:
        return self.status in EFFECTIVE

    @property
    def outcome(self) -> str:
        """What took effect (or would): e.g. "降级 → 潜力型"; a rejected or withdrawn proposal
        changed nothing and says so rather than naming the move it proposed."""
        if self.status == ProposalStatus.REJECTED:
            return str(_("不作调整（建议已驳回）"))
        if self.status == ProposalStatus.WITHDRAWN:
            return str(_("不作调整（建议已撤回）"))
        kind, tier = self.final_kind or self.kind, self.final_tier or self.to_tier
        label = ProposalKind(kind).label
        return f"{label} → {Tier(tier).label}" if tier else label


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    UPHELD = "upheld", _("申诉成立")
    DISMISSED = "dismissed", _("申诉不成立")


APPEAL_TRANSITIONS = {
    AppealStatus.PENDING: {AppealStatus.UPHELD, AppealStatus.DISMISSED},
    AppealStatus.UPHELD: set(),
    AppealStatus.DISMISSED: set(),
}


class AppealQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(proposal__in=AdjustmentProposal.objects.visible_to(user))


class Appeal(models.Model):
    """An enterprise contests a confirmed downgrade or exit: once per proposal."""

    proposal = models.OneToOneField(
        AdjustmentProposal, on_delete=models.PROTECT, related_name="appeal"
    )
    reason = limited_text(_("申诉理由"), TEXT)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    reply = limited_text(_("处理意见"), TEXT, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AppealQuerySet.as_manager()

    class Meta:
        db_table = "selection_appeal"  # moved from selection: the table kept its name
        ordering = ["-created_at", "-id"]
        verbose_name = _("调整申诉")
        verbose_name_plural = _("调整申诉")
        constraints = [
            length_check("reply", TEXT, "appeal_reply_length"),
            length_check("reason", TEXT, "appeal_reason_length"),
            models.CheckConstraint(
                condition=Q(status="pending") | (~Q(reply="") & Q(decided_at__isnull=False)),
                **described("appeal_decision_has_reply"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=AppealStatus.values), **described("appeal_status_valid")
            ),
        ]

    def __str__(self):
        return f"{self.proposal} · {self.get_status_display()}"
