"""Responses (揭榜方案), the question thread per response, awards, first purchases
(首购首用) and the catalogue of innovative products (创新产品推荐目录)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.constraint_messages import described
from config.text_limits import NOTE, TEXT, length_check, limited_text
from registry.models import Enterprise
from scenarios.models.choices import (
    MONEY,
    AwardForm,
    FirstPurchaseDecision,
    Outcome,
    ResponseStatus,
)
from scenarios.models.publishers import Publisher, is_publisher_user
from scenarios.models.scenarios import Scenario


class ResponseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only the responding enterprise's members, the publisher's users and staff of
        the scenario's jurisdiction (and above), and admins. Anyone else: none."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_bureau:
            return self.filter(
                scenario__scenario_list__jurisdiction__path__startswith=user.region.path
            )
        if is_publisher_user(user):
            return self.filter(
                scenario__scenario_list__publisher__organisation_id=user.organisation_id
            )
        if user.is_enterprise:
            return self.filter(enterprise__in=Enterprise.objects.visible_to(user))
        return self.none()


class Response(models.Model):
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="responses")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="scenario_responses"
    )
    summary = limited_text(_("方案摘要"), NOTE)
    approach = limited_text(_("技术路线与实施方案"), TEXT)
    price = models.DecimalField(_("报价（元）"), **MONEY)
    timeline = limited_text(_("实施周期"), NOTE)
    references = limited_text(_("相关案例"), NOTE, blank=True)
    attachment = models.FileField(_("附件"), upload_to="scenario-responses/%Y/", blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=ResponseStatus.choices, default=ResponseStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("揭榜响应")
        verbose_name_plural = _("揭榜响应")
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "enterprise"],
                **described("scenario_response_one_per_enterprise"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ResponseStatus.values),
                **described("scenario_response_status_valid"),
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0), **described("scenario_response_price_non_negative")
            ),
            length_check("summary", NOTE, "scenario_response_summary_length"),
            length_check("approach", TEXT, "scenario_response_approach_length"),
            length_check("timeline", NOTE, "scenario_response_timeline_length"),
            length_check("references", NOTE, "scenario_response_references_length"),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.scenario}"


class ResponseMessageQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(response__in=Response.objects.visible_to(user))


class ResponseMessage(models.Model):
    """One message of the question thread between the publisher and the enterprise."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = limited_text(_("内容"), NOTE)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ResponseMessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("问答")
        verbose_name_plural = _("问答")
        constraints = [length_check("body", NOTE, "scenario_response_message_body_length")]

    def __str__(self):
        return f"{self.response_id} · {self.created_at:%Y-%m-%d %H:%M}"


class AwardQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(response__in=Response.objects.visible_to(user))


class Award(models.Model):
    response = models.OneToOneField(Response, on_delete=models.PROTECT, related_name="award")
    form = models.CharField(_("揭榜形式"), max_length=16, choices=AwardForm.choices)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    # A purchase of the enterprise's new product or service (首购首用).
    product_name = models.CharField(_("产品或服务名称"), max_length=200, blank=True)
    new_product = models.BooleanField(_("首次采购的创新产品"), default=False)
    outcome = models.CharField(_("实施结果"), max_length=12, choices=Outcome.choices,
                               default=Outcome.CONTINUING)  # fmt: skip
    progress = limited_text(_("进展说明"), NOTE, blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    awarded_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AwardQuerySet.as_manager()

    class Meta:
        ordering = ["-awarded_at", "-id"]
        verbose_name = _("揭榜结果")
        verbose_name_plural = _("揭榜结果")
        constraints = [
            models.CheckConstraint(
                condition=Q(form__in=AwardForm.values), **described("scenario_award_form_valid")
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values),
                **described("scenario_award_outcome_valid"),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), **described("scenario_award_amount_non_negative")
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), **described("scenario_award_dates")
            ),
            models.CheckConstraint(
                condition=Q(new_product=False) | (Q(form=AwardForm.PURCHASE) & ~Q(product_name="")),
                **described("scenario_award_new_product_is_purchase"),
            ),
            length_check("progress", NOTE, "scenario_award_progress_length"),
        ]

    def __str__(self):
        return f"{self.response} · {self.get_form_display()}"


class FirstPurchaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(award__in=Award.objects.visible_to(user))

    def eligible(self):
        return self.filter(eligible=True)


class FirstPurchase(models.Model):
    """A purchase award of a 数创企业's new product, checked against the subsidy rule."""

    award = models.OneToOneField(Award, on_delete=models.PROTECT, related_name="first_purchase")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    buyer = models.ForeignKey(Publisher, on_delete=models.PROTECT, related_name="+")
    product_name = models.CharField(_("产品或服务名称"), max_length=200)
    amount = models.DecimalField(_("合同金额（元）"), **MONEY)
    purchased_on = models.DateField(_("采购日期"))
    # The rule it was checked against, as it stood: {"ratio": "0.10", "cap": "300000.00"}.
    rule = models.JSONField(default=dict)
    eligible = models.BooleanField(_("符合首购补贴条件"), default=False)
    # Why, as data: [{"rule", "field", "op", "expected", "actual", "held"}].
    explanation = models.JSONField(default=list)
    subsidy = models.DecimalField(_("补贴金额（元）"), default=0, **MONEY)
    decision = models.CharField(_("审核结果"), max_length=10, choices=FirstPurchaseDecision.choices,
                                default=FirstPurchaseDecision.PENDING)  # fmt: skip
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FirstPurchaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("首购首用记录")
        verbose_name_plural = _("首购首用记录")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=FirstPurchaseDecision.values),
                **described("first_purchase_decision_valid"),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(subsidy__gte=0) & Q(subsidy__lte=F("amount")),
                **described("first_purchase_subsidy_within_amount"),
            ),
            models.CheckConstraint(
                condition=Q(eligible=True) | Q(subsidy=0),
                **described("first_purchase_subsidy_only_if_eligible"),
            ),
        ]

    def __str__(self):
        return f"{self.product_name} · {self.enterprise}"


class CatalogueEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Everyone signed in: publishers browse it to buy; the enterprises see theirs."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.all()


class CatalogueEntry(models.Model):
    """创新产品推荐目录: a product bought for the first time through a scenario."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    product_name = models.CharField(_("产品或服务名称"), max_length=200)
    first_purchase = models.OneToOneField(
        FirstPurchase, on_delete=models.PROTECT, related_name="catalogue_entry"
    )
    listed_at = models.DateTimeField(_("入选时间"), default=timezone.now, editable=False)

    objects = CatalogueEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-listed_at", "-id"]
        verbose_name = _("创新产品推荐目录")
        verbose_name_plural = _("创新产品推荐目录")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "product_name"], **described("catalogue_entry_unique")
            ),
        ]

    def __str__(self):
        return self.product_name
