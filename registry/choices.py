from django.db import models
from django.utils.translation import gettext_lazy as _


class Industry(models.TextChoices):
    """The five top-level classes of 数字经济及其核心产业统计分类（2021）."""

    DIGITAL_PRODUCT_MANUFACTURING = "01", _("数字产品制造业")
    DIGITAL_PRODUCT_SERVICES = "02", _("数字产品服务业")
    DIGITAL_TECH_APPLICATION = "03", _("数字技术应用业")
    DIGITAL_FACTOR_DRIVEN = "04", _("数字要素驱动业")
    DIGITAL_EFFICIENCY = "05", _("数字化效率提升业")


class InnovationCategory(models.TextChoices):
    """The policy's three drivers (分类)."""

    TECH = "tech", _("数字技术创新")
    SCENARIO = "scenario", _("应用场景创新")
    DATA = "data", _("数据价值创新")


class Tier(models.TextChoices):
    """The default ladder (分级), lowest first."""

    POTENTIAL = "potential", _("潜力型")
    GROWTH = "growth", _("成长型")
    LEADING = "leading", _("领军型")


class EntryStatus(models.TextChoices):
    """Whether an enterprise is still being cultivated (在库), or left the registry."""

    ACTIVE = "active", _("在库")
    EXITED = "exited", _("已退出")
    GRADUATED = "graduated", _("已毕业")


class RecordKind(models.TextChoices):
    """Facts staff enter from other registers that end cultivation (动态调整·退出)."""

    DEREGISTERED = "deregistered", _("注销或吊销")
    SERIOUS_VIOLATION = "serious_violation", _("严重违法违规")
    DISHONESTY = "dishonesty", _("失信记录")


class EnterpriseSize(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class ListingStatus(models.TextChoices):
    UNLISTED = "unlisted", _("未上市")
    NEEQ = "neeq", _("新三板挂牌")
    MAIN_BOARD = "main_board", _("沪深主板")
    STAR = "star", _("科创板")
    CHINEXT = "chinext", _("创业板")
    BSE = "bse", _("北交所")
    HKEX = "hkex", _("港交所")
    OVERSEAS = "overseas", _("境外上市")


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACTIVE = "active", _("已加入")
    REJECTED = "rejected", _("已拒绝")
    LEFT = "left", _("已退出")
    REMOVED = "removed", _("已移除")


# Allowed membership transitions: from-state -> to-states.
MEMBERSHIP_TRANSITIONS = {
    MembershipStatus.PENDING: {MembershipStatus.ACTIVE, MembershipStatus.REJECTED},
    MembershipStatus.ACTIVE: {MembershipStatus.LEFT, MembershipStatus.REMOVED},
    MembershipStatus.LEFT: set(),
    MembershipStatus.REMOVED: set(),
    MembershipStatus.REJECTED: set(),
}


class VerificationStatus(models.TextChoices):
    """Whether the jurisdiction's staff confirmed that the registrant is the enterprise."""

    UNVERIFIED = "unverified", _("未认证")
    SUBMITTED = "submitted", _("认证审核中")
    RETURNED = "returned", _("认证退回")
    RESUBMITTED = "resubmitted", _("认证重新提交")
    VERIFIED = "verified", _("已认证")


V = VerificationStatus
# Allowed verification transitions: from-state -> to-states.
VERIFICATION_TRANSITIONS = {
    V.UNVERIFIED: {V.SUBMITTED},
    V.SUBMITTED: {V.VERIFIED, V.RETURNED},
    V.RETURNED: {V.RESUBMITTED},
    V.RESUBMITTED: {V.VERIFIED, V.RETURNED},
    V.VERIFIED: set(),
}
AWAITING_VERIFICATION = (V.SUBMITTED, V.RESUBMITTED)
# States in which the members may still change the uploaded documents.
DOCUMENTS_EDITABLE = (V.UNVERIFIED, V.RETURNED)


class DocumentKind(models.TextChoices):
    LICENCE = "licence", _("营业执照")
    AUTHORISATION = "authorisation", _("授权委托书")


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("待接收")
    ACCEPTED = "accepted", _("已接收")
    REJECTED = "rejected", _("已拒绝")
    WITHDRAWN = "withdrawn", _("已撤回")


TRANSFER_TRANSITIONS = {
    TransferStatus.PENDING: {
        TransferStatus.ACCEPTED,
        TransferStatus.REJECTED,
        TransferStatus.WITHDRAWN,
    },
    TransferStatus.ACCEPTED: set(),
    TransferStatus.REJECTED: set(),
    TransferStatus.WITHDRAWN: set(),
}
