"""Audit events as a person reads them: action names and field changes in words."""

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext_lazy as _

# Stable action keys -> labels. Each app's services add their actions here.
ACTION_LABELS = {
    "account.created": _("创建账户"),
    "api_token.issued": _("签发 API 令牌"),
    "api_token.revoked": _("撤销 API 令牌"),
    "enterprise.registered": _("企业注册"),
    "enterprise.updated": _("修改企业信息"),
    "enterprise.document_uploaded": _("上传认证材料"),
    "verification.submitted": _("提交企业认证"),
    "verification.resubmitted": _("重新提交企业认证"),
    "verification.verified": _("通过企业认证"),
    "verification.returned": _("退回企业认证"),
    "transfer.requested": _("申请辖区迁移"),
    "transfer.accepted": _("接收辖区迁移"),
    "transfer.rejected": _("拒绝辖区迁移"),
    "transfer.withdrawn": _("撤回辖区迁移申请"),
    "membership.requested": _("申请加入企业"),
    "membership.active": _("同意加入企业"),
    "membership.rejected": _("拒绝加入企业"),
    "membership.left": _("退出企业"),
    "membership.removed": _("移除企业成员"),
    "membership.admin_handed_over": _("移交企业管理员"),
    "registry.admitted": _("入库"),
    "registry.tier_changed": _("层级调整"),
    "policy.created": _("创建惠企政策"),
    "policy.updated": _("修改惠企政策"),
    "policy.published": _("发布惠企政策"),
    "policy.withdrawn": _("撤回惠企政策"),
    "policy.match_started": _("运行政策匹配"),
    "policy_grant.eligible": _("符合政策条件"),
    "policy_grant.notified": _("通知企业享受政策"),
    "policy_grant.accepted": _("企业确认享受政策"),
    "policy_grant.delivered": _("政策已兑现"),
    "policy_grant.declined": _("企业放弃享受政策"),
    "policy_grant.lapsed": _("不再符合政策条件"),
    "round.created": _("创建遴选轮次"),
    "round.updated": _("修改遴选轮次"),
    "round.open": _("发布遴选轮次"),
    "round.formal_review": _("进入形式审查"),
    "round.panel_review": _("进入专家评审"),
    "round.tiering": _("进入分级确定"),
    "round.notice": _("进入公示"),
    "round.closed": _("结束遴选轮次"),
    "application.started": _("开始遴选申报"),
    "application.updated": _("修改遴选申请"),
    "application.attachment_added": _("上传申请附件"),
    "application.attachment_removed": _("删除申请附件"),
    "application.submitted": _("提交遴选申请"),
    "application.resubmitted": _("重新提交遴选申请"),
    "application.returned": _("形式审查退回"),
    "application.eligible": _("形式审查通过"),
    "application.ineligible": _("形式审查未通过"),
    "application.withdrawn": _("撤回遴选申请"),
    "application.under_review": _("进入专家评审"),
    "application.scored": _("专家评审完成"),
    "application.proposed": _("拟定遴选结果"),
    "application.confirmed": _("确认遴选结果"),
    "application.admitted": _("遴选入库"),
    "application.not_selected": _("未入选"),
    "application.result_changed": _("因异议调整结果"),
    "round.criteria_changed": _("修改评审维度"),
    "round.tier_rules_changed": _("修改分级规则"),
    "round.checklist_changed": _("修改形式审查要点"),
    "round.rubric_changed": _("修改指标评分规则"),
    "panel.member_added": _("添加评审专家"),
    "panel.conflict_declared": _("专家申报利益冲突"),
    "panel.conflict_dismissed": _("排除利益冲突"),
    "panel.assignment_removed": _("利益冲突回避"),
    "panel.assigned": _("分配评审任务"),
    "panel.assigned_manually": _("人工分配专家"),
    "panel.unassigned": _("取消专家分配"),
    "panel.sheet_submitted": _("专家提交评分"),
    "panel.conflict_reported": _("专家提交评分后报告利益冲突"),
    "panel.conflict_report_upheld": _("利益冲突报告：回避成立"),
    "panel.conflict_report_dismissed": _("利益冲突报告：不予回避"),
    "panel.sheet_withdrawn": _("撤回已提交的评分"),
    "tiering.started": _("运行分级"),
    "objection.filed": _("提出公示异议"),
    "objection.upheld": _("异议成立"),
    "objection.dismissed": _("异议不成立"),
    "report.saved": _("保存年度报告"),
    "report.submitted": _("报送年度报告"),
    "report.returned": _("退回年度报告"),
    "report.accepted": _("确认年度报告"),
    "service.logged": _("登记服务记录"),
    "service.followed_up": _("完成服务跟进"),
    "service.updated": _("修改服务记录"),
    "panel.replacement_assigned": _("补派评审专家"),
    "service.deleted": _("删除服务记录"),
    "label.granted": _("获得成长称号"),
    "label.revoked": _("撤销成长称号"),
    "adjustment.rules_saved": _("修改动态调整规则"),
    "adjustment.started": _("运行动态调整测算"),
    "adjustment.finished": _("动态调整测算完成"),
    "adjustment.requested": _("企业申请退出培育库"),
    "adjustment.confirmed": _("确认调整建议"),
    "adjustment.amended": _("修改后确认调整建议"),
    "adjustment.rejected": _("驳回调整建议"),
    "adjustment.withdrawn": _("撤回调整建议"),
    "registry.upgrade": _("升级"),
    "registry.downgrade": _("降级"),
    "registry.exit": _("退出培育库"),
    "registry.graduate": _("从培育库毕业"),
    "registry.restored": _("申诉成立，恢复层级"),
    "appeal.filed": _("对动态调整提出申诉"),
    "appeal.upheld": _("申诉成立"),
    "appeal.dismissed": _("申诉不成立"),
    "record.added": _("登记企业状态记录"),
    "record.revoked": _("撤销企业状态记录"),
    "data_resource.applied": _("申请数据资源登记"),
    "data_resource.accepted": _("受理数据资源登记"),
    "data_resource.reviewed": _("审核通过数据资源登记"),
    "data_resource.noticed": _("数据资源登记公示"),
    "data_resource.coded": _("数据资源赋码"),
    "data_resource.returned": _("退回数据资源登记"),
    "data_resource.rejected": _("数据资源不予登记"),
    "data_resource.cancelled": _("注销数据资源"),
    "data_resource.change_proposed": _("申请变更或更正数据资源"),
    "data_resource.change_approved": _("通过数据资源变更或更正"),
    "data_resource.change_rejected": _("驳回数据资源变更或更正"),
    "data_resource.corrected": _("更正数据资源"),
    "data_resource.cancel_requested": _("申请注销数据资源"),
    "voucher_program.created": _("创建券种计划"),
    "voucher_program.updated": _("修改券种计划"),
    "voucher_program.published": _("发布券种计划"),
    "voucher_program.versioned": _("创建券种计划新版本"),
    "voucher_program.closed": _("关闭券种计划"),
    "voucher_program.withdrawn": _("撤回券种计划"),
    "provider.registered": _("登记服务商"),
    "provider.updated": _("修改服务商信息"),
    "provider.related_party_declared": _("申报关联方"),
    "provider.product_added": _("添加服务产品"),
    "provider.product_updated": _("修改服务产品"),
    "program_provider.applied": _("服务商申请加入计划"),
    "program_provider.approved": _("服务商入围计划"),
    "program_provider.suspended": _("暂停服务商"),
    "program_provider.removed": _("移出服务商"),
    "voucher_application.applied": _("提交券申请"),
    "voucher_application.approved": _("批准券申请"),
    "voucher_application.returned": _("退回券申请"),
    "voucher_application.rejected": _("不予批准券申请"),
    "voucher_application.withdrawn": _("撤回券申请"),
    "voucher.issued": _("发放券"),
    "voucher.expired": _("券过期"),
    "voucher.cancelled": _("作废券"),
    "claim.filed": _("提交兑付申领"),
    "claim.confirmed": _("确认服务已交付"),
    "claim.verified": _("审核兑付申领"),
    "claim.settled": _("结算兑付申领"),
    "claim.returned": _("退回兑付申领"),
    "claim.rejected": _("兑付申领不予结算"),
    "reports.export": _("导出列表"),
    "panel.member_removed": _("移出评审专家"),
    "annual_report.requested": _("申请生成年度培育报告"),
    "round_document.requested": _("申请生成遴选文书"),
    "certificate.issued": _("颁发入库证书"),
    # finance (投融资对接) and the registry's financing record
    "financing.received": _("融资到位"),
    "institution.registered": _("登记金融机构"),
    "institution.approved": _("批准金融机构"),
    "institution.suspended": _("暂停金融机构"),
    "financial_product.added": _("发布金融产品"),
    "financial_product.updated": _("修改金融产品"),
    "financing_need.created": _("创建融资需求"),
    "financing_need.updated": _("修改融资需求"),
    "financing_need.published": _("发布融资需求"),
    "financing_need.in_talks": _("融资需求进入洽谈"),
    "financing_need.closed": _("融资需求结束"),
    "financing_need.named": _("指定可查看需求的机构"),
    "financing_need.interest": _("金融机构表达意向"),
    "financing_need.meeting": _("记录融资会谈"),
    "recommendation.created": _("推荐优质项目"),
    "offer.made": _("提出融资方案"),
    "offer.accepted": _("接受融资方案"),
    "offer.declined": _("谢绝融资方案"),
    "offer.withdrawn": _("撤回融资方案"),
    "offer.funded": _("登记资金到位"),
    "offer.lapsed": _("登记方案未落地"),
    "scorecard.created": _("发布信用评价模型版本"),
    "score_run.requested": _("启动信用评分计算"),
    "listing.created": _("纳入上市培育"),
    "listing.filing": _("上市培育：进入申报"),
    "listing.accepted": _("上市培育：已受理"),
    "listing.registered": _("上市培育：已注册"),
    "listing.listed": _("上市培育：已上市"),
    # scenarios (应用场景清单、机会清单 · 揭榜 · 首购首用)
    "scenario_publisher.applied": _("申请成为场景发布方"),
    "scenario_publisher.approved": _("批准场景发布方"),
    "scenario_publisher.rejected": _("不批准场景发布方"),
    "scenario_list.created": _("新建场景清单"),
    "scenario.created": _("新建场景"),
    "scenario.updated": _("修改场景"),
    "scenario.submitted": _("提交场景审核"),
    "scenario.draft": _("退回场景修改"),
    "scenario.published": _("发布场景"),
    "scenario.closed": _("场景截止"),
    "scenario.awarded": _("确定揭榜结果"),
    "scenario.cancelled": _("取消场景"),
    "scenario_response.submitted": _("提交揭榜方案"),
    "scenario_response.updated": _("修改揭榜方案"),
    "scenario_response.message": _("揭榜方案问答"),
    "scenario_response.shortlisted": _("揭榜方案入围"),
    "scenario_response.awarded": _("揭榜方案中选"),
    "scenario_response.not_awarded": _("揭榜方案未中选"),
    "scenario_response.withdrawn": _("撤回揭榜方案"),
    "scenario_award.created": _("登记揭榜结果"),
    "scenario_award.outcome": _("登记揭榜成效"),
    "scenario_first_purchase.created": _("登记首购首用"),
    "scenario_list.recommending": _("运行场景推荐"),
    "typical_case.published": _("发布典型案例"),
    "typical_case.unpublished": _("撤下典型案例"),
    "scenario_first_purchase.confirmed": _("确认首购首用"),
    "scenario_first_purchase.rejected": _("不予确认首购首用"),
}


def action_label(action: str):
    return ACTION_LABELS.get(action, action)


def _display(field, value):
    if value in (None, ""):
        return "—"
    if field is None:
        return value
    if field.is_relation and field.related_model is not None:
        try:
            related = field.related_model.objects.filter(pk=value).first()
        except (TypeError, ValueError, ValidationError):  # recorded as a label, not a key
            return value
        return str(related) if related else value
    if field.flatchoices:
        return dict(field.flatchoices).get(value, value)
    return value


def changes(event) -> list[tuple]:
    """(field label, before, after) for each field the event recorded."""
    before, after = event.before or {}, event.after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return []
    model = event.content_type.model_class() if event.content_type_id else None
    rows = []
    for key in dict.fromkeys([*before, *after]):
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(key)
            except FieldDoesNotExist:
                field = None
            if field is not None and not field.concrete:  # e.g. a reverse relation
                field = None
        label = field.verbose_name if field is not None else key
        old = _display(field, before.get(key)) if key in before else None
        new = _display(field, after.get(key)) if key in after else None
        rows.append((label, old, new))
    return rows
