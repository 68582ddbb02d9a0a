"""The voucher flow: application (with its contract) → voucher → claims.

A voucher's own balances (`claimed`, `settled`, `released`) bound its claims in the
database: claimed + released ≤ amount, settled ≤ claimed.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from config.constraint_messages import described
from config.text_limits import NOTE, length_check, limited_text
from registry.models import Enterprise
from vouchers.models.choices import (
    CONTRACT_HOLDING_STATES,
    MONEY,
    RATIO,
    ApplicationStatus,
    Claimant,
    ClaimStatus,
    VoucherKind,
    VoucherStatus,
)
from vouchers.models.programs import VoucherProgram, is_provider_user
from vouchers.models.providers import Provider

ZERO = Decimal("0.00")


def contract_path(instance, filename):
    return f"vouchers/contracts/{instance.enterprise_id}/{filename}"


def delivery_path(instance, filename):
    return f"vouchers/deliveries/{instance.voucher_id}/{filename}"


class PartyScopedQuerySet(models.QuerySet):
    """Rows with `program`, `enterprise` and `provider`: the enterprise's members see theirs,
    the provider's users those naming it, staff those of programmes of their jurisdiction
    and below, admins all, nobody else anything. A subclass without `provider` sets
    `provider_sees = False`."""

    provider_sees = True

    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_bureau:
            return self.filter(program__jurisdiction__path__startswith=user.region.path)
        if user.is_enterprise:
            return self.filter(enterprise__in=Enterprise.objects.visible_to(user))
        if self.provider_sees and is_provider_user(user):
            return self.filter(provider__organisation_id=user.organisation_id)
        return self.none()


class VoucherApplication(models.Model):
    """An enterprise's application under a programme, with the contract it signed with an
    approved provider. A contract number is used once per provider across all programmes
    (no double subsidy): the database refuses a second live application with it."""

    program = models.ForeignKey(
        VoucherProgram, on_delete=models.PROTECT, related_name="applications"
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="voucher_applications"
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="applications")
    contract_number = models.CharField(_("合同编号"), max_length=64)
    contract_signed_on = models.DateField(_("合同签订日期"))
    contract_starts_on = models.DateField(_("合同开始日期"))
    contract_ends_on = models.DateField(_("合同结束日期"))
    contract_amount = models.DecimalField(_("合同金额（元）"), **MONEY)
    contract_file = models.FileField(_("合同（PDF）"), upload_to=contract_path, blank=True)
    contract_sha256 = models.CharField(max_length=64, blank=True)
    # [{"product": id, "name", "unit", "unit_price", "quantity", "amount"}], as applied.
    items = models.JSONField(_("服务产品及数量"), default=list)
    amount_sought = models.DecimalField(_("申请金额（元）"), **MONEY)
    # The eligibility explanation at the last (re)submission (conditions/engine data).
    explanation = models.JSONField(_("符合情况"), default=list)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.APPLIED,
    )
    reason = limited_text(_("审核意见"), NOTE, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("券申请")
        verbose_name_plural = _("券申请")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "contract_number"],
                condition=Q(status__in=CONTRACT_HOLDING_STATES),
                **described("voucher_application_contract_once"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values),
                **described("voucher_application_status_valid"),
            ),
            models.CheckConstraint(
                condition=Q(contract_amount__gt=0),
                **described("voucher_application_contract_positive"),
            ),
            models.CheckConstraint(
                condition=Q(amount_sought__gt=0, amount_sought__lte=F("contract_amount")),
                **described("voucher_application_sought_range"),
            ),
            models.CheckConstraint(
                condition=Q(contract_ends_on__gte=F("contract_starts_on")),
                **described("voucher_application_term_ordered"),
            ),
            length_check("reason", NOTE, "voucher_application_reason_length"),
        ]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self):
        return f"{self.program} · {self.enterprise} · {self.contract_number}"


class VoucherSequence(models.Model):
    """The last sequence number given per kind, region and year (a counter row, locked
    while a code is drawn, so that codes are unique and gap-free under concurrency)."""

    kind = models.CharField(max_length=12, choices=VoucherKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("券号序列")
        verbose_name_plural = _("券号序列")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "region", "year"], **described("voucher_sequence_unique")
            ),
        ]

    def __str__(self):
        return f"{self.kind}-{self.region_id}-{self.year}: {self.last}"


class Voucher(models.Model):
    """An issued voucher. `amount` is the min of the stored terms; `claimed` is what its
    live claims hold, `settled` what was paid, `released` what went back to the budget."""

    application = models.OneToOneField(
        VoucherApplication, on_delete=models.PROTECT, related_name="voucher"
    )
    program = models.ForeignKey(VoucherProgram, on_delete=models.PROTECT, related_name="vouchers")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="vouchers")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="vouchers")
    code = models.CharField(_("券号"), max_length=40, unique=True)
    verification_token = models.CharField(max_length=32, unique=True, editable=False)
    amount = models.DecimalField(_("券面金额（元）"), **MONEY)
    # Every term of min(): sought, ratio × contract, the remaining annual cap, the
    # per-contract cap, the remaining budget; and the ratio applied.
    term_sought = models.DecimalField(_("申请金额"), **MONEY)
    term_ratio_amount = models.DecimalField(_("比例金额"), **MONEY)
    term_annual_remaining = models.DecimalField(_("年度剩余额度"), **MONEY)
    term_contract_cap = models.DecimalField(_("单份合同上限"), **MONEY)
    term_budget_remaining = models.DecimalField(_("计划剩余预算"), **MONEY)
    ratio = models.DecimalField(_("适用比例"), **RATIO)
    is_startup = models.BooleanField(_("按初创企业比例"), default=False)
    cap_year = models.PositiveSmallIntegerField(_("计入年度"))
    claimed = models.DecimalField(_("已申领（元）"), default=ZERO, **MONEY)
    settled = models.DecimalField(_("已结算（元）"), default=ZERO, **MONEY)
    released = models.DecimalField(_("已释放（元）"), default=ZERO, **MONEY)
    status = models.CharField(
        _("状态"), max_length=16, choices=VoucherStatus.choices, default=VoucherStatus.ISSUED
    )
    issued_at = models.DateTimeField(_("发放时间"), default=timezone.now)
    expires_on = models.DateField(_("有效期至"))
    ended_at = models.DateTimeField(_("过期或作废时间"), null=True, blank=True)
    reason = limited_text(_("作废原因"), NOTE, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("券")
        verbose_name_plural = _("券")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=VoucherStatus.values), **described("voucher_status_valid")
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0)
                & Q(amount__lte=F("term_sought"))
                & Q(amount__lte=F("term_ratio_amount"))
                & Q(amount__lte=F("term_annual_remaining"))
                & Q(amount__lte=F("term_contract_cap"))
                & Q(amount__lte=F("term_budget_remaining")),
                **described("voucher_amount_within_terms"),
            ),
            models.CheckConstraint(
                condition=Q(claimed__gte=0, settled__gte=0, released__gte=0),
                **described("voucher_balances_not_negative"),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=F("claimed") + F("released")),
                **described("voucher_not_over_claimed"),
            ),
            models.CheckConstraint(
                condition=Q(settled__lte=F("claimed")),
                **described("voucher_settled_within_claimed"),
            ),
            length_check("reason", NOTE, "voucher_reason_length"),
        ]
        indexes = [models.Index(fields=["status", "expires_on"])]

    def __str__(self):
        return self.code

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.claimed - self.released

    @property
    def terms(self) -> dict:
        return {
            "sought": self.term_sought,
            "ratio_amount": self.term_ratio_amount,
            "annual_remaining": self.term_annual_remaining,
            "contract_cap": self.term_contract_cap,
            "budget_remaining": self.term_budget_remaining,
        }


class Claim(models.Model):
    """A redemption claim against a voucher: by the provider (discount mode) or by the
    enterprise (reimburse mode). A retry with the same idempotency key returns this row."""

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="claims")
    program = models.ForeignKey(VoucherProgram, on_delete=models.PROTECT, related_name="claims")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="claims")
    claimant = models.CharField(_("申领方"), max_length=10, choices=Claimant.choices)
    idempotency_key = models.CharField(_("幂等键"), max_length=64)
    invoice_number = models.CharField(_("发票号码"), max_length=64)
    amount = models.DecimalField(_("申领金额（元）"), **MONEY)
    usage_quantity = models.DecimalField(_("使用量"), max_digits=16, decimal_places=3)
    usage_unit = models.CharField(_("使用量单位"), max_length=20)
    proof_file = models.FileField(_("交付证明（PDF）"), upload_to=delivery_path, blank=True)
    proof_sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.FILED
    )
    reason = limited_text(_("审核意见"), NOTE, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    verified_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    settled_at = models.DateTimeField(_("结算时间"), null=True, blank=True)
    settle_due_on = models.DateField(_("结算期限"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("兑付申领")
        verbose_name_plural = _("兑付申领")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "invoice_number"], **described("claim_invoice_once")
            ),
            models.UniqueConstraint(
                fields=["provider", "idempotency_key"],
                condition=Q(claimant="provider"),
                **described("claim_idempotency_provider"),
            ),
            models.UniqueConstraint(
                fields=["enterprise", "idempotency_key"],
                condition=Q(claimant="enterprise"),
                **described("claim_idempotency_enterprise"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values), **described("claim_status_valid")
            ),
            models.CheckConstraint(
                condition=Q(claimant__in=Claimant.values), **described("claim_claimant_valid")
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), **described("claim_amount_positive")),
            models.CheckConstraint(
                condition=Q(usage_quantity__gt=0), **described("claim_usage_positive")
            ),
            models.CheckConstraint(
                condition=~Q(status="settled") | Q(settled_at__isnull=False),
                **described("claim_settled_has_time"),
            ),
            length_check("reason", NOTE, "claim_reason_length"),
        ]
        indexes = [
            models.Index(fields=["status", "settle_due_on"]),
            models.Index(fields=["voucher", "status"]),
        ]

    def __str__(self):
        return f"{self.voucher} · {self.invoice_number}"
