from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from accounts.phone import CONTACT_PHONE_REGEX, validate_contact_phone
from config.constraint_messages import described
from config.text_limits import NOTE, TEXT, length_check, limited_text
from registry.bounds import founded_condition, validate_founded_on
from registry.choices import (
    EnterpriseSize,
    EntryStatus,
    Industry,
    InnovationCategory,
    ListingStatus,
    MembershipStatus,
    RecordKind,
    Tier,
    VerificationStatus,
)


class EnterpriseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one definition of who sees which enterprise (DESIGN.md, row-level access)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_bureau:
            return self.filter(region__path__startswith=user.region.path)
        if user.is_enterprise:
            return self.filter(memberships__user=user, memberships__status=MembershipStatus.ACTIVE)
        return self.none()

    def verified(self):
        """Enterprises whose identity the jurisdiction's staff confirmed: only these apply,
        receive grants or enter the registry."""
        return self.filter(verification_status=VerificationStatus.VERIFIED)


NOTHING = Q(pk__in=[])


def _subtree_ids(user) -> list[int] | None:
    """The ids of the regions of a bureau user's jurisdiction (None for the whole country),
    read once per user object. A list, not a subquery: the planner then reads from its
    statistics how many enterprises those regions hold (a subquery on the path is
    estimated as a few regions, and a province's queue of 20,000 was planned from every
    enterprise — 170 ms — instead of walking the list's index — 0.2 ms)."""
    if user.region.parent_id is None:
        return None
    cached = getattr(user, "_jurisdiction_region_ids", None)
    if cached is None:
        cached = list(
            Region.objects.filter(path__startswith=user.region.path).values_list("id", flat=True)
        )
        user._jurisdiction_region_ids = cached
    return cached


def visible_enterprise_q(user, to_enterprise: str) -> Q:
    """Enterprise.visible_to as a condition on rows that point at an enterprise through
    `to_enterprise` (e.g. "entry__enterprise"), written as semi-joins: staff's jurisdiction
    is `region_id IN (the subtree's region ids, _subtree_ids)` and an enterprise user's own is
    `enterprise_id IN (their active memberships)`. Nothing is joined that could repeat a
    row, and the set of visible enterprises is never built as a subquery of its own: a
    list's page is read off the list's own index."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_admin:
        return Q()
    if user.is_bureau:
        subtree = _subtree_ids(user)
        if subtree is None:
            return Q()  # the national jurisdiction: every region
        return Q(**{f"{to_enterprise}__region_id__in": subtree})
    if user.is_enterprise:
        own = Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE)
        return Q(**{f"{to_enterprise}_id__in": own.values("enterprise_id")})
    return NOTHING


class EnterpriseScopedQuerySet(models.QuerySet):
    """Rows that belong to one enterprise are visible exactly when it is."""

    def visible_to(self, user):
        return self.filter(enterprise__in=Enterprise.objects.visible_to(user))


class JurisdictionScopedQuerySet(EnterpriseScopedQuerySet):
    """The same rows as EnterpriseScopedQuerySet, read through visible_enterprise_q's
    semi-joins: for staff's cross-enterprise queues, whose order an index serves (the
    planner walks the index and stops at a page instead of visiting every enterprise)."""

    def visible_to(self, user):
        return self.filter(visible_enterprise_q(user, "enterprise"))


class Enterprise(models.Model):
    name = models.CharField(_("企业名称"), max_length=200, db_index=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("所在地区")
    )
    industry = models.CharField(_("所属行业"), max_length=2, choices=Industry.choices)
    category = models.CharField(_("创新类型"), max_length=10, choices=InnovationCategory.choices)
    founded_on = models.DateField(_("成立日期"), validators=[validate_founded_on])
    size = models.CharField(_("企业规模"), max_length=10, choices=EnterpriseSize.choices)
    listing_status = models.CharField(
        _("上市状态"), max_length=12, choices=ListingStatus.choices, default=ListingStatus.UNLISTED
    )
    contact_name = models.CharField(_("联系人"), max_length=100)
    contact_phone = models.CharField(
        _("联系电话"), max_length=20, validators=[validate_contact_phone]
    )
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    website = models.URLField(_("网站"), blank=True)
    description = limited_text(_("企业简介"), TEXT, blank=True)
    # A self-registration starts unverified; staff of its jurisdiction verify it.
    verification_status = models.CharField(
        _("认证状态"),
        max_length=12,
        choices=VerificationStatus.choices,
        default=VerificationStatus.UNVERIFIED,
        db_index=True,
    )
    verification_reason = models.CharField(_("认证退回理由"), max_length=300, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("认证审核人"),
    )
    verification_decided_at = models.DateTimeField(_("认证审核时间"), null=True, blank=True)
    # A default, not auto_now_add, so that imports and the demo seed can set it.
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        constraints = [
            models.CheckConstraint(
                condition=Q(uscc__regex=r"^[0-9A-HJ-NPQRTUWXY]{18}$"),
                **described("enterprise_uscc_alphabet"),
            ),
            models.CheckConstraint(
                condition=Q(industry__in=Industry.values), **described("enterprise_industry_valid")
            ),
            models.CheckConstraint(
                condition=Q(category__in=InnovationCategory.values),
                **described("enterprise_category_valid"),
            ),
            models.CheckConstraint(
                condition=Q(size__in=EnterpriseSize.values), **described("enterprise_size_valid")
            ),
            # "Not in the future" is checked in Python (validate_founded_on): the database
            # cannot use today reliably.
            models.CheckConstraint(
                condition=founded_condition(), **described("enterprise_founded_since_1949")
            ),
            # Empty only for an old row whose number was nonsense (see the migration that
            # added this check): the profile form asks for it again.
            models.CheckConstraint(
                condition=Q(contact_phone="") | Q(contact_phone__regex=CONTACT_PHONE_REGEX),
                **described("enterprise_contact_phone_valid"),
            ),
            length_check("description", TEXT, "enterprise_description_length"),
            models.CheckConstraint(
                condition=Q(verification_status__in=VerificationStatus.values),
                **described("enterprise_verification_status_valid"),
            ),
        ]
        indexes = [
            # A jurisdiction's list sorted by name, with and without the industry filter,
            # answered from the index alone (see bench/README.md for the figures).
            models.Index(fields=["region", "name", "id"]),
            models.Index(fields=["region", "industry", "name", "id"]),
            models.Index(fields=["industry"]),
            models.Index(fields=["category"]),
            models.Index(fields=["founded_on"]),
        ]

    def __str__(self):
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED

    def active_members(self):
        """The users acting for this enterprise (one query)."""
        from accounts.models import User

        return User.objects.filter(
            memberships__enterprise=self, memberships__status=MembershipStatus.ACTIVE
        )

    @property
    def tier(self):
        """The tier held now: none once the enterprise has left the registry."""
        entry = getattr(self, "registry_entry", None)
        return entry.tier if entry and entry.status == EntryStatus.ACTIVE else None


class MembershipQuerySet(EnterpriseScopedQuerySet):
    def active(self):
        return self.filter(status=MembershipStatus.ACTIVE)

    def pending(self):
        return self.filter(status=MembershipStatus.PENDING)


class Membership(models.Model):
    """A user acting for an enterprise; a joiner waits for approval."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="memberships")
    status = models.CharField(
        _("状态"), max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.PENDING
    )
    note = models.CharField(_("申请说明"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = models.CharField(_("审核意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    # The enterprise's administrators approve joiners, remove members and hand the role on;
    # an enterprise with active members always has one (registry/services/members.py).
    is_admin = models.BooleanField(_("企业管理员"), default=False)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("企业成员")
        verbose_name_plural = _("企业成员")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "enterprise"], **described("membership_unique")
            ),
            # A person acts for at most one enterprise at a time.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["pending", "active"]),
                **described("membership_one_open_per_user"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=MembershipStatus.values),
                **described("membership_status_valid"),
            ),
            models.CheckConstraint(
                condition=Q(is_admin=False) | Q(status=MembershipStatus.ACTIVE),
                **described("membership_admin_is_active"),
            ),
        ]

    def __str__(self):
        return f"{self.user} @ {self.enterprise}"


class RegistryEntryQuerySet(EnterpriseScopedQuerySet):
    def active(self):
        return self.filter(status=EntryStatus.ACTIVE)


class RegistryEntry(models.Model):
    """An enterprise in the cultivation registry, with its current tier (分级) and category."""

    enterprise = models.OneToOneField(
        Enterprise, on_delete=models.PROTECT, related_name="registry_entry"
    )
    tier = models.CharField(_("层级"), max_length=12, choices=Tier.choices, db_index=True)
    category = models.CharField(_("入库类别"), max_length=10, choices=InnovationCategory.choices)
    admitted_on = models.DateField(_("入库日期"))
    # The jurisdiction that admitted it: moving out of it ends cultivation there.
    jurisdiction = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("培育辖区"),
    )
    status = models.CharField(
        _("在库状态"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.ACTIVE
    )
    left_on = models.DateField(_("出库日期"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegistryEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("入库记录")
        verbose_name_plural = _("入库记录")
        constraints = [
            models.CheckConstraint(
                condition=Q(tier__in=Tier.values), **described("registry_tier_valid")
            ),
            models.CheckConstraint(
                condition=Q(category__in=InnovationCategory.values),
                **described("registry_category_valid"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=EntryStatus.values), **described("registry_status_valid")
            ),
            # Only an entry that left has a leaving date.
            models.CheckConstraint(
                condition=Q(status=EntryStatus.ACTIVE, left_on__isnull=True)
                | (~Q(status=EntryStatus.ACTIVE) & Q(left_on__isnull=False)),
                **described("registry_left_on_iff_left"),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.get_tier_display()}"

    @property
    def is_active(self) -> bool:
        return self.status == EntryStatus.ACTIVE


class TierChange(models.Model):
    """History of tiers: every admission, upgrade, downgrade or exit, with its reason."""

    entry = models.ForeignKey(RegistryEntry, on_delete=models.PROTECT, related_name="changes")
    from_tier = models.CharField(max_length=12, choices=Tier.choices, blank=True)
    to_tier = models.CharField(max_length=12, choices=Tier.choices, blank=True)
    reason = models.CharField(_("原因"), max_length=300)
    source = models.CharField(_("依据"), max_length=100, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("层级变动")
        verbose_name_plural = _("层级变动")

    def __str__(self):
        return f"{self.get_from_tier_display() or '—'} → {self.get_to_tier_display() or '—'}"


class EnterpriseRecordQuerySet(EnterpriseScopedQuerySet):
    def in_force(self):
        return self.filter(revoked_at__isnull=True)


class EnterpriseRecord(models.Model):
    """A fact from another register (市场监管, 信用中国) that ends cultivation: staff enter it,
    the adjustment job reads it. Revoked, never deleted, when it was entered in error."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="records")
    kind = models.CharField(_("记录类型"), max_length=20, choices=RecordKind.choices)
    occurred_on = models.DateField(_("发生日期"))
    source = models.CharField(_("信息来源"), max_length=200)
    note = limited_text(_("说明"), NOTE, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoke_reason = models.CharField(_("撤销原因"), max_length=300, blank=True)

    objects = EnterpriseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("企业状态记录")
        verbose_name_plural = _("企业状态记录")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RecordKind.values), **described("enterprise_record_kind_valid")
            ),
            length_check("note", NOTE, "enterprise_record_note_length"),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.get_kind_display()} · {self.occurred_on}"
