"""Voucher programmes (数据券、算法券、算力券): the rules, frozen on publish, and the budget
ledger's balances (reserved, spent) that only conditional UPDATEs move."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Region, Role
from config.constraint_messages import described
from config.text_limits import TEXT, length_check, limited_text
from registry.models import Enterprise
from vouchers.models.choices import (
    MONEY,
    RATIO,
    ProgramStatus,
    RedemptionMode,
    ValidityUnit,
    VoucherKind,
)

# Programmes an enterprise or a provider may see: the live ones and the ended ones.
PUBLIC_PROGRAM_STATES = (ProgramStatus.PUBLISHED, ProgramStatus.CLOSED)


def is_provider_user(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.PROVIDER
        and user.organisation_id is not None
    )


def enterprise_area_paths(user) -> set[str]:
    """The region paths of every region containing one of the user's enterprises."""
    paths = Enterprise.objects.visible_to(user).values_list("region__path", flat=True)
    return {p for path in paths for p in Region.ancestor_paths(path)}


class VoucherProgramQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Admins all; bureau staff the programmes of their jurisdiction and below (its own
        staff run one, staff above see it); enterprises the published or closed ones whose
        jurisdiction contains one of their enterprises; providers every published or
        closed programme (to join one) and those they belong to; nobody else."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_bureau:
            return self.filter(jurisdiction__path__startswith=user.region.path)
        if user.is_enterprise:
            return self.filter(
                status__in=PUBLIC_PROGRAM_STATES,
                jurisdiction__path__in=enterprise_area_paths(user),
            )
        if is_provider_user(user):
            return self.filter(
                Q(status__in=PUBLIC_PROGRAM_STATES)
                | Q(memberships__provider__organisation_id=user.organisation_id)
            ).distinct()
        return self.none()

    def open_on(self, day):
        """Published and taking applications on `day`."""
        return self.filter(status=ProgramStatus.PUBLISHED, opens_on__lte=day, closes_on__gte=day)


class VoucherProgram(models.Model):
    """One voucher scheme of one jurisdiction. Its rules are edited while it is a draft and
    frozen on publish; a change after that is a new version (`previous`), kept beside it.

    `reserved` and `spent` are the budget ledger's balances: every movement is also a
    LedgerEntry row, and the database refuses reserved + spent > budget.
    """

    kind = models.CharField(_("券种"), max_length=12, choices=VoucherKind.choices)
    name = models.CharField(_("名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    jurisdiction = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("发放地区")
    )
    description = limited_text(_("说明"), TEXT, blank=True)
    budget = models.DecimalField(_("总预算（元）"), **MONEY)
    subsidy_ratio = models.DecimalField(
        _("补贴比例"), help_text=_("合同金额的比例，如 0.2 即 20%。"), **RATIO
    )
    startup_ratio = models.DecimalField(_("初创企业补贴比例"), null=True, blank=True, **RATIO)
    startup_age_years = models.PositiveSmallIntegerField(
        _("初创企业成立年限（年以内）"), null=True, blank=True
    )
    annual_cap = models.DecimalField(_("每家企业每年上限（元）"), **MONEY)
    contract_cap = models.DecimalField(_("单份合同上限（元）"), **MONEY)
    opens_on = models.DateField(_("申请开始日期"))
    closes_on = models.DateField(_("申请截止日期"))
    validity_length = models.PositiveSmallIntegerField(_("券有效期"))
    validity_unit = models.CharField(
        _("有效期单位"), max_length=8, choices=ValidityUnit.choices, default=ValidityUnit.MONTH
    )
    settlement_working_days = models.PositiveSmallIntegerField(_("结算时限（工作日）"))
    redemption_mode = models.CharField(_("兑付方式"), max_length=10, choices=RedemptionMode.choices)
    conditions = models.JSONField(_("申请条件"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT
    )
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name=_("上一版本"),
    )
    # The first version: programmes of one lineage share the enterprise annual caps.
    root = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reserved = models.DecimalField(_("已预留（元）"), default=Decimal("0.00"), **MONEY)
    spent = models.DecimalField(_("已支出（元）"), default=Decimal("0.00"), **MONEY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)

    objects = VoucherProgramQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-created_at", "-id"]
        verbose_name = _("券种计划")
        verbose_name_plural = _("券种计划")
        constraints = [
            length_check("description", TEXT, "voucher_program_description_length"),
            models.CheckConstraint(
                condition=Q(kind__in=VoucherKind.values), **described("voucher_program_kind_valid")
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProgramStatus.values),
                **described("voucher_program_status_valid"),
            ),
            models.CheckConstraint(
                condition=Q(redemption_mode__in=RedemptionMode.values),
                **described("voucher_program_mode_valid"),
            ),
            models.CheckConstraint(
                condition=Q(validity_unit__in=ValidityUnit.values),
                **described("voucher_program_validity_unit_valid"),
            ),
            models.CheckConstraint(
                condition=Q(budget__gt=0), **described("voucher_program_budget_positive")
            ),
            models.CheckConstraint(
                condition=Q(subsidy_ratio__gt=0, subsidy_ratio__lte=1),
                **described("voucher_program_ratio_range"),
            ),
            models.CheckConstraint(
                condition=(Q(startup_ratio__isnull=True) & Q(startup_age_years__isnull=True))
                | Q(
                    startup_ratio__isnull=False,
                    startup_age_years__gt=0,
                    startup_ratio__gt=0,
                    startup_ratio__lte=1,
                ),
                **described("voucher_program_startup_pair"),
            ),
            models.CheckConstraint(
                condition=Q(annual_cap__gt=0, contract_cap__gt=0),
                **described("voucher_program_caps_positive"),
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                **described("voucher_program_window_ordered"),
            ),
            models.CheckConstraint(
                condition=Q(validity_length__gt=0), **described("voucher_program_validity_positive")
            ),
            models.CheckConstraint(
                condition=Q(settlement_working_days__gt=0),
                **described("voucher_program_settlement_days_positive"),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                **described("voucher_program_year_range"),
            ),
            models.CheckConstraint(
                condition=Q(reserved__gte=0), **described("voucher_program_reserved_not_negative")
            ),
            models.CheckConstraint(
                condition=Q(spent__gte=0), **described("voucher_program_spent_not_negative")
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=F("reserved") + F("spent")),
                **described("voucher_program_within_budget"),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False) | Q(status="withdrawn"),
                **described("voucher_program_published_has_time"),
            ),
            models.CheckConstraint(
                condition=(Q(version=1) & Q(previous__isnull=True) & Q(root__isnull=True))
                | (Q(version__gt=1) & Q(previous__isnull=False) & Q(root__isnull=False)),
                **described("voucher_program_version_chain"),
            ),
        ]
        indexes = [models.Index(fields=["status", "closes_on"])]

    def __str__(self):
        if self.version > 1:
            return f"{self.name}（v{self.version}）"
        return self.name

    @property
    def lineage_id(self) -> int:
        """The first version's id: the key of the enterprise annual caps."""
        return self.root_id or self.pk

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.reserved - self.spent

    def claimant_is_provider(self) -> bool:
        return self.redemption_mode == RedemptionMode.DISCOUNT
