"""Data-resource registration (数据资源登记): an enterprise's data resources, reviewed by
the bureau of its jurisdiction, published for notice (公示) and then given a registration
code; after coding they may be changed (变更), corrected (更正) or cancelled (注销).

Registration code format: ``SJZY-<6-digit GB/T 2260 region code>-<year>-<6-digit sequence>``,
e.g. ``SJZY-330100-2026-000001``. The region is the enterprise's; the year is the year of
coding; the sequence counts per region and year (`RegistrationCodeSequence`, taken under
a row lock) and is never reused, not even after a cancellation.
"""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.constraint_messages import described
from config.text_limits import NOTE, TEXT, length_check, limited_text
from registry.models.enterprises import Enterprise, EnterpriseScopedQuerySet

CODE_PREFIX = "SJZY"
# The notice period in calendar days, the first day included: a resource published on
# the 1st is in notice until the 7th and may be coded from the 8th. Calendar days, not
# working days, so that the date a reader sees on the public page needs no holiday table.
NOTICE_DAYS = 7


class DataDomain(models.TextChoices):
    INDUSTRY = "industry", _("工业")
    TRANSPORT = "transport", _("交通")
    FINANCE = "finance", _("金融")
    HEALTH = "health", _("医疗")
    GOVERNMENT = "government", _("政务")
    COMMERCE = "commerce", _("商贸")
    CULTURE_TOURISM = "culture_tourism", _("文旅")
    AGRICULTURE = "agriculture", _("农业")
    ENERGY = "energy", _("能源")
    SCIENCE = "science", _("科技")
    OTHER = "other", _("其他")


class DataSource(models.TextChoices):
    """Where the data comes from; a resource may combine several."""

    SELF_COLLECTED = "self_collected", _("自行采集")
    PUBLIC_AUTHORISED = "public_authorised", _("公共数据授权运营")
    PURCHASED = "purchased", _("外部采购")


class UsageRight(models.TextChoices):
    """The three rights of 数据二十条 (structural separation of data property rights)."""

    HOLDING = "holding", _("数据资源持有权")
    PROCESSING = "processing", _("数据加工使用权")
    OPERATING = "operating", _("数据产品经营权")


class VolumeUnit(models.TextChoices):
    RECORDS = "records", _("万条")
    GB = "gb", "GB"
    TB = "tb", "TB"
    PB = "pb", "PB"


class UpdateCycle(models.TextChoices):
    REALTIME = "realtime", _("实时")
    DAILY = "daily", _("日")
    WEEKLY = "weekly", _("周")
    MONTHLY = "monthly", _("月")
    QUARTERLY = "quarterly", _("季")
    YEARLY = "yearly", _("年")
    IRREGULAR = "irregular", _("不定期")


class SecurityLevel(models.TextChoices):
    GENERAL = "general", _("一般数据")
    IMPORTANT = "important", _("重要数据")
    CORE = "core", _("核心数据")


# Levels for which the security measures must be described.
PROTECTED_LEVELS = {SecurityLevel.IMPORTANT, SecurityLevel.CORE}


class ResourceStatus(models.TextChoices):
    APPLIED = "applied", _("已申请")
    ACCEPTED = "accepted", _("已受理")
    REVIEWED = "reviewed", _("已审核")
    NOTICED = "noticed", _("公示中")
    CODED = "coded", _("已赋码")
    RETURNED = "returned", _("退回补正")
    REJECTED = "rejected", _("不予登记")
    CANCELLED = "cancelled", _("已注销")


S = ResourceStatus
# Staff may send an application back for correction or refuse it at any step before
# coding (an objection during the notice can still stop it); the enterprise resubmits a
# returned one. Once coded, the only state change is cancellation; changes and
# corrections edit the coded record and keep its code.
RESOURCE_TRANSITIONS = {
    S.APPLIED: {S.ACCEPTED, S.RETURNED, S.REJECTED},
    S.ACCEPTED: {S.REVIEWED, S.RETURNED, S.REJECTED},
    S.REVIEWED: {S.NOTICED, S.RETURNED, S.REJECTED},
    S.NOTICED: {S.CODED, S.RETURNED, S.REJECTED},
    S.RETURNED: {S.APPLIED},
    S.CODED: {S.CANCELLED},
    S.REJECTED: set(),
    S.CANCELLED: set(),
}
HAS_CODE = [S.CODED, S.CANCELLED]


class DataResourceQuerySet(EnterpriseScopedQuerySet):
    """Visible exactly when the enterprise is: its members, the bureaus of its
    jurisdiction, admins; nobody else."""

    def for_list(self):
        """Ready for a list page: the enterprise and its region in the same query."""
        return self.select_related("enterprise", "enterprise__region", "enterprise__region__parent")

    def registered(self):
        """Coded and in force: what the annual report counts as 已登记数据资源."""
        return self.filter(status=ResourceStatus.CODED)

    def in_notice(self):
        """The public notice (公示), for everyone: resources in their notice period."""
        return (
            self.filter(status=ResourceStatus.NOTICED).for_list().order_by("notice_ends_on", "id")
        )


class DataResource(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="data_resources"
    )
    name = models.CharField(_("资源名称"), max_length=200)
    description = limited_text(_("资源描述"), TEXT)
    domain = models.CharField(_("数据领域"), max_length=16, choices=DataDomain.choices)
    sources = models.JSONField(_("数据来源"), default=list)  # DataSource keys, at least one
    volume = models.DecimalField(_("数据规模"), max_digits=14, decimal_places=2)
    volume_unit = models.CharField(_("规模单位"), max_length=8, choices=VolumeUnit.choices)
    update_cycle = models.CharField(_("更新频率"), max_length=10, choices=UpdateCycle.choices)
    usage_rights = models.JSONField(_("权利类型"), default=list)  # UsageRight keys, at least one
    security_level = models.CharField(_("安全级别"), max_length=10, choices=SecurityLevel.choices)
    security_measures = limited_text(_("安全保护措施"), TEXT, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ResourceStatus.choices, default=ResourceStatus.APPLIED
    )
    code = models.CharField(_("登记编号"), max_length=32, null=True, blank=True, unique=True)
    notice_starts_on = models.DateField(_("公示开始"), null=True, blank=True)
    notice_ends_on = models.DateField(_("公示截止"), null=True, blank=True)
    coded_at = models.DateTimeField(_("赋码时间"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = DataResourceQuerySet.as_manager()

    class Meta:
        db_table = "registry_dataresource"  # moved from registry: the table kept its name
        ordering = ["-created_at", "-id"]
        verbose_name = _("数据资源")
        verbose_name_plural = _("数据资源")
        constraints = [
            length_check("security_measures", TEXT, "resource_security_measures_length"),
            length_check("description", TEXT, "resource_description_length"),
            models.CheckConstraint(
                condition=Q(status__in=ResourceStatus.values), **described("resource_status_valid")
            ),
            models.CheckConstraint(
                condition=Q(domain__in=DataDomain.values), **described("resource_domain_valid")
            ),
            models.CheckConstraint(
                condition=Q(security_level__in=SecurityLevel.values),
                **described("resource_level_valid"),
            ),
            models.CheckConstraint(
                condition=Q(volume__gt=0), **described("resource_volume_positive")
            ),
            models.CheckConstraint(
                condition=Q(security_level=SecurityLevel.GENERAL) | ~Q(security_measures=""),
                **described("resource_protected_level_has_measures"),
            ),
            # A code exactly when coded (kept after cancellation), with the time it was given.
            models.CheckConstraint(
                condition=Q(status__in=HAS_CODE, code__isnull=False, coded_at__isnull=False)
                | (~Q(status__in=HAS_CODE) & Q(code__isnull=True)),
                **described("resource_code_when_coded"),
            ),
            models.CheckConstraint(
                condition=~Q(status=ResourceStatus.NOTICED)
                | Q(notice_starts_on__isnull=False, notice_ends_on__isnull=False),
                **described("resource_notice_has_period"),
            ),
        ]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self):
        return self.name

    def get_sources_display(self) -> str:
        return "、".join(str(DataSource(s).label) for s in self.sources)

    def get_usage_rights_display(self) -> str:
        return "、".join(str(UsageRight(r).label) for r in self.usage_rights)


class RegistrationCodeSequence(models.Model):
    """The last sequence number given per region and year; its row is the lock that
    makes two codings in the same region-year take different numbers."""

    region_code = models.CharField(max_length=6)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "registry_registrationcodesequence"  # moved from registry, table kept
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "year"], **described("code_sequence_unique")
            )
        ]

    def __str__(self):
        return f"{self.region_code}-{self.year}: {self.last}"


class RevisionKind(models.TextChoices):
    CHANGE = "change", _("变更")
    CORRECTION = "correction", _("更正")
    CANCELLATION = "cancellation", _("注销")


class RevisionStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")


class DataResourceRevisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(resource__in=DataResource.objects.visible_to(user))

    def pending(self):
        return self.filter(status=RevisionStatus.PENDING)


class DataResourceRevision(models.Model):
    """The history of a coded resource: a change or correction (fields before and after)
    or a cancellation. An enterprise's proposal waits `pending` for staff; a staff
    correction or cancellation is approved as it is made."""

    resource = models.ForeignKey(DataResource, on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField(_("类型"), max_length=12, choices=RevisionKind.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=RevisionStatus.choices, default=RevisionStatus.PENDING
    )
    before = models.JSONField(_("变更前"), default=dict, blank=True)
    after = models.JSONField(_("变更后"), default=dict, blank=True)
    reason = limited_text(_("理由"), NOTE)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("提出时间"), default=timezone.now, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = limited_text(_("审核意见"), NOTE, blank=True)

    objects = DataResourceRevisionQuerySet.as_manager()

    class Meta:
        db_table = "registry_dataresourcerevision"  # moved from registry: the table kept its name
        ordering = ["-created_at", "-id"]
        verbose_name = _("数据资源变更记录")
        verbose_name_plural = _("数据资源变更记录")
        constraints = [
            length_check("decision_note", NOTE, "revision_decision_note_length"),
            length_check("reason", NOTE, "revision_reason_length"),
            # One open proposal at a time: a second would be decided against stale values.
            models.UniqueConstraint(
                fields=["resource"],
                condition=Q(status="pending"),
                **described("revision_one_pending_per_resource"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RevisionKind.values), **described("revision_kind_valid")
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                **described("revision_decided_has_time"),
            ),
        ]

    def __str__(self):
        return f"{self.resource} · {self.get_kind_display()}"

    def changes(self) -> list[tuple]:
        """(field label, before, after) in words, for the history table."""
        return [
            (_field_label(name), _display(name, self.before.get(name)),
             _display(name, self.after.get(name)))
            for name in self.after
        ]  # fmt: skip


LIST_CHOICES = {"sources": DataSource, "usage_rights": UsageRight}


def _field_label(name):
    try:
        return DataResource._meta.get_field(name).verbose_name
    except FieldDoesNotExist:  # e.g. "status" of a cancellation is not an edited field
        return _("状态") if name == "status" else name


def _display(name, value):
    if value in (None, "", []):
        return "—"
    if name in LIST_CHOICES:
        return "、".join(str(LIST_CHOICES[name](v).label) for v in value)
    if name == "status":
        return ResourceStatus(value).label
    field = DataResource._meta.get_field(name)
    return dict(field.flatchoices).get(value, value) if field.flatchoices else value
