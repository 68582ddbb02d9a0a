"""States and options of the annual selection, with their transition tables."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("申报中")
    FORMAL_REVIEW = "formal_review", _("形式审查")
    PANEL_REVIEW = "panel_review", _("专家评审")
    TIERING = "tiering", _("分级确定")
    NOTICE = "notice", _("公示中")
    CLOSED = "closed", _("已结束")


ROUND_TRANSITIONS = {
    RoundStatus.DRAFT: {RoundStatus.OPEN},
    RoundStatus.OPEN: {RoundStatus.FORMAL_REVIEW},
    RoundStatus.FORMAL_REVIEW: {RoundStatus.PANEL_REVIEW},
    RoundStatus.PANEL_REVIEW: {RoundStatus.TIERING},
    RoundStatus.TIERING: {RoundStatus.NOTICE},
    RoundStatus.NOTICE: {RoundStatus.CLOSED},
    RoundStatus.CLOSED: set(),
}


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("退回修改")
    RESUBMITTED = "resubmitted", _("已重新提交")
    ELIGIBLE = "eligible", _("形式审查通过")
    INELIGIBLE = "ineligible", _("形式审查未通过")
    UNDER_REVIEW = "under_review", _("专家评审中")
    SCORED = "scored", _("评审完成")
    PROPOSED = "proposed", _("拟定结果")
    CONFIRMED = "confirmed", _("结果已确认")
    ADMITTED = "admitted", _("已入库")
    NOT_SELECTED = "not_selected", _("未入选")
    WITHDRAWN = "withdrawn", _("已撤回")


S = ApplicationStatus
APPLICATION_TRANSITIONS = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.RETURNED, S.ELIGIBLE, S.INELIGIBLE, S.WITHDRAWN},
    S.RETURNED: {S.RESUBMITTED, S.WITHDRAWN},
    S.RESUBMITTED: {S.RETURNED, S.ELIGIBLE, S.INELIGIBLE, S.WITHDRAWN},
    S.ELIGIBLE: {S.UNDER_REVIEW, S.WITHDRAWN},
    S.INELIGIBLE: set(),
    S.UNDER_REVIEW: {S.SCORED, S.WITHDRAWN},
    S.SCORED: {S.PROPOSED, S.UNDER_REVIEW},  # back when staff withdraw a submitted sheet
    S.PROPOSED: {S.PROPOSED, S.CONFIRMED},  # a tiering rerun replaces the proposal
    S.CONFIRMED: {S.ADMITTED, S.NOT_SELECTED, S.WITHDRAWN},
    S.ADMITTED: set(),
    S.NOT_SELECTED: set(),
    S.WITHDRAWN: set(),
}
# What the enterprise may still edit.
EDITABLE_STATES = {S.DRAFT, S.RETURNED}
# Waiting for the bureau's formal review.
AWAITING_REVIEW_STATES = {S.SUBMITTED, S.RESUBMITTED}


class AggregationMethod(models.TextChoices):
    MEAN = "mean", _("算术平均")
    MEDIAN = "median", _("中位数")
    TRIMMED_MEAN = "trimmed_mean", _("去掉一个最高分和一个最低分后平均（不少于 5 个评分时）")


class AwardLevel(models.TextChoices):
    NONE = "none", _("无")
    MUNICIPAL = "municipal", _("市级")
    PROVINCIAL = "provincial", _("省级")
    NATIONAL = "national", _("国家级")


class ReviewOutcome(models.TextChoices):
    RETURNED = "returned", _("退回修改")
    ELIGIBLE = "eligible", _("通过")
    INELIGIBLE = "ineligible", _("不通过")


class AttachmentKind(models.TextChoices):
    BUSINESS_LICENCE = "business_licence", _("营业执照")
    IDENTITY = "identity", _("身份证明（法定代表人、经办人）")
    AUTHORISATION = "authorisation", _("授权委托书")
    FINANCIAL = "financial", _("财务报表或审计报告")
    IP = "ip", _("知识产权证明")
    OTHER = "other", _("其他材料")


# Documents whose purpose is to say who the applicant is: never served to the panel.
IDENTITY_ATTACHMENT_KINDS = {
    AttachmentKind.BUSINESS_LICENCE,
    AttachmentKind.IDENTITY,
    AttachmentKind.AUTHORISATION,
}
