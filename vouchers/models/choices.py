"""States and kinds of the voucher app, each state table beside its TextChoices."""

from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 16, "decimal_places": 2}
RATIO = {"max_digits": 5, "decimal_places": 4}  # 0.2000 = 20 %


class VoucherKind(models.TextChoices):
    DATA = "data", _("数据券")
    ALGORITHM = "algorithm", _("算法券（模型券）")
    COMPUTE = "compute", _("算力券")


class RedemptionMode(models.TextChoices):
    # The enterprise pays the provider the net price; the provider claims the subsidy.
    DISCOUNT = "discount", _("抵扣（服务商申领）")
    # The enterprise pays in full and claims the subsidy itself.
    REIMBURSE = "reimburse", _("报销（企业申领）")


class ValidityUnit(models.TextChoices):
    DAY = "day", _("天")
    MONTH = "month", _("个月")


class HubNode(models.TextChoices):
    """The eight national hub nodes of 东数西算."""

    JING_JIN_JI = "jingjinji", _("京津冀")
    YANGTZE_DELTA = "yangtze", _("长三角")
    GREATER_BAY = "greater_bay", _("粤港澳大湾区")
    CHENG_YU = "chengyu", _("成渝")
    INNER_MONGOLIA = "inner_mongolia", _("内蒙古")
    GUIZHOU = "guizhou", _("贵州")
    GANSU = "gansu", _("甘肃")
    NINGXIA = "ningxia", _("宁夏")


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    CLOSED = "closed", _("已关闭")
    WITHDRAWN = "withdrawn", _("已撤回")


PROGRAM_TRANSITIONS = {
    ProgramStatus.DRAFT: {ProgramStatus.PUBLISHED, ProgramStatus.WITHDRAWN},
    ProgramStatus.PUBLISHED: {ProgramStatus.CLOSED, ProgramStatus.WITHDRAWN},
    ProgramStatus.CLOSED: set(),
    ProgramStatus.WITHDRAWN: set(),
}


class MembershipStatus(models.TextChoices):
    APPLIED = "applied", _("申请加入")
    APPROVED = "approved", _("已入围")
    SUSPENDED = "suspended", _("已暂停")
    REMOVED = "removed", _("已移出")


MEMBERSHIP_TRANSITIONS = {
    MembershipStatus.APPLIED: {MembershipStatus.APPROVED, MembershipStatus.REMOVED},
    MembershipStatus.APPROVED: {MembershipStatus.SUSPENDED, MembershipStatus.REMOVED},
    MembershipStatus.SUSPENDED: {MembershipStatus.APPROVED, MembershipStatus.REMOVED},
    MembershipStatus.REMOVED: set(),
}


class RelationKind(models.TextChoices):
    SHAREHOLDING = "shareholding", _("持股关系")
    GROUP = "group", _("同一集团")


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("已申请")
    APPROVED = "approved", _("已批准（已发券）")
    RETURNED = "returned", _("退回修改")
    REJECTED = "rejected", _("不予批准")
    WITHDRAWN = "withdrawn", _("已撤回")


APPLICATION_TRANSITIONS = {
    ApplicationStatus.APPLIED: {
        ApplicationStatus.APPROVED,
        ApplicationStatus.RETURNED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
    },
    ApplicationStatus.RETURNED: {ApplicationStatus.APPLIED, ApplicationStatus.WITHDRAWN},
    ApplicationStatus.APPROVED: set(),
    ApplicationStatus.REJECTED: set(),
    ApplicationStatus.WITHDRAWN: set(),
}
# An application in these states holds its contract number (no second use anywhere).
CONTRACT_HOLDING_STATES = (
    ApplicationStatus.APPLIED,
    ApplicationStatus.APPROVED,
    ApplicationStatus.RETURNED,
)


class VoucherStatus(models.TextChoices):
    ISSUED = "issued", _("已发放")
    PARTLY_REDEEMED = "partly_redeemed", _("部分使用")
    REDEEMED = "redeemed", _("已用完")
    SETTLED = "settled", _("已结算")
    EXPIRED = "expired", _("已过期")
    CANCELLED = "cancelled", _("已作废")


# A voucher in these states can still be claimed against.
OPEN_VOUCHER_STATES = (VoucherStatus.ISSUED, VoucherStatus.PARTLY_REDEEMED)
VOUCHER_TRANSITIONS = {
    VoucherStatus.ISSUED: {
        VoucherStatus.PARTLY_REDEEMED,
        VoucherStatus.REDEEMED,
        VoucherStatus.EXPIRED,
        VoucherStatus.CANCELLED,
    },
    VoucherStatus.PARTLY_REDEEMED: {
        VoucherStatus.ISSUED,
        VoucherStatus.REDEEMED,
        VoucherStatus.EXPIRED,
        VoucherStatus.CANCELLED,
    },
    # A rejected claim gives its amount back to the voucher.
    VoucherStatus.REDEEMED: {
        VoucherStatus.ISSUED,
        VoucherStatus.PARTLY_REDEEMED,
        VoucherStatus.SETTLED,
    },
    VoucherStatus.SETTLED: set(),
    VoucherStatus.EXPIRED: set(),
    VoucherStatus.CANCELLED: set(),
}


class ClaimStatus(models.TextChoices):
    FILED = "filed", _("已提交")
    CONFIRMED = "confirmed", _("对方已确认")
    VERIFIED = "verified", _("已审核")
    SETTLED = "settled", _("已结算")
    RETURNED = "returned", _("退回修改")
    REJECTED = "rejected", _("不予结算")


CLAIM_TRANSITIONS = {
    ClaimStatus.FILED: {ClaimStatus.CONFIRMED, ClaimStatus.RETURNED, ClaimStatus.REJECTED},
    ClaimStatus.CONFIRMED: {ClaimStatus.VERIFIED, ClaimStatus.RETURNED, ClaimStatus.REJECTED},
    ClaimStatus.VERIFIED: {ClaimStatus.SETTLED, ClaimStatus.REJECTED},
    ClaimStatus.RETURNED: {ClaimStatus.FILED, ClaimStatus.REJECTED},
    ClaimStatus.SETTLED: set(),
    ClaimStatus.REJECTED: set(),
}
# A claim in these states holds its amount on the voucher.
HOLDING_CLAIM_STATES = (
    ClaimStatus.FILED,
    ClaimStatus.CONFIRMED,
    ClaimStatus.VERIFIED,
    ClaimStatus.RETURNED,
    ClaimStatus.SETTLED,
)
# Settlement still to do: the working-day deadline runs.
AWAITING_SETTLEMENT = (ClaimStatus.CONFIRMED, ClaimStatus.VERIFIED)


class Claimant(models.TextChoices):
    PROVIDER = "provider", _("服务商")
    ENTERPRISE = "enterprise", _("企业")


class LedgerKind(models.TextChoices):
    RESERVE = "reserve", _("预留")
    RELEASE = "release", _("释放")
    SPEND = "spend", _("支出")
