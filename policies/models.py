"""Policy auto-matching (惠企政策自动适配、免申即享、直达秒兑): policies, grants, match runs
(the 60-working-day delivery deadline is counted on `workdays`).

A published policy whose `valid_until` has passed is *expired*: that is computed
(`Policy.is_expired`, `PolicyQuerySet.in_force`), not a stored state, so that no
nightly job has to flip it and the status table stays draft → published → withdrawn.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from config.constraint_messages import described
from config.jobs import JobRun, one_active_run_per, progress_bounded
from config.text_limits import TEXT, length_check, limited_text
from registry.models.enterprises import Enterprise, visible_enterprise_q

MONEY = {"max_digits": 16, "decimal_places": 2}


class PolicyKind(models.TextChoices):
    RELIEF = "relief", _("减免")
    SUBSIDY = "subsidy", _("奖补")
    BENEFIT = "benefit", _("权益")
    QUALIFICATION = "qualification", _("资质")


class PolicyMode(models.TextChoices):
    AUTO = "auto", _("免申即享")
    QUICK = "quick", _("快申快享")


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


POLICY_TRANSITIONS = {
    PolicyStatus.DRAFT: {PolicyStatus.PUBLISHED},
    PolicyStatus.PUBLISHED: {PolicyStatus.WITHDRAWN},
    PolicyStatus.WITHDRAWN: set(),
}


class GrantStatus(models.TextChoices):
    ELIGIBLE = "eligible", _("符合条件")
    NOTIFIED = "notified", _("已通知")
    ACCEPTED = "accepted", _("已确认")
    DELIVERED = "delivered", _("已兑现")
    DECLINED = "declined", _("已放弃")
    # The enterprise no longer meets the conditions before it accepted (e.g. a newer
    # report); it returns to eligible if it meets them again.
    LAPSED = "lapsed", _("不再符合")


GRANT_TRANSITIONS = {
    GrantStatus.ELIGIBLE: {GrantStatus.NOTIFIED, GrantStatus.LAPSED},
    GrantStatus.NOTIFIED: {GrantStatus.ACCEPTED, GrantStatus.DECLINED, GrantStatus.LAPSED},
    GrantStatus.ACCEPTED: {GrantStatus.DELIVERED},
    GrantStatus.DELIVERED: set(),
    GrantStatus.DECLINED: set(),
    GrantStatus.LAPSED: {GrantStatus.ELIGIBLE},
}
# Grants the matching job may still lapse (nothing promised has been accepted yet).
OPEN_GRANT_STATES = (GrantStatus.ELIGIBLE, GrantStatus.NOTIFIED)
# Grants whose delivery deadline still runs.
PENDING_DELIVERY = (GrantStatus.NOTIFIED, GrantStatus.ACCEPTED)


def _region_paths_of_user_enterprises(user):
    return list(Enterprise.objects.visible_to(user).values_list("region__path", flat=True))


class PolicyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Admins all; bureau staff the policies of their jurisdiction and, read-only, the
        published ones of the jurisdictions above it (they apply to its area too);
        enterprises the published policies whose jurisdiction contains their region."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_bureau:
            above = Region.ancestor_paths(user.region.path)
            return self.filter(
                Q(jurisdiction__path__startswith=user.region.path)
                | Q(jurisdiction__path__in=above, status__in=["published", "withdrawn"])
            )
        if user.is_enterprise:
            paths = {
                p
                for path in _region_paths_of_user_enterprises(user)
                for p in Region.ancestor_paths(path)
            }
            return self.filter(status=PolicyStatus.PUBLISHED, jurisdiction__path__in=paths)
        return self.none()

    def in_force(self, on=None):
        """Published and within its validity on `on` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(status=PolicyStatus.PUBLISHED, valid_from__lte=on, valid_until__gte=on)


class Policy(models.Model):
    title = models.CharField(_("政策名称"), max_length=200)
    department = models.CharField(_("发布部门"), max_length=200)
    kind = models.CharField(_("政策类型"), max_length=16, choices=PolicyKind.choices)
    benefit_amount = models.DecimalField(_("兑现金额（元）"), null=True, blank=True, **MONEY)
    benefit = limited_text(
        _("政策内容"), TEXT, help_text=_("享受的具体内容，如补贴标准、减免比例。")
    )
    jurisdiction = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("适用地区")
    )
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期止"))
    mode = models.CharField(_("兑现方式"), max_length=8, choices=PolicyMode.choices)
    beneficiary = models.CharField(_("受益对象"), max_length=300)
    contact = models.CharField(_("咨询联系"), max_length=200)
    conditions = models.JSONField(_("适用条件"))
    status = models.CharField(
        _("状态"), max_length=10, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        db_table = "registry_policy"  # moved from registry: the table kept its name
        ordering = ["-created_at", "-id"]
        verbose_name = _("惠企政策")
        verbose_name_plural = _("惠企政策")
        constraints = [
            length_check("benefit", TEXT, "policy_benefit_length"),
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from")),
                **described("policy_validity_ordered"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=PolicyStatus.values), **described("policy_status_valid")
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PolicyKind.values), **described("policy_kind_valid")
            ),
            models.CheckConstraint(
                condition=Q(mode__in=PolicyMode.values), **described("policy_mode_valid")
            ),
            models.CheckConstraint(
                condition=Q(benefit_amount__isnull=True) | Q(benefit_amount__gte=0),
                **described("policy_amount_not_negative"),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                **described("policy_published_has_time"),
            ),
        ]
        indexes = [models.Index(fields=["status", "valid_until"])]

    def __str__(self):
        return self.title

    @property
    def is_expired(self) -> bool:
        return self.valid_until < timezone.localdate()


class PolicyGrantQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An enterprise its own grants; bureau staff those of enterprises in their
        jurisdiction; admins all (semi-joins, registry.models.visible_enterprise_q)."""
        return self.filter(visible_enterprise_q(user, "enterprise"))

    def overdue(self, today=None):
        return self.filter(status__in=PENDING_DELIVERY, due_on__lt=today or timezone.localdate())


class PolicyGrant(models.Model):
    """One enterprise's entitlement under one policy, with the reason each condition holds."""

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="grants")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="grants")
    status = models.CharField(
        _("状态"), max_length=10, choices=GrantStatus.choices, default=GrantStatus.ELIGIBLE
    )
    explanation = models.JSONField(_("符合情况"), default=list)
    matched_at = models.DateTimeField(_("匹配时间"), default=timezone.now)
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)
    due_on = models.DateField(_("兑现期限"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("兑现时间"), null=True, blank=True)
    declined_at = models.DateTimeField(_("放弃时间"), null=True, blank=True)
    lapsed_at = models.DateTimeField(_("失效时间"), null=True, blank=True)
    decline_reason = models.CharField(_("放弃原因"), max_length=300, blank=True)
    delivery_note = models.CharField(_("兑现说明"), max_length=300, blank=True)
    # auto (免申即享): where the money goes, confirmed by the enterprise.
    account_name = models.CharField(_("开户名称"), max_length=200, blank=True)
    bank_name = models.CharField(_("开户银行"), max_length=200, blank=True)
    account_number = models.CharField(_("银行账号"), max_length=40, blank=True)
    # quick (快申快享): the one-page application as submitted (pre-filled, then edited).
    application = models.JSONField(_("申请表"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PolicyGrantQuerySet.as_manager()

    class Meta:
        db_table = "registry_policygrant"  # moved from registry: the table kept its name
        ordering = ["-matched_at", "-id"]
        verbose_name = _("政策兑现")
        verbose_name_plural = _("政策兑现")
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "enterprise"], **described("grant_one_per_policy")
            ),
            models.CheckConstraint(
                condition=Q(status__in=GrantStatus.values), **described("grant_status_valid")
            ),
            models.CheckConstraint(
                condition=Q(status__in=["eligible", "lapsed"])
                | Q(notified_at__isnull=False, due_on__isnull=False),
                **described("grant_notified_has_deadline"),
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                **described("grant_declined_has_reason"),
            ),
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(delivered_at__isnull=False),
                **described("grant_delivered_has_time"),
            ),
        ]
        indexes = [
            models.Index(fields=["policy", "status"]),
            models.Index(fields=["due_on"]),
            # A policy's grant list in its order (selectors.grant_list): a page of 20 read
            # off the index instead of sorting every grant of the policy.
            models.Index(
                fields=["policy", "due_on", "-matched_at", "-id"], name="grant_policy_list_order"
            ),
        ]

    def __str__(self):
        return f"{self.policy} · {self.enterprise}"

    @property
    def is_overdue(self) -> bool:
        return (
            self.status in PENDING_DELIVERY
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )


class PolicyMatchRun(JobRun):
    """One run of the matching job over a policy, with the progress its page shows."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="match_runs")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta(JobRun.Meta):
        db_table = "registry_policymatchrun"  # moved from registry: the table kept its name
        constraints = [
            one_active_run_per("policy", "policy_one_active_match_run", described=True),
            progress_bounded("policy_match_progress_bounded", described=True),
        ]

    def __str__(self):
        return f"{self.policy} · {self.get_status_display()}"
