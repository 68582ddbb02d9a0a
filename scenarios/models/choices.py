"""States and kinds of the scenario app, each state table beside its TextChoices."""

from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 16, "decimal_places": 2}


class PublisherKind(models.TextChoices):
    GOVERNMENT = "government", _("政府部门")
    SOE = "soe", _("国有企业")
    LEADING = "leading", _("龙头企业")
    PLATFORM = "platform", _("平台企业")


class PublisherStatus(models.TextChoices):
    APPLIED = "applied", _("待审核")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


PUBLISHER_TRANSITIONS = {
    PublisherStatus.APPLIED: {PublisherStatus.APPROVED, PublisherStatus.REJECTED},
    # A refused publisher may apply again with corrected details.
    PublisherStatus.REJECTED: {PublisherStatus.APPLIED},
    PublisherStatus.APPROVED: set(),
}


class ScenarioKind(models.TextChoices):
    TECH_APPLICATION = "tech_application", _("技术应用新场景")
    SERVICE_SUPPORT = "service_support", _("服务支撑新场景")
    DATA_ENABLEMENT = "data_enablement", _("数据赋能新场景")


class ScenarioNature(models.TextChoices):
    SCENARIO = "scenario", _("应用场景")
    OPPORTUNITY = "opportunity", _("市场机会")


class DemandSide(models.TextChoices):
    GOVERNMENT = "government", _("政府需求")
    ENTERPRISE = "enterprise", _("企业需求")


class Benefit(models.TextChoices):
    TEST_BED = "test_bed", _("测试验证环境")
    DEMO_SITE = "demo_site", _("示范应用场地")
    FIRST_ORDER = "first_order", _("首单采购")
    DATA_ACCESS = "data_access", _("数据开放")
    COMPUTE = "compute", _("算力支持")


class ScenarioStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    PUBLISHED = "published", _("已发布")
    CLOSED = "closed", _("已截止")
    AWARDED = "awarded", _("已揭榜")
    CANCELLED = "cancelled", _("已取消")


SCENARIO_TRANSITIONS = {
    ScenarioStatus.DRAFT: {ScenarioStatus.SUBMITTED, ScenarioStatus.CANCELLED},
    # Staff publish it or return it for changes (back to draft, with the reason).
    ScenarioStatus.SUBMITTED: {
        ScenarioStatus.PUBLISHED,
        ScenarioStatus.DRAFT,
        ScenarioStatus.CANCELLED,
    },
    ScenarioStatus.PUBLISHED: {ScenarioStatus.CLOSED, ScenarioStatus.CANCELLED},
    ScenarioStatus.CLOSED: {ScenarioStatus.AWARDED, ScenarioStatus.CANCELLED},
    ScenarioStatus.AWARDED: set(),
    ScenarioStatus.CANCELLED: set(),
}
# What anyone (no login too) may see: a scenario once staff published it.
PUBLIC_SCENARIO_STATES = (ScenarioStatus.PUBLISHED, ScenarioStatus.CLOSED, ScenarioStatus.AWARDED)


class ResponseStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    SHORTLISTED = "shortlisted", _("入围")
    AWARDED = "awarded", _("已中选")
    NOT_AWARDED = "not_awarded", _("未中选")
    WITHDRAWN = "withdrawn", _("已撤回")


RESPONSE_TRANSITIONS = {
    ResponseStatus.SUBMITTED: {
        ResponseStatus.SHORTLISTED,
        ResponseStatus.AWARDED,
        ResponseStatus.NOT_AWARDED,
        ResponseStatus.WITHDRAWN,
    },
    ResponseStatus.SHORTLISTED: {
        ResponseStatus.SUBMITTED,
        ResponseStatus.AWARDED,
        ResponseStatus.NOT_AWARDED,
        ResponseStatus.WITHDRAWN,
    },
    ResponseStatus.AWARDED: set(),
    ResponseStatus.NOT_AWARDED: set(),
    ResponseStatus.WITHDRAWN: set(),
}
# Responses still in the running when the publisher awards.
OPEN_RESPONSE_STATES = (ResponseStatus.SUBMITTED, ResponseStatus.SHORTLISTED)


class AwardForm(models.TextChoices):
    PILOT = "pilot", _("试点")
    TEST = "test", _("测试验证")
    DEMONSTRATION = "demonstration", _("示范应用")
    PURCHASE = "purchase", _("采购")


class Outcome(models.TextChoices):
    CONTINUING = "continuing", _("进行中")
    SUCCEEDED = "succeeded", _("成功")
    FAILED = "failed", _("未成功")


class FirstPurchaseDecision(models.TextChoices):
    PENDING = "pending", _("待审核")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("不予确认")


FIRST_PURCHASE_TRANSITIONS = {
    FirstPurchaseDecision.PENDING: {
        FirstPurchaseDecision.CONFIRMED,
        FirstPurchaseDecision.REJECTED,
    },
    FirstPurchaseDecision.CONFIRMED: set(),
    FirstPurchaseDecision.REJECTED: set(),
}
