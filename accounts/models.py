from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.constraint_messages import described


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业用户")
    BUREAU = "bureau", _("数据管理部门")
    PANELIST = "panelist", _("遴选培育组专家")
    INSTITUTION = "institution", _("金融机构")
    PROVIDER = "provider", _("服务商")
    PUBLISHER = "publisher", _("场景发布方")
    ADMIN = "admin", _("系统管理员")


class RegionLevel(models.TextChoices):
    COUNTRY = "country", _("全国")
    PROVINCE = "province", _("省级")
    PREFECTURE = "prefecture", _("地级")


class RegionQuerySet(models.QuerySet):
    def subtree(self, region):
        """The region and every region under it (paths share a prefix)."""
        return self.filter(path__startswith=region.path)

    def provinces(self):
        return self.filter(level=RegionLevel.PROVINCE)


class Region(models.Model):
    """A jurisdiction by its GB/T 2260 code; the national root is 000000."""

    code = models.CharField(_("区划代码"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    level = models.CharField(_("行政级别"), max_length=12, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # Materialised path of codes, e.g. "000000/330000/330100/": a subtree is a prefix.
    path = models.CharField(max_length=64, unique=True, editable=False)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{6}$"), **described("region_code_six_digits")
            ),
            models.CheckConstraint(
                condition=Q(level="country", parent__isnull=True)
                | (~Q(level="country") & Q(parent__isnull=False)),
                **described("region_only_root_has_no_parent"),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def full_name(self):
        if self.parent and self.parent.level != RegionLevel.COUNTRY:
            return f"{self.parent.name}{self.name}"
        return self.name

    def contains(self, other) -> bool:
        return other is not None and other.path.startswith(self.path)

    @staticmethod
    def ancestor_paths(path: str) -> list[str]:
        """ "000000/330000/330100/" -> the paths of that region and every region above it."""
        return [path[: i + 7] for i in range(0, len(path), 7)]


class OrganisationKind(models.TextChoices):
    BUREAU = "bureau", _("数据管理部门")
    GOVERNMENT = "government", _("政府部门")
    ENTERPRISE = "enterprise", _("企业")
    RESEARCH = "research", _("科研院所")
    UNIVERSITY = "university", _("高等院校")
    INVESTMENT = "investment", _("投资机构")
    INCUBATOR = "incubator", _("孵化机构")
    BANK = "bank", _("银行")
    GUARANTOR = "guarantor", _("融资担保机构")
    FUND = "fund", _("政府引导基金")
    PROVIDER = "provider", _("数据/算法/算力服务商")
    PUBLISHER = "publisher", _("场景发布单位")


class Organisation(models.Model):
    """Any body a non-enterprise user acts for: a bureau, bank, provider, publisher …"""

    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=OrganisationKind.choices)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "kind"], **described("organisation_unique_name_kind")
            )
        ]

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(role=Role.ADMIN, is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)

    def get_by_login(self, identifier: str):
        """The user whose e-mail or mobile number is `identifier`, or DoesNotExist."""
        from accounts.phone import normalise_phone

        identifier = (identifier or "").strip()
        if "@" in identifier:
            return self.get(email__iexact=identifier)
        return self.get(phone=normalise_phone(identifier))


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("电子邮箱"), unique=True)
    phone = models.CharField(_("手机号码"), max_length=11, unique=True, null=True, blank=True)
    full_name = models.CharField(_("姓名"), max_length=100)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("所属机构"),
    )
    # A bureau user's jurisdiction: this region and everything under it.
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("管辖区域")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    is_staff = models.BooleanField(_("可进入后台"), default=False)
    date_joined = models.DateTimeField(_("注册时间"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="bureau") | Q(region__isnull=False),
                **described("user_bureau_has_region"),
            ),
            models.CheckConstraint(
                condition=Q(phone__isnull=True) | Q(phone__regex=r"^1[3-9][0-9]{9}$"),
                **described("user_phone_is_mainland_mobile"),
            ),
        ]

    def __str__(self):
        return f"{self.full_name} <{self.email}>"

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def is_bureau(self) -> bool:
        return self.role == Role.BUREAU and self.region_id is not None

    @property
    def is_enterprise(self) -> bool:
        return self.role == Role.ENTERPRISE

    @property
    def is_staff_reviewer(self) -> bool:
        """Bureau staff and admins: the people who review enterprises."""
        return self.is_admin or self.is_bureau


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """An API key, stored as its SHA-256 digest: the key itself is shown once, when it is
    issued, and never kept. `prefix` (its first 8 characters) is not secret: it finds the
    row and tells the owner and the admin which key this is."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("用户")
    )
    prefix = models.CharField(_("前缀"), max_length=PREFIX_LENGTH, db_index=True)
    digest = models.CharField(_("摘要"), max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("创建时间"), default=timezone.now)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(digest__regex=r"^[0-9a-f]{64}$"),
                **described("apitoken_digest_is_sha256"),
            ),
        ]

    def __str__(self):
        return f"{self.prefix}…"
