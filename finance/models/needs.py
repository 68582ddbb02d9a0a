"""Financing needs, who they are shared with (named or recommended), and the talks on them:
interest, the question thread, meetings and offers."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from config.constraint_messages import described
from config.text_limits import NOTE, TEXT, length_check, limited_text
from finance.models.choices import (
    MONEY,
    RATE,
    SHARED_STATES,
    Audience,
    InstitutionStatus,
    NeedKind,
    NeedStatus,
    OfferStatus,
    Outcome,
    ShareVia,
    Stage,
)
from finance.models.institutions import FinancialProduct, Institution, is_institution_user
from registry.models import Enterprise


class NeedQuerySet(models.QuerySet):
    def shared_with(self, institution_or_org_id, *, by_organisation=False):
        """Published (or later) needs an approved institution may see: every need open to
        all, and those named for it or recommended to it."""
        key = "institution__organisation_id" if by_organisation else "institution_id"
        shares = NeedShare.objects.filter(need=OuterRef("pk"), **{key: institution_or_org_id})
        return self.filter(status__in=SHARED_STATES).filter(
            Q(audience=Audience.ALL) | Exists(shares)
        )

    def visible_to(self, user):
        """The one definition of who sees which need: its enterprise's members, staff of
        the enterprise's jurisdiction, admins; an approved institution's users only the
        needs shared with it. Anything else is 404."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_bureau or user.is_enterprise:
            return self.filter(enterprise__in=Enterprise.objects.visible_to(user))
        if is_institution_user(user):
            approved = Institution.objects.filter(
                organisation_id=user.organisation_id, status=InstitutionStatus.APPROVED
            )
            if not approved.exists():
                return self.none()
            return self.shared_with(user.organisation_id, by_organisation=True)
        return self.none()


class FinancingNeed(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="financing_needs",
        verbose_name=_("企业"),
    )  # fmt: skip
    title = models.CharField(_("需求标题"), max_length=100)
    kind = models.CharField(_("融资方式"), max_length=8, choices=NeedKind.choices)
    amount = models.DecimalField(_("拟融资金额（元）"), **MONEY)
    purpose = limited_text(_("资金用途"), TEXT)
    term_months = models.PositiveSmallIntegerField(_("期限（月）"), null=True, blank=True)
    collateral = limited_text(_("可提供的抵质押物或知识产权"), NOTE, blank=True)
    has_ip = models.BooleanField(_("有可质押的知识产权"), default=False)
    has_data_assets = models.BooleanField(_("有已登记的数据资产"), default=False)
    needed_by = models.DateField(_("期望到位日期"))
    # The round an equity need raises: matched against equity products' stages.
    stage = models.CharField(
        _("融资轮次"), max_length=8, choices=Stage.choices, blank=True,
        help_text=_("股权融资时填写，用于匹配投资机构关注的阶段。"),
    )  # fmt: skip
    audience = models.CharField(
        _("可见范围"), max_length=12, choices=Audience.choices, default=Audience.ALL
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=NeedStatus.choices, default=NeedStatus.DRAFT
    )
    outcome = models.CharField(_("结果"), max_length=12, choices=Outcome.choices, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("融资需求")
        verbose_name_plural = _("融资需求")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), **described("finance_need_amount_positive")
            ),
            models.CheckConstraint(
                condition=Q(stage="") | Q(stage__in=Stage.values),
                **described("finance_need_stage_valid"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=NeedKind.values), **described("finance_need_kind_valid")
            ),
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values),
                **described("finance_need_audience_valid"),
            ),
            models.CheckConstraint(
                condition=Q(term_months__isnull=True) | Q(term_months__gt=0),
                **described("finance_need_term_positive"),
            ),
            # A closed need says how it ended; an open one has no outcome yet.
            models.CheckConstraint(
                condition=Q(status=NeedStatus.CLOSED, outcome__in=Outcome.values)
                | (Q(status__in=[s for s in NeedStatus.values if s != "closed"]) & Q(outcome="")),
                **described("finance_need_outcome_iff_closed"),
            ),
            length_check("purpose", TEXT, "finance_need_purpose_length"),
            length_check("collateral", NOTE, "finance_need_collateral_length"),
        ]
        indexes = [models.Index(fields=["status", "audience"])]

    def __str__(self):
        return self.title


class Recommendation(models.Model):
    """A batch of needs staff recommend to institutions, with a note (推荐优质项目)."""

    jurisdiction = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    note = limited_text(_("推荐说明"), NOTE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("推荐批次")
        verbose_name_plural = _("推荐批次")
        constraints = [length_check("note", NOTE, "finance_recommendation_note_length")]

    def __str__(self):
        return f"{self.jurisdiction} · {self.created_at:%Y-%m-%d}"


class NeedShare(models.Model):
    """A need shown to one institution: named by the enterprise or recommended by staff."""

    need = models.ForeignKey(FinancingNeed, on_delete=models.CASCADE, related_name="shares")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="shares")
    via = models.CharField(_("来源"), max_length=16, choices=ShareVia.choices)
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, null=True, blank=True, related_name="shares"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "institution", "via"], **described("finance_need_share_once")
            ),
            models.CheckConstraint(
                condition=Q(via=ShareVia.NAMED, recommendation__isnull=True)
                | Q(via=ShareVia.RECOMMENDATION, recommendation__isnull=False),
                **described("finance_need_share_via_matches"),
            ),
        ]

    def __str__(self):
        return f"{self.need} → {self.institution}"


class EnterpriseShareQuerySet(models.QuerySet):
    def of_user(self, user):
        """The shares of the approved institution the user acts for (none for others)."""
        if not is_institution_user(user):
            return self.none()
        return self.filter(
            institution__organisation_id=user.organisation_id,
            institution__status=InstitutionStatus.APPROVED,
        )


class EnterpriseShare(models.Model):
    """An enterprise staff recommended to one institution (not a need): the institution
    sees its profile summary and its credit score with the factors."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="enterprise_shares"
    )
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="enterprise_shares"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = EnterpriseShareQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "institution"],
                **described("finance_enterprise_share_once"),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} → {self.institution}"


class TalkQuerySet(models.QuerySet):
    """Rows of one institution's talks on a need: the institution sees its own, the
    enterprise and staff every institution's on the needs they see."""

    def visible_to(self, user):
        needs = FinancingNeed.objects.visible_to(user)
        rows = self.filter(need__in=needs)
        if is_institution_user(user) and not user.is_admin:
            rows = rows.filter(institution__organisation_id=user.organisation_id)
        return rows


class Interest(models.Model):
    need = models.ForeignKey(FinancingNeed, on_delete=models.CASCADE, related_name="interests")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TalkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "institution"], **described("finance_interest_once_per_institution")
            )
        ]

    def __str__(self):
        return f"{self.institution} · {self.need}"


class Message(models.Model):
    """One post in the question thread between a need's enterprise and one institution."""

    need = models.ForeignKey(FinancingNeed, on_delete=models.CASCADE, related_name="messages")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_enterprise = models.BooleanField(default=False)
    body = limited_text(_("内容"), NOTE)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TalkQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [length_check("body", NOTE, "finance_message_body_length")]

    def __str__(self):
        return f"{self.need} · {self.created_at:%Y-%m-%d %H:%M}"


class Meeting(models.Model):
    need = models.ForeignKey(FinancingNeed, on_delete=models.CASCADE, related_name="meetings")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    met_on = models.DateField(_("会谈日期"))
    notes = limited_text(_("会谈纪要"), TEXT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TalkQuerySet.as_manager()

    class Meta:
        ordering = ["-met_on", "-id"]
        constraints = [length_check("notes", TEXT, "finance_meeting_notes_length")]

    def __str__(self):
        return f"{self.institution} · {self.met_on}"


class Offer(models.Model):
    """An institution's offer: amount, and an annual rate (a loan) or a valuation (equity),
    and a term. The enterprise accepts or declines; at most one accepted offer per need."""

    need = models.ForeignKey(FinancingNeed, on_delete=models.CASCADE, related_name="offers")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="offers")
    product = models.ForeignKey(
        FinancialProduct, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("产品"),
    )  # fmt: skip
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    rate = models.DecimalField(_("年利率（%）"), null=True, blank=True, **RATE)
    valuation = models.DecimalField(_("投前估值（元）"), null=True, blank=True, **MONEY)
    term_months = models.PositiveSmallIntegerField(_("期限（月）"), null=True, blank=True)
    note = limited_text(_("说明"), NOTE, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.MADE
    )
    funded_amount = models.DecimalField(_("到位金额（元）"), null=True, blank=True, **MONEY)
    funded_on = models.DateField(_("到位日期"), null=True, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TalkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("融资方案")
        verbose_name_plural = _("融资方案")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), **described("finance_offer_amount_positive")
            ),
            models.CheckConstraint(
                condition=Q(rate__isnull=True) | (Q(rate__gte=0) & Q(rate__lte=36)),
                **described("finance_offer_rate_range"),
            ),
            models.CheckConstraint(
                condition=Q(valuation__isnull=True) | Q(valuation__gt=0),
                **described("finance_offer_valuation_positive"),
            ),
            models.CheckConstraint(
                condition=Q(rate__isnull=False) | Q(valuation__isnull=False),
                **described("finance_offer_rate_or_valuation"),
            ),
            models.CheckConstraint(
                condition=Q(term_months__isnull=True) | Q(term_months__gt=0),
                **described("finance_offer_term_positive"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=OfferStatus.values),
                **described("finance_offer_status_valid"),
            ),
            models.CheckConstraint(
                condition=Q(status=OfferStatus.FUNDED, funded_amount__gt=0, funded_on__isnull=False)
                | (
                    ~Q(status=OfferStatus.FUNDED)
                    & Q(funded_amount__isnull=True, funded_on__isnull=True)
                ),
                **described("finance_offer_funded_iff_amount"),
            ),
            models.UniqueConstraint(
                fields=["need"],
                condition=Q(status__in=[OfferStatus.ACCEPTED, OfferStatus.FUNDED]),
                **described("finance_offer_one_accepted_per_need"),
            ),
            length_check("note", NOTE, "finance_offer_note_length"),
        ]

    def __str__(self):
        return f"{self.institution} · {self.amount}"
