"""Every database constraint of the project, in words a person understands.

One entry per CheckConstraint / UniqueConstraint name (tests/test_constraint_messages.py
fails when a constraint has none): the sentence (zh-hans msgid, translated in the .po)
and the form field(s) it belongs to. Models pass the sentence as the constraint's
`violation_error_message` and the name as its `violation_error_code`, so ModelForm
validation shows it next to the field (config.forms.ConstraintMessagesMixin); the safety
net (`describe_violation`) turns an IntegrityError or a default "constraint … is
violated" ValidationError that still reaches a view or the API into the same sentence.

Config never imports an app: entries are keyed by name and fields are plain strings.
"""

import re
from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from config.text_limits import ESSAY, NOTE, TEXT


@dataclass(frozen=True)
class ConstraintMessage:
    message: str
    # The form field(s) the sentence belongs to; empty = the whole form.
    fields: tuple[str, ...] = ()
    # Every field listed must be ≥ 0: the sentence goes beside each negative one.
    non_negative: bool = False


def _m(message, *fields, non_negative=False) -> ConstraintMessage:
    return ConstraintMessage(message, tuple(fields), non_negative)


def _length(label, field, limit) -> ConstraintMessage:
    """A free-text field's length limit (config.text_limits), beside the field."""
    return _m(format_lazy(_("{label}不能超过 {n} 个字。"), label=label, n=limit), field)


_STATUS = _("状态无效，请刷新页面后重试。")
_TIER = _("请选择有效的层级。")
_CATEGORY = _("请选择有效的创新类别。")
_PROGRESS = _("任务进度不能超过任务总数。")
# Plausible bounds (issue #8); the figures behind them are in registry/bounds.py.
CONTACT_PHONE_MESSAGE = _("联系电话应为 11 位手机号码，或带区号的固定电话（如 010-62345678）。")
FOUNDED_MESSAGE = _("成立日期应在 1949 年 10 月 1 日至今天之间。")
EMPLOYEES_MESSAGE = _("从业人员数应在 0 至 200 万人之间。")
COUNTS_MESSAGE = _("研发人员、专利、软件著作权等数量应在 0 至 100 万之间。")
AMOUNTS_MESSAGE = _("金额不能超过 10 万亿元（净利润不能低于负 10 万亿元）。")
RD_MESSAGE = _("研发费用不能超过营业收入的 10 倍；营业收入很少或为 0 时，不能超过 5000 万元。")
DEBT_RATIO_MESSAGE = _("资产负债率应在 0 至 1000 之间（单位为百分比）。")
DEBT_REASON_MESSAGE = _("资产负债率超过 100（单位为百分比，即资不抵债）时，请填写说明。")

CONSTRAINT_MESSAGES: dict[str, ConstraintMessage] = {
    # accounts
    "region_code_six_digits": _m(_("行政区划代码应为 6 位数字。"), "code"),
    "region_only_root_has_no_parent": _m(
        _("只有全国可以没有上级行政区划，其他行政区划必须指定上级。"), "parent"
    ),
    "organisation_unique_name_kind": _m(_("同一类型中已有同名单位。"), "name"),
    "user_bureau_has_region": _m(_("数据管理部门的账户必须指定所辖行政区划。"), "region"),
    "apitoken_digest_is_sha256": _m(_("令牌只以摘要保存，摘要格式不正确。"), "digest"),
    "user_phone_is_mainland_mobile": _m(_("手机号应为 11 位中国大陆手机号码。"), "phone"),
    # registry: enterprises and the registry
    "enterprise_uscc_alphabet": _m(
        _("统一社会信用代码应为 18 位，只含数字和大写字母（不含 I、O、Z、S、V）。"), "uscc"
    ),
    "enterprise_industry_valid": _m(_("请选择有效的所属行业。"), "industry"),
    "enterprise_category_valid": _m(_CATEGORY, "category"),
    "enterprise_size_valid": _m(_("请选择有效的企业规模。"), "size"),
    "enterprise_verification_status_valid": _m(_STATUS, "verification_status"),
    "enterprise_document_one_per_kind": _m(_("每类认证材料只保留一份，请重新上传以替换。"), "kind"),
    "enterprise_document_kind_valid": _m(_("请选择有效的材料类型。"), "kind"),
    "transfer_status_valid": _m(_STATUS, "status"),
    "transfer_one_pending_per_enterprise": _m(
        _("该企业已有一项待处理的辖区迁移申请，请等待其处理完毕。"), "to_region"
    ),
    "membership_unique": _m(_("该账户已申请或加入过这家企业。"), "user"),
    "membership_one_open_per_user": _m(_("一个账户同一时间只能申请加入或代表一家企业。"), "user"),
    "membership_status_valid": _m(_STATUS, "status"),
    "membership_admin_is_active": _m(_("只有已加入的成员才能担任企业管理员。"), "is_admin"),
    "registry_tier_valid": _m(_TIER, "tier"),
    "registry_category_valid": _m(_CATEGORY, "category"),
    "registry_status_valid": _m(_STATUS, "status"),
    "registry_left_on_iff_left": _m(
        _("出库或毕业的企业必须有出库日期，在库企业不能有出库日期。"), "left_on"
    ),
    "enterprise_record_kind_valid": _m(_("请选择有效的记录类型。"), "kind"),
    "enterprise_founded_since_1949": _m(FOUNDED_MESSAGE, "founded_on"),
    "enterprise_contact_phone_valid": _m(CONTACT_PHONE_MESSAGE, "contact_phone"),
    "enterprise_description_length": _length(_("企业简介"), "description", TEXT),
    "enterprise_record_note_length": _length(_("说明"), "note", NOTE),
    # registry: monitoring
    "report_one_per_year": _m(_("该企业这一年度的年度报告已经存在。"), "year"),
    "report_status_valid": _m(_STATUS, "status"),
    "report_amounts_not_negative": _m(
        _("金额不能为负数。"),
        "revenue",
        "main_business_revenue",
        "rd_expense",
        "financing_this_year",
        "cumulative_financing",
        "overseas_revenue",
        non_negative=True,
    ),
    "report_rd_staff_within_employees": _m(_("研发人员数不能超过从业人员数。"), "rd_staff"),
    "report_main_business_within_revenue": _m(
        _("主营业务收入不能超过营业收入。"), "main_business_revenue"
    ),
    "report_submitted_has_time": _m(_("已提交的年度报告必须有提交时间。"), "submitted_at"),
    "report_employees_bounded": _m(EMPLOYEES_MESSAGE, "employees"),
    "report_counts_bounded": _m(
        COUNTS_MESSAGE,
        "rd_staff",
        "invention_patents",
        "software_copyrights",
        "data_resources_registered",
        "compliance_incidents",
    ),
    "report_amounts_bounded": _m(
        AMOUNTS_MESSAGE,
        "revenue",
        "main_business_revenue",
        "net_profit",
        "rd_expense",
        "financing_this_year",
        "cumulative_financing",
        "valuation",
        "overseas_revenue",
    ),
    "report_rd_within_revenue": _m(RD_MESSAGE, "rd_expense"),
    "report_return_reason_length": _length(_("退回原因"), "reason", NOTE),
    "service_follow_up_after_service": _m(_("跟进日期不能早于服务日期。"), "follow_up_on"),
    "service_notes_length": _length(_("服务内容"), "notes", TEXT),
    "label_held_once": _m(_("该企业已持有这一成长标签。"), "label"),
    "label_valid": _m(_("请选择有效的成长标签。"), "label"),
    "report_reminder_once": _m(_("这一年度的这条提醒已经发送过。")),
    # registry: policies (惠企政策)
    "policy_validity_ordered": _m(_("有效期截止日期不能早于开始日期。"), "valid_until"),
    "policy_status_valid": _m(_STATUS, "status"),
    "policy_kind_valid": _m(_("请选择有效的政策类型。"), "kind"),
    "policy_mode_valid": _m(_("请选择有效的兑现方式。"), "mode"),
    "policy_amount_not_negative": _m(
        _("支持金额不能为负数。"), "benefit_amount", non_negative=True
    ),
    "policy_published_has_time": _m(_("已发布的政策必须有发布时间。"), "published_at"),
    "grant_one_per_policy": _m(_("该企业已在这项政策的享受名单中。"), "enterprise"),
    "grant_status_valid": _m(_STATUS, "status"),
    "grant_notified_has_deadline": _m(
        _("已通知企业的政策享受必须有通知时间和确认截止日期。"), "due_on"
    ),
    "grant_declined_has_reason": _m(_("放弃享受政策时请填写原因。"), "decline_reason"),
    "grant_delivered_has_time": _m(_("已兑现的政策享受必须有兑现时间。"), "delivered_at"),
    "policy_one_active_match_run": _m(_("这项政策已有一个匹配任务在运行，请等待其完成。")),
    "policy_match_progress_bounded": _m(_PROGRESS),
    "policy_benefit_length": _length(_("政策内容"), "benefit", TEXT),
    # registry: data resources (数据资源登记)
    "resource_status_valid": _m(_STATUS, "status"),
    "resource_domain_valid": _m(_("请选择有效的数据领域。"), "domain"),
    "resource_level_valid": _m(_("请选择有效的安全级别。"), "security_level"),
    "resource_volume_positive": _m(_("数据量应大于 0。"), "volume"),
    "resource_protected_level_has_measures": _m(
        _("重要数据和核心数据必须填写安全保护措施。"), "security_measures"
    ),
    "resource_code_when_coded": _m(
        _("只有已赋码（或赋码后注销）的数据资源才有登记编码和赋码时间，且二者缺一不可。"),
        "code",
    ),
    "resource_notice_has_period": _m(
        _("公示中的数据资源必须有公示开始和结束日期。"), "notice_ends_on"
    ),
    "code_sequence_unique": _m(_("该地区这一年度的登记编码序列已经存在。")),
    "revision_one_pending_per_resource": _m(_("该数据资源已有一项待处理的变更申请。")),
    "revision_kind_valid": _m(_("请选择有效的变更类型。"), "kind"),
    "revision_decided_has_time": _m(_("已处理的变更申请必须有处理时间，待处理的不能有。")),
    "resource_description_length": _length(_("资源描述"), "description", TEXT),
    "resource_security_measures_length": _length(_("安全保护措施"), "security_measures", TEXT),
    "revision_reason_length": _length(_("理由"), "reason", NOTE),
    "revision_decision_note_length": _length(_("审核意见"), "decision_note", NOTE),
    # selection: dynamic adjustment (动态调整)
    "adjustment_one_active_run_per_region": _m(
        _("该辖区已有一个动态调整任务在运行，请等待其完成。")
    ),
    "adjustment_progress_bounded": _m(_PROGRESS),
    "adjustment_one_rules_proposal_per_year": _m(_("该企业这一年度已有一条按规则生成的调整建议。")),
    "adjustment_one_open_request": _m(_("该企业已有一项待处理的调整申请。")),
    "adjustment_kind_valid": _m(_("请选择有效的调整类型。"), "kind"),
    "adjustment_status_valid": _m(_STATUS, "status"),
    "adjustment_tier_matches_kind": _m(
        _("升级或降级须指定目标层级；出库或毕业不能指定层级。"), "to_tier"
    ),
    "adjustment_effective_has_outcome": _m(
        _("确认或修改后的调整建议必须有最终结论和决定时间。"), "final_kind"
    ),
    "appeal_decision_has_reply": _m(_("处理申诉时请填写答复。"), "reply"),
    "appeal_status_valid": _m(_STATUS, "status"),
    "appeal_reason_length": _length(_("申诉理由"), "reason", TEXT),
    "appeal_reply_length": _length(_("处理意见"), "reply", TEXT),
    # vouchers (数据券、算法券、算力券)
    "voucher_program_description_length": _length(_("计划说明"), "description", TEXT),
    "voucher_program_kind_valid": _m(_("请选择有效的券种。"), "kind"),
    "voucher_program_status_valid": _m(_STATUS, "status"),
    "voucher_program_mode_valid": _m(_("请选择有效的兑付方式。"), "redemption_mode"),
    "voucher_program_validity_unit_valid": _m(_("请选择有效的有效期单位。"), "validity_unit"),
    "voucher_program_budget_positive": _m(_("总预算应大于 0。"), "budget"),
    "voucher_program_ratio_range": _m(
        _("补贴比例应大于 0 且不超过 1（如 0.2 即 20%）。"), "subsidy_ratio"
    ),
    "voucher_program_startup_pair": _m(
        _(
            "初创企业补贴比例与成立年限须同时填写或同时留空；"
            "比例应大于 0 且不超过 1，年限应大于 0。"
        ),
        "startup_ratio",
    ),
    "voucher_program_caps_positive": _m(
        _("每家企业每年上限与单份合同上限都应大于 0。"), "annual_cap"
    ),
    "voucher_program_window_ordered": _m(_("申请截止日期不能早于申请开始日期。"), "closes_on"),
    "voucher_program_validity_positive": _m(_("券有效期应大于 0。"), "validity_length"),
    "voucher_program_settlement_days_positive": _m(
        _("结算时限应至少为 1 个工作日。"), "settlement_working_days"
    ),
    "voucher_program_year_range": _m(_("年度应在 2000 至 2100 之间。"), "year"),
    "voucher_program_reserved_not_negative": _m(_("已预留金额不能为负数。"), "reserved"),
    "voucher_program_spent_not_negative": _m(_("已支出金额不能为负数。"), "spent"),
    "voucher_program_within_budget": _m(
        _("已预留与已支出之和不能超过总预算：预算余额不足。"), "budget"
    ),
    "voucher_program_published_has_time": _m(_("已发布的计划必须有发布时间。")),
    "voucher_program_version_chain": _m(
        _("第 1 版没有上一版本；之后的版本必须指向上一版本和第 1 版。"), "version"
    ),
    "provider_hub_node_valid": _m(_("请选择有效的算力枢纽节点。"), "hub_node"),
    "related_party_unique": _m(_("已申报过该企业的这一关联关系。"), "uscc"),
    "related_party_kind_valid": _m(_("请选择有效的关联类型。"), "kind"),
    "product_price_positive": _m(_("单价应大于 0。"), "unit_price"),
    "product_kind_valid": _m(_("请选择有效的券种。"), "kind"),
    "product_unique_name_unit": _m(_("已有同名、同计量单位的产品。"), "name"),
    "program_provider_unique": _m(_("该服务商已申请加入这一计划。"), "provider"),
    "program_provider_status_valid": _m(_STATUS, "status"),
    "program_provider_reason_length": _length(_("原因"), "reason", NOTE),
    "voucher_application_contract_once": _m(
        _("该服务商的这份合同已用于申请（任一计划），同一合同不能重复享受补贴。"),
        "contract_number",
    ),
    "voucher_application_status_valid": _m(_STATUS, "status"),
    "voucher_application_contract_positive": _m(_("合同金额应大于 0。"), "contract_amount"),
    "voucher_application_sought_range": _m(
        _("申请金额应大于 0 且不超过合同金额。"), "amount_sought"
    ),
    "voucher_application_term_ordered": _m(_("合同结束日期不能早于开始日期。"), "contract_ends_on"),
    "voucher_application_reason_length": _length(_("审核意见"), "reason", NOTE),
    "voucher_sequence_unique": _m(_("券号序列重复，请重试。")),
    "voucher_status_valid": _m(_STATUS, "status"),
    "voucher_amount_within_terms": _m(
        _(
            "券面金额应大于 0，且不超过申请金额、比例金额、年度剩余额度、"
            "单份合同上限和剩余预算中的任何一项。"
        ),
        "amount",
    ),
    "voucher_balances_not_negative": _m(_("券的已申领、已结算、已释放金额不能为负数。")),
    "voucher_not_over_claimed": _m(_("申领金额超过了券的剩余金额。"), "amount"),
    "voucher_settled_within_claimed": _m(_("已结算金额不能超过已申领金额。")),
    "voucher_reason_length": _length(_("作废原因"), "reason", NOTE),
    "claim_invoice_once": _m(_("该发票号码已申领过，同一发票不能重复申领。"), "invoice_number"),
    "claim_idempotency_provider": _m(_("这次提交已经收到（重复提交）。")),
    "claim_idempotency_enterprise": _m(_("这次提交已经收到（重复提交）。")),
    "claim_status_valid": _m(_STATUS, "status"),
    "claim_claimant_valid": _m(_("申领方无效。")),
    "claim_amount_positive": _m(_("申领金额应大于 0。"), "amount"),
    "claim_usage_positive": _m(_("使用量应大于 0。"), "usage_quantity"),
    "claim_settled_has_time": _m(_("已结算的申领必须有结算时间。")),
    "claim_reason_length": _length(_("审核意见"), "reason", NOTE),
    "ledger_kind_valid": _m(_("台账类型无效。")),
    "ledger_amount_positive": _m(_("台账金额应大于 0。")),
    "ledger_spend_has_claim": _m(_("支出记录必须对应一笔兑付申领。")),
    "year_cap_unique": _m(_("该企业这一年度在本计划已有额度记录。")),
    "year_cap_within_cap": _m(_("超过了企业在本计划的年度上限。"), "used"),
    # scenarios (应用场景清单、机会清单, 揭榜, 首购首用)
    "publisher_kind_valid": _m(_("请选择有效的发布方类型。"), "kind"),
    "publisher_status_valid": _m(_STATUS, "status"),
    "scenario_list_unique": _m(_("该发布方已有同名同版本的清单。"), "title"),
    "scenario_list_version_positive": _m(_("版本号应为正整数。"), "version"),
    "scenario_kind_valid": _m(_("请选择有效的场景类型。"), "kind"),
    "scenario_nature_valid": _m(_("请选择场景或机会。"), "nature"),
    "scenario_demand_side_valid": _m(_("请选择有效的需求方。"), "demand_side"),
    "scenario_industry_valid": _m(_("请选择有效的行业。"), "industry"),
    "scenario_status_valid": _m(_STATUS, "status"),
    "scenario_budget_non_negative": _m(
        _("预算不能为负数。"), "budget_min", "budget_max", non_negative=True
    ),
    "scenario_budget_range": _m(_("预算上限不能低于预算下限。"), "budget_max"),
    "scenario_description_length": _length(_("场景描述"), "description", TEXT),
    "scenario_requirements_length": _length(_("能力要求"), "requirements", TEXT),
    "scenario_co_building_length": _length(_("共建与成本收益分担"), "co_building", NOTE),
    "scenario_response_one_per_enterprise": _m(
        _("每家企业对同一场景只能提交一份响应方案，请修改已提交的方案。")
    ),
    "scenario_response_status_valid": _m(_STATUS, "status"),
    "scenario_response_price_non_negative": _m(_("报价不能为负数。"), "price", non_negative=True),
    "scenario_response_summary_length": _length(_("方案摘要"), "summary", NOTE),
    "scenario_response_approach_length": _length(_("技术路线与实施方案"), "approach", TEXT),
    "scenario_response_timeline_length": _length(_("实施周期"), "timeline", NOTE),
    "scenario_response_references_length": _length(_("相关案例"), "references", NOTE),
    "scenario_response_message_body_length": _length(_("内容"), "body", NOTE),
    "scenario_award_form_valid": _m(_("请选择有效的揭榜形式。"), "form"),
    "scenario_award_outcome_valid": _m(_("请选择有效的实施结果。"), "outcome"),
    "scenario_award_amount_non_negative": _m(_("金额不能为负数。"), "amount", non_negative=True),
    "scenario_award_dates": _m(_("结束日期不能早于开始日期。"), "ends_on"),
    "scenario_award_new_product_is_purchase": _m(
        _("首次采购的创新产品须以“采购”形式揭榜，并填写产品或服务名称。"), "product_name"
    ),
    "scenario_award_progress_length": _length(_("进展说明"), "progress", NOTE),
    "first_purchase_decision_valid": _m(_STATUS, "decision"),
    "first_purchase_subsidy_within_amount": _m(_("补贴金额应在 0 与合同金额之间。"), "subsidy"),
    "first_purchase_subsidy_only_if_eligible": _m(
        _("不符合首购补贴条件的记录不能有补贴金额。"), "subsidy"
    ),
    "catalogue_entry_unique": _m(_("该产品已在创新产品推荐目录中。"), "product_name"),
    "scenario_recommendation_unique": _m(_("该企业已有这一场景的推荐。")),
    "scenario_recommendation_score_range": _m(_("匹配得分应在 0 至 100 之间。")),
    "scenario_recommendation_one_active_run": _m(
        _("这份清单已有一个推荐任务在运行，请等待其完成。")
    ),
    "scenario_recommendation_progress_bounded": _m(_PROGRESS),
    "typical_case_status_valid": _m(_STATUS, "status"),
    "typical_case_title_required": _m(_("请填写案例标题。"), "title"),
    "typical_case_unpublished_has_reason": _m(_("撤下典型案例须填写理由。"), "reason"),
    "typical_case_summary_length": _length(_("案例摘要"), "summary", TEXT),
    "typical_case_reason_length": _length(_("撤下理由"), "reason", NOTE),
    # selection: rounds and their rules
    "round_one_per_region_year": _m(_("本辖区这一年度已有遴选轮次。"), "year"),
    "round_status_valid": _m(_STATUS, "status"),
    "round_weights_sum_to_100": _m(
        _("指标得分权重与专家评分权重不能为负数，且二者之和应为 100。"), "panel_weight"
    ),
    "round_windows_ordered": _m(
        _("申报截止时间应晚于申报开始时间，评审截止日期不能早于评审开始日期。"),
        "application_closes_at",
    ),
    "round_k_at_least_one": _m(_("每份申请至少需要 1 位评审专家。"), "panelists_per_application"),
    "indicator_group_unique_code": _m(_("本轮已有相同代码的指标组。"), "code"),
    "indicator_unique_code": _m(_("本轮已有相同代码的指标。"), "code"),
    "direct_pass_unique_code": _m(_("本轮已有相同代码的直通条件。"), "code"),
    "criterion_weight_range": _m(_("评审维度的权重应大于 0 且不超过 100。"), "weight"),
    "criterion_max_positive": _m(_("满分应大于 0。"), "max_score"),
    "criterion_guidance_length": _length(_("评分说明"), "guidance", NOTE),
    "tier_rule_unique_per_category": _m(_("同一层级和类别只能有一条分级规则。"), "category"),
    "tier_rule_tier_valid": _m(_TIER, "tier"),
    # selection: applications
    "application_one_per_round": _m(_("该企业已申报本轮遴选。")),
    "application_status_valid": _m(_STATUS, "status"),
    "application_submitted_has_time": _m(_("已提交的申请必须有提交时间。"), "submitted_at"),
    "application_submitted_has_declaration": _m(
        _("提交申请前必须确认真实性承诺。"), "declaration_accepted_at"
    ),
    "application_innovation_summary_length": _length(
        _("创新能力与核心技术"), "innovation_summary", ESSAY
    ),
    "application_data_practice_length": _length(
        _("数据要素应用与价值创造"), "data_practice", ESSAY
    ),
    "application_growth_plan_length": _length(_("发展规划与培育需求"), "growth_plan", ESSAY),
    "figures_one_per_year": _m(_("这一年度的经营数据已经填写。"), "year"),
    "figures_non_negative": _m(
        _("金额和资产负债率不能为负数。"),
        "revenue",
        "main_business_revenue",
        "rd_expense",
        "financing_raised",
        "debt_ratio",
        non_negative=True,
    ),
    "figures_main_business_within_revenue": _m(
        _("主营业务收入不能超过营业收入。"), "main_business_revenue"
    ),
    "figures_rd_staff_within_employees": _m(_("研发人员数不能超过从业人员数。"), "rd_staff"),
    "figures_employees_bounded": _m(EMPLOYEES_MESSAGE, "employees"),
    "figures_counts_bounded": _m(
        COUNTS_MESSAGE, "rd_staff", "invention_patents", "software_copyrights"
    ),
    "figures_amounts_bounded": _m(
        AMOUNTS_MESSAGE,
        "revenue",
        "main_business_revenue",
        "rd_expense",
        "financing_raised",
        "valuation",
    ),
    "figures_rd_within_revenue": _m(RD_MESSAGE, "rd_expense"),
    "figures_debt_ratio_bounded": _m(DEBT_RATIO_MESSAGE, "debt_ratio"),
    "figures_debt_ratio_over_100_has_reason": _m(DEBT_REASON_MESSAGE, "debt_ratio_reason"),
    "attachment_size_limit": _m(_("附件大小应大于 0 且不超过 20 MB。"), "file"),
    "attachment_kind_valid": _m(_("请选择有效的附件类型。"), "kind"),
    "review_item_unique": _m(_("同一审查要点只能有一条结论。")),
    "review_item_failure_has_note": _m(_("不符合的审查要点请填写问题说明。"), "note"),
    "formal_review_reason_length": _length(_("说明"), "reason", TEXT),
    # selection: the panel
    "panel_member_once_per_round": _m(_("该专家已在本轮专家组中。"), "user"),
    "panel_affiliation_valid": _m(_("请选择有效的所属类型。"), "affiliation"),
    "application_sheet_counts_consistent": _m(_("已提交的评分表不能多于已分配的评分表。")),
    "panel_member_removal_complete": _m(
        _("移出专家时须记录操作人、时间和理由。"), "removal_reason"
    ),
    "conflict_unique_kind": _m(_("该专家与这家企业的同类利益冲突已有记录。"), "kind"),
    "conflict_dismissal_has_reason": _m(_("排除利益冲突时请填写理由。"), "dismissal_reason"),
    "conflict_only_detected_dismissible": _m(_("专家本人申报的利益冲突不能排除。")),
    "conflict_report_one_pending": _m(_("您已就该申请报告过利益冲突，正在等待工作人员处理。")),
    "conflict_report_status_valid": _m(_STATUS, "status"),
    "conflict_report_decision_complete": _m(_("处理利益冲突报告时请填写理由。"), "decision_reason"),
    "assignment_unique": _m(_("该专家已分配到此申请。"), "panel_member"),
    "sheet_submitted_has_total": _m(_("已提交的评分表必须有加权总分。")),
    "score_one_per_criterion": _m(_("每个评审维度只能有一个得分。"), "criterion"),
    "score_not_negative": _m(_("得分不能为负数。"), "value", non_negative=True),
    "score_comment_length": _length(_("评语"), "comment", TEXT),
    # selection: tiering and notice
    "tiering_one_active_run_per_round": _m(_("本轮已有一个分级任务在运行，请等待其完成。")),
    "tiering_progress_bounded": _m(_PROGRESS),
    "export_progress_bounded": _m(_PROGRESS),
    "export_format_known": _m(_("导出格式只能是 CSV、XLSX 或 PDF。"), "format"),
    "objection_resolution_has_reply": _m(_("处理异议时请填写处理意见。"), "reply"),
    "objection_reason_length": _length(_("异议理由"), "reason", TEXT),
    "objection_reply_length": _length(_("处理意见"), "reply", TEXT),
    # reports: documents
    "certificate_one_current_per_entry": _m(_("该企业已有一张有效的入库证书。")),
    "certificate_tier_valid": _m(_TIER, "tier"),
    "annual_report_one_active_run": _m(_("该辖区本年度的培育报告正在生成，请等待完成。")),
    "annual_report_progress_bounded": _m(_PROGRESS),
    "round_document_one_active_run": _m(_("该轮次的这份文书正在生成，请等待完成。")),
    "round_document_kind_valid": _m(_("文书只能是遴选结果名单或专家评审纪要。"), "kind"),
    "round_document_progress_bounded": _m(_PROGRESS),
    # registry: financing obtained (融资到位)
    "financing_receipt_amount_positive": _m(_("到位金额应大于 0。"), "amount"),
    "financing_receipt_source_valid": _m(_("请选择有效的融资来源。"), "source"),
    # finance: institutions and products (投融资对接)
    "finance_institution_kind_valid": _m(_("请选择有效的机构类型。"), "kind"),
    "finance_institution_status_valid": _m(_STATUS, "status"),
    "finance_institution_introduction_length": _length(_("机构简介"), "introduction", TEXT),
    "finance_product_kind_valid": _m(_("请选择有效的产品类型。"), "kind"),
    "finance_product_amount_range": _m(
        _("最低金额应大于 0，且不高于最高金额。"), "min_amount", "max_amount"
    ),
    "finance_product_rate_range": _m(
        _("年利率应在 0 至 36% 之间，且最低不高于最高。"), "min_rate", "max_rate"
    ),
    "finance_product_term_range": _m(
        _("期限应大于 0，且最短不长于最长。"), "min_term_months", "max_term_months"
    ),
    "finance_product_rates_for_loans": _m(
        _("贷款产品须填写利率区间；股权投资产品不填利率。"), "min_rate"
    ),
    "finance_product_unique_name": _m(_("本机构已有同名产品。"), "name"),
    "finance_product_description_length": _length(_("产品说明"), "description", TEXT),
    # finance: needs and talks
    "finance_need_amount_positive": _m(_("拟融资金额应大于 0。"), "amount"),
    "finance_need_kind_valid": _m(_("请选择有效的融资方式。"), "kind"),
    "finance_need_audience_valid": _m(_("请选择有效的可见范围。"), "audience"),
    "finance_need_stage_valid": _m(_("请选择有效的融资轮次。"), "stage"),
    "finance_enterprise_share_once": _m(_("该企业已推荐给这家机构。")),
    "finance_need_term_positive": _m(_("期限应大于 0 个月。"), "term_months"),
    "finance_need_outcome_iff_closed": _m(
        _("只有已结束的需求才有结果，且已结束的需求必须有结果。")
    ),
    "finance_need_purpose_length": _length(_("资金用途"), "purpose", TEXT),
    "finance_need_collateral_length": _length(_("抵质押物或知识产权"), "collateral", NOTE),
    "finance_recommendation_note_length": _length(_("推荐说明"), "note", NOTE),
    "finance_need_share_once": _m(_("该需求已向这家机构推送过。")),
    "finance_need_share_via_matches": _m(_("推荐来源与推荐批次不一致。")),
    "finance_interest_once_per_institution": _m(_("贵机构已对该需求表达过意向。")),
    "finance_message_body_length": _length(_("内容"), "body", NOTE),
    "finance_meeting_notes_length": _length(_("会谈纪要"), "notes", TEXT),
    "finance_offer_amount_positive": _m(_("方案金额应大于 0。"), "amount"),
    "finance_offer_rate_range": _m(_("年利率应在 0 至 36% 之间。"), "rate"),
    "finance_offer_valuation_positive": _m(_("估值应大于 0。"), "valuation"),
    "finance_offer_rate_or_valuation": _m(_("请填写年利率（债权）或估值（股权）。"), "rate"),
    "finance_offer_term_positive": _m(_("期限应大于 0 个月。"), "term_months"),
    "finance_offer_status_valid": _m(_STATUS, "status"),
    "finance_offer_funded_iff_amount": _m(
        _("资金到位时须填写到位金额（大于 0）和日期。"), "funded_amount"
    ),
    "finance_offer_one_accepted_per_need": _m(_("该需求已接受了一个融资方案。")),
    "finance_offer_note_length": _length(_("说明"), "note", NOTE),
    # finance: credit scorecard and listing pipeline
    "finance_scorecard_one_current": _m(_("同一时间只能有一个现行的信用评价模型版本。")),
    "finance_credit_score_once_per_version": _m(_("该企业在这一版本下已有评分。")),
    "finance_credit_score_range": _m(_("信用评分应在 0 至 100 之间。")),
    "finance_credit_score_grade_valid": _m(_("请选择有效的信用等级。")),
    "finance_score_run_one_active": _m(_("该版本的信用评分正在计算，请等待完成。")),
    "finance_score_run_progress_bounded": _m(_PROGRESS),
    "finance_listing_stage_valid": _m(_("请选择有效的上市阶段。"), "stage"),
    "finance_listing_board_valid": _m(_("请选择有效的目标板块。"), "target_board"),
    "finance_listing_listed_on_iff_listed": _m(
        _("上市阶段须填写上市日期，其他阶段不填。"), "listed_on"
    ),
    "finance_listing_notes_length": _length(_("备注"), "notes", TEXT),
}


def message_for(name: str):
    """The sentence for constraint `name` (lazy, rendered in the reader's language)."""
    return CONSTRAINT_MESSAGES[name].message


def name_in_text(text: str) -> str | None:
    """A known constraint name quoted in an error text (the longest, if several)."""
    found = [name for name in CONSTRAINT_MESSAGES if re.search(rf"\b{name}\b", text)]
    return max(found, key=len) if found else None


def _unique_by_columns() -> dict[tuple[str, frozenset[str]], str]:
    """(table, columns) -> unique constraint name: SQLite names columns, not the constraint."""
    from django.apps import apps

    found = {}
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            fields = getattr(constraint, "fields", ())
            if fields:
                columns = frozenset(model._meta.get_field(f).column for f in fields)
                found[(model._meta.db_table, columns)] = constraint.name
    return found


def constraint_of(exc) -> str | None:
    """The name of the constraint an IntegrityError (or ValidationError) is about, if known."""
    diag = getattr(getattr(exc, "__cause__", None), "diag", None)
    name = getattr(diag, "constraint_name", None)  # psycopg on PostgreSQL
    if name in CONSTRAINT_MESSAGES:
        return name
    code = getattr(exc, "code", None)
    if code in CONSTRAINT_MESSAGES:
        return code
    text = str(exc)
    unique = re.search(r"UNIQUE constraint failed: ([\w.]+(?:, [\w.]+)*)", text)  # SQLite
    if unique:
        pairs = [column.split(".", 1) for column in unique.group(1).split(", ")]
        key = (pairs[0][0], frozenset(column for _table, column in pairs))
        return _unique_by_columns().get(key)
    return name_in_text(text)


def describe_violation(exc) -> tuple[str, ConstraintMessage] | None:
    """(name, entry) for a constraint violation we have words for, else None."""
    name = constraint_of(exc)
    return (name, CONSTRAINT_MESSAGES[name]) if name else None


def described(name: str) -> dict:
    """A constraint's name with its sentence and code: `CheckConstraint(..., **described(n))`."""
    return {
        "name": name,
        "violation_error_message": CONSTRAINT_MESSAGES[name].message,
        "violation_error_code": name,
    }
