"""Kinds and states of the finance app, each state table beside its TextChoices."""

from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 16, "decimal_places": 2}
RATE = {"max_digits": 5, "decimal_places": 2}  # annual %, 3.85 = 3.85 %


class InstitutionKind(models.TextChoices):
    """The organisation kinds (accounts.OrganisationKind) that may be institutions."""

    BANK = "bank", _("银行")
    INVESTMENT = "investment", _("投资机构")
    GUARANTOR = "guarantor", _("融资担保机构")
    FUND = "fund", _("政府引导基金")


class InstitutionStatus(models.TextChoices):
    APPLIED = "applied", _("待审核")
    APPROVED = "approved", _("已批准")
    SUSPENDED = "suspended", _("已暂停")


INSTITUTION_TRANSITIONS = {
    InstitutionStatus.APPLIED: {InstitutionStatus.APPROVED},
    InstitutionStatus.APPROVED: {InstitutionStatus.SUSPENDED},
    InstitutionStatus.SUSPENDED: {InstitutionStatus.APPROVED},
}


class ProductKind(models.TextChoices):
    CREDIT = "credit", _("信用贷款")
    IP_PLEDGE = "ip_pledge", _("知识产权质押贷款")
    DATA_PLEDGE = "data_pledge", _("数据资产质押贷款")
    SUPPLY_CHAIN = "supply_chain", _("供应链贷款")
    EQUITY = "equity", _("股权投资")


DEBT_PRODUCTS = (
    ProductKind.CREDIT,
    ProductKind.IP_PLEDGE,
    ProductKind.DATA_PLEDGE,
    ProductKind.SUPPLY_CHAIN,
)


class Stage(models.TextChoices):
    SEED = "seed", _("种子轮")
    ANGEL = "angel", _("天使轮")
    A = "a", _("A 轮")
    B = "b", _("B 轮")
    C_PLUS = "c_plus", _("C 轮及以后")
    PRE_IPO = "pre_ipo", _("Pre-IPO")


class NeedKind(models.TextChoices):
    DEBT = "debt", _("债权融资")
    EQUITY = "equity", _("股权融资")
    EITHER = "either", _("均可")


class Audience(models.TextChoices):
    ALL = "all", _("所有已批准的金融机构")
    RECOMMENDED = "recommended", _("仅数据管理部门推荐的机构")
    NAMED = "named", _("指定的机构")


class NeedStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    IN_TALKS = "in_talks", _("洽谈中")
    CLOSED = "closed", _("已结束")


NEED_TRANSITIONS = {
    NeedStatus.DRAFT: {NeedStatus.PUBLISHED, NeedStatus.CLOSED},
    NeedStatus.PUBLISHED: {NeedStatus.IN_TALKS, NeedStatus.CLOSED},
    NeedStatus.IN_TALKS: {NeedStatus.CLOSED},
    NeedStatus.CLOSED: set(),
}
# Institutions see a need only once it is published.
SHARED_STATES = (NeedStatus.PUBLISHED, NeedStatus.IN_TALKS, NeedStatus.CLOSED)
OPEN_STATES = (NeedStatus.PUBLISHED, NeedStatus.IN_TALKS)


class Outcome(models.TextChoices):
    FINANCED = "financed", _("已获融资")
    NOT_FINANCED = "not_financed", _("未获融资")
    WITHDRAWN = "withdrawn", _("已撤回")


class ShareVia(models.TextChoices):
    NAMED = "named", _("企业指定")
    RECOMMENDATION = "recommendation", _("数据管理部门推荐")


class OfferStatus(models.TextChoices):
    MADE = "made", _("待企业答复")
    ACCEPTED = "accepted", _("企业已接受")
    DECLINED = "declined", _("企业已谢绝")
    WITHDRAWN = "withdrawn", _("机构已撤回")
    FUNDED = "funded", _("资金已到位")
    LAPSED = "lapsed", _("未能落地")


OFFER_TRANSITIONS = {
    OfferStatus.MADE: {OfferStatus.ACCEPTED, OfferStatus.DECLINED, OfferStatus.WITHDRAWN},
    OfferStatus.ACCEPTED: {OfferStatus.FUNDED, OfferStatus.LAPSED},
    OfferStatus.DECLINED: set(),
    OfferStatus.WITHDRAWN: set(),
    OfferStatus.FUNDED: set(),
    OfferStatus.LAPSED: set(),
}


class ListingStage(models.TextChoices):
    TUTORING = "tutoring", _("辅导")
    FILING = "filing", _("申报")
    ACCEPTED = "accepted", _("受理")
    REGISTERED = "registered", _("注册")
    LISTED = "listed", _("上市")


LISTING_TRANSITIONS = {
    ListingStage.TUTORING: {ListingStage.FILING},
    ListingStage.FILING: {ListingStage.ACCEPTED},
    ListingStage.ACCEPTED: {ListingStage.REGISTERED},
    ListingStage.REGISTERED: {ListingStage.LISTED},
    ListingStage.LISTED: set(),
}


class Grade(models.TextChoices):
    AAA = "AAA", "AAA"
    AA = "AA", "AA"
    A = "A", "A"
    BBB = "BBB", "BBB"
    BB = "BB", "BB"
    B = "B", "B"
    C = "C", "C"
