"""Financial institutions (banks, investors, guarantors, guidance funds) and their products."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Role
from config.constraint_messages import described
from config.text_limits import TEXT, length_check, limited_text
from finance.models.choices import (
    DEBT_PRODUCTS,
    MONEY,
    RATE,
    InstitutionKind,
    InstitutionStatus,
    ProductKind,
)


def is_institution_user(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role == Role.INSTITUTION
        and user.organisation_id
    )


class InstitutionQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=InstitutionStatus.APPROVED)

    def visible_to(self, user):
        """Staff and admins all (they approve them); an institution's users their own; an
        enterprise the approved ones (to name them on a need and browse products)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_admin or user.is_bureau:
            return self.all()
        if is_institution_user(user):
            return self.filter(organisation_id=user.organisation_id)
        if user.is_enterprise:
            return self.approved()
        return self.none()


class Institution(models.Model):
    """An organisation of kind bank / investment / guarantor / fund whose users (role
    institution) act for it; staff approve it before it sees any need."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="institution", verbose_name=_("机构")
    )
    kind = models.CharField(_("机构类型"), max_length=12, choices=InstitutionKind.choices)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=InstitutionStatus.choices,
        default=InstitutionStatus.APPLIED,
    )
    introduction = limited_text(_("机构简介"), TEXT, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "id"]
        verbose_name = _("金融机构")
        verbose_name_plural = _("金融机构")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=InstitutionKind.values),
                **described("finance_institution_kind_valid"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=InstitutionStatus.values),
                **described("finance_institution_status_valid"),
            ),
            length_check("introduction", TEXT, "finance_institution_introduction_length"),
        ]

    def __str__(self):
        return self.organisation.name

    @property
    def is_approved(self) -> bool:
        return self.status == InstitutionStatus.APPROVED


class FinancialProductQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An institution's users its own products; everyone else who may see institutions
        the active products of approved ones (admins all)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_admin:
            return self.all()
        if is_institution_user(user):
            return self.filter(institution__organisation_id=user.organisation_id)
        if user.is_bureau or user.is_enterprise:
            return self.filter(is_active=True, institution__status=InstitutionStatus.APPROVED)
        return self.none()


class FinancialProduct(models.Model):
    """A loan (amount, rate and term ranges) or an equity programme (stages, ticket range,
    sectors); `conditions` is eligibility in the condition language (conditions.engine)."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="products", verbose_name=_("机构")
    )
    name = models.CharField(_("产品名称"), max_length=100)
    kind = models.CharField(_("产品类型"), max_length=14, choices=ProductKind.choices)
    min_amount = models.DecimalField(_("最低金额（元）"), **MONEY)
    max_amount = models.DecimalField(_("最高金额（元）"), **MONEY)
    min_rate = models.DecimalField(_("最低年利率（%）"), null=True, blank=True, **RATE)
    max_rate = models.DecimalField(_("最高年利率（%）"), null=True, blank=True, **RATE)
    min_term_months = models.PositiveSmallIntegerField(_("最短期限（月）"), null=True, blank=True)
    max_term_months = models.PositiveSmallIntegerField(_("最长期限（月）"), null=True, blank=True)
    stages = models.JSONField(_("投资阶段"), default=list, blank=True)
    industries = models.JSONField(_("关注行业"), default=list, blank=True)
    conditions = models.JSONField(_("准入条件"), null=True, blank=True)
    description = limited_text(_("产品说明"), TEXT, blank=True)
    is_active = models.BooleanField(_("在售"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FinancialProductQuerySet.as_manager()

    class Meta:
        ordering = ["institution__organisation__name", "name", "id"]
        verbose_name = _("金融产品")
        verbose_name_plural = _("金融产品")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ProductKind.values), **described("finance_product_kind_valid")
            ),
            models.CheckConstraint(
                condition=Q(min_amount__gt=0) & Q(max_amount__gte=F("min_amount")),
                **described("finance_product_amount_range"),
            ),
            models.CheckConstraint(
                condition=Q(min_rate__isnull=True)
                | (Q(min_rate__gte=0) & Q(max_rate__gte=F("min_rate")) & Q(max_rate__lte=36)),
                **described("finance_product_rate_range"),
            ),
            models.CheckConstraint(
                condition=Q(min_term_months__isnull=True)
                | (Q(min_term_months__gt=0) & Q(max_term_months__gte=F("min_term_months"))),
                **described("finance_product_term_range"),
            ),
            # A loan states its rates; an equity programme has none.
            models.CheckConstraint(
                condition=(
                    Q(kind__in=DEBT_PRODUCTS, min_rate__isnull=False, max_rate__isnull=False)
                    | Q(kind=ProductKind.EQUITY, min_rate__isnull=True, max_rate__isnull=True)
                ),
                **described("finance_product_rates_for_loans"),
            ),
            models.UniqueConstraint(
                fields=["institution", "name"], **described("finance_product_unique_name")
            ),
            length_check("description", TEXT, "finance_product_description_length"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_equity(self) -> bool:
        return self.kind == ProductKind.EQUITY
