"""Service providers (数据/算法/算力服务商), their catalogues, related-party declarations and
their membership of programmes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from config.constraint_messages import described
from config.text_limits import NOTE, length_check, limited_text
from registry.models import Enterprise
from vouchers.models.choices import (
    MONEY,
    HubNode,
    MembershipStatus,
    RelationKind,
    VoucherKind,
)
from vouchers.models.programs import VoucherProgram, is_provider_user


class ProviderQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Admins and bureau staff all (they approve providers into programmes); a
        provider's users their own; enterprises the providers approved in a programme they
        see (to choose one); nobody else."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_admin or user.is_bureau:
            return self.all()
        if is_provider_user(user):
            return self.filter(organisation_id=user.organisation_id)
        if user.is_enterprise:
            programs = VoucherProgram.objects.visible_to(user)
            return self.filter(
                memberships__program__in=programs,
                memberships__status=MembershipStatus.APPROVED,
            ).distinct()
        return self.none()


class Provider(models.Model):
    """An organisation of kind `provider` whose users (role provider) act for it."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="provider", verbose_name=_("机构")
    )
    service_kinds = models.JSONField(_("服务类型"), default=list)
    hub_node = models.CharField(
        _("算力枢纽节点"), max_length=16, choices=HubNode.choices, blank=True
    )
    group_name = models.CharField(_("所属集团"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProviderQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "id"]
        verbose_name = _("服务商")
        verbose_name_plural = _("服务商")
        constraints = [
            models.CheckConstraint(
                condition=Q(hub_node="") | Q(hub_node__in=HubNode.values),
                **described("provider_hub_node_valid"),
            ),
        ]

    def __str__(self):
        return self.organisation.name

    @property
    def uscc(self) -> str:
        return self.organisation.uscc


class RelatedParty(models.Model):
    """A provider's declaration: it holds shares in, or shares a group with, the enterprise
    of this USCC. Related parties cannot transact under a programme."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="relations")
    kind = models.CharField(_("关联类型"), max_length=12, choices=RelationKind.choices)
    uscc = models.CharField(_("关联企业统一社会信用代码"), max_length=18)
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["provider", "uscc"]
        verbose_name = _("关联方申报")
        verbose_name_plural = _("关联方申报")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "uscc", "kind"], **described("related_party_unique")
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RelationKind.values), **described("related_party_kind_valid")
            ),
        ]

    def __str__(self):
        return f"{self.provider} · {self.uscc}"


class ProductQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(provider__in=Provider.objects.visible_to(user))


class Product(models.Model):
    """One line of a provider's catalogue: e.g. A100 card-hours, a data product, 1,000
    model API calls, with its unit and unit price."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="products")
    kind = models.CharField(_("券种"), max_length=12, choices=VoucherKind.choices)
    name = models.CharField(_("产品名称"), max_length=200)
    unit = models.CharField(_("计量单位"), max_length=20)
    unit_price = models.DecimalField(_("单价（元）"), **MONEY)
    is_active = models.BooleanField(_("在售"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["provider", "kind", "name"]
        verbose_name = _("服务产品")
        verbose_name_plural = _("服务产品")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit_price__gt=0), **described("product_price_positive")
            ),
            models.CheckConstraint(
                condition=Q(kind__in=VoucherKind.values), **described("product_kind_valid")
            ),
            models.UniqueConstraint(
                fields=["provider", "name", "unit"], **described("product_unique_name_unit")
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.unit}）"


class ProgramProviderQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff the memberships of programmes they see; a provider its own; enterprises the
        approved ones of programmes they see."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_bureau:
            return self.filter(program__in=VoucherProgram.objects.visible_to(user))
        if is_provider_user(user):
            return self.filter(provider__organisation_id=user.organisation_id)
        if user.is_enterprise:
            return self.filter(
                status=MembershipStatus.APPROVED,
                program__in=VoucherProgram.objects.visible_to(user),
            )
        return self.none()


class ProgramProvider(models.Model):
    """A provider's membership of a programme: it applies, the programme's staff decide."""

    program = models.ForeignKey(
        VoucherProgram, on_delete=models.PROTECT, related_name="memberships"
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="memberships")
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=MembershipStatus.choices,
        default=MembershipStatus.APPLIED,
    )
    reason = limited_text(_("原因"), NOTE, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgramProviderQuerySet.as_manager()

    class Meta:
        ordering = ["program", "provider"]
        verbose_name = _("入围服务商")
        verbose_name_plural = _("入围服务商")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "provider"], **described("program_provider_unique")
            ),
            models.CheckConstraint(
                condition=Q(status__in=MembershipStatus.values),
                **described("program_provider_status_valid"),
            ),
            length_check("reason", NOTE, "program_provider_reason_length"),
        ]

    def __str__(self):
        return f"{self.program} · {self.provider}"
