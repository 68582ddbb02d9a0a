"""Every list that exports: a few declarative lines each.

To add a list: give the function its page uses to turn (user, GET parameters) into the
visible, filtered, sorted queryset, the columns (a dotted field path, or `value=` for a
computed one; `default=False` leaves it unticked) and the predicate the page checks.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from adjustment.forms import ProposalFilterForm
from adjustment.selectors import proposal_list
from audit.models import can_read_audit
from audit.presentation import action_label
from audit.selectors import event_list
from policies.filters import GrantFilter, PolicyFilter
from policies.models import Policy, PolicyGrant
from policies.selectors import my_grants, policy_filter, policy_grants_filter
from registry import selectors as registry_selectors
from registry.filters import EnterpriseFilter
from registry.models import RegistryEntry, ServiceRecord
from reports.exports.filters import RegistryEntryFilter, ServiceRecordFilter
from reports.exports.spec import (
    BOOL,
    DATE,
    DATETIME,
    DECIMAL,
    INT,
    MONEY,
    Column,
    ExportSpec,
    filterset_labels,
    register,
)
from resources.filters import DataResourceFilter
from resources.selectors import resource_filter
from selection import selectors as selection_selectors
from selection.choices import ApplicationStatus
from selection.models import SelectionRound
from selection.permissions import can_manage_round
from vouchers.filters import LedgerEntryFilter
from vouchers.models import Claim, LedgerEntry, Voucher, VoucherApplication
from vouchers.models.programs import is_provider_user
from vouchers.page_selectors import ApplicationFilter, ClaimFilter, VoucherFilter


def is_staff(user) -> bool:
    return user.is_authenticated and user.is_staff_reviewer


def _id(params, key) -> int:
    value = params.get(key, "")
    if not str(value).isdigit() or len(str(value)) > 12:
        raise Http404
    return int(value)


def staff_round(user, params, *, manage=False) -> SelectionRound:
    """The round named by `round=` if `user` sees it (else 404) and, with `manage`, may
    manage it (else 403): the same checks as the round's pages."""
    selection_round = get_object_or_404(
        SelectionRound.objects.visible_to(user), pk=_id(params, "round")
    )
    if manage and not can_manage_round(user, selection_round):
        raise PermissionDenied
    return selection_round


def filtered(filterset_class, base):
    """`queryset(user, params)` of a list whose page filters `base(user)` (its visible rows,
    already sorted as the page sorts them) with `filterset_class`."""
    return lambda user, params: filterset_class(params, queryset=base(user)).qs


def filtered_list(name, title, filterset_class, base, *, columns, permission, page):
    """A list whose rows are `base(user)` filtered by `filterset_class`, the filter described
    by the filter set's own labels."""
    return register(
        ExportSpec(
            name=name,
            title=title,
            queryset=filtered(filterset_class, base),
            columns=columns,
            permission=permission,
            page=page,
            filter_labels=filterset_labels(filterset_class),
        )
    )


ENTERPRISE = [
    Column("name", _("企业名称")),
    Column("uscc", _("统一社会信用代码")),
    Column("region.code", _("地区代码")),
    Column("region.name", _("地区")),
    Column("industry", _("所属行业")),
    Column("category", _("创新类型")),
    Column("registry_entry.tier", _("层级")),
    Column("registry_entry.status", _("入库状态")),
    Column("size", _("企业规模")),
    Column("founded_on", _("成立日期"), kind=DATE),
    Column("listing_status", _("上市状态"), default=False),
    Column("verification_status", _("认证状态"), default=False),
    Column("contact_name", _("联系人"), default=False),
    Column("contact_phone", _("联系电话"), default=False),
    Column("contact_email", _("联系邮箱"), default=False),
    Column("website", _("网站"), default=False),
    Column("registry_entry.admitted_on", _("入库日期"), kind=DATE, default=False),
    Column("created_at", _("登记时间"), kind=DATETIME, default=False),
]

register(
    ExportSpec(
        name="enterprises",
        title=_("企业名录"),
        queryset=lambda user, params: registry_selectors.enterprise_filter(user, params).qs,
        columns=ENTERPRISE,
        permission=is_staff,
        page="registry:enterprise-list",
        filter_labels=filterset_labels(EnterpriseFilter),
    )
)

register(
    ExportSpec(
        name="verification",
        title=_("企业认证待审"),
        queryset=lambda user, params: registry_selectors.verification_queue(user),
        columns=[
            Column("name", _("企业名称")),
            Column("uscc", _("统一社会信用代码")),
            Column("region.name", _("地区")),
            Column("verification_status", _("认证状态")),
            Column("created_at", _("登记时间"), kind=DATETIME),
            Column("updated_at", _("更新时间"), kind=DATETIME),
        ],
        permission=is_staff,
        page="registry:verification-queue",
    )
)

register(
    ExportSpec(
        name="transfers",
        title=_("辖区迁移申请"),
        queryset=registry_selectors.transfer_list,
        columns=[
            Column("enterprise.name", _("企业名称")),
            Column("enterprise.uscc", _("统一社会信用代码")),
            Column("from_region.name", _("迁出地区")),
            Column("to_region.name", _("迁入地区")),
            Column("requested_by.full_name", _("申请人")),
            Column("reason", _("说明")),
            Column("status", _("状态")),
            Column("decision_reason", _("审核意见")),
            Column("created_at", _("申请时间"), kind=DATETIME),
            Column("decided_at", _("审核时间"), kind=DATETIME),
        ],
        permission=is_staff,
        page="registry:transfer-list",
        filter_labels={"direction": (_("方向"), {"in": _("迁入本辖区"), "out": _("迁出本辖区")})},
    )
)

register(
    ExportSpec(
        name="audit",
        title=_("审计日志"),
        queryset=event_list,
        columns=[
            Column("created_at", _("时间"), kind=DATETIME),
            Column("actor_label", _("操作人")),
            Column("action", _("操作代码")),
            Column("action_label", _("操作"), value=lambda e: action_label(e.action)),
            Column("object_repr", _("对象")),
            Column("ip_address", "IP"),
        ],
        permission=lambda user: user.is_authenticated and can_read_audit(user),
        page="audit:list",
        filter_labels={"action": (_("操作"), {}), "actor": (_("操作人"), {})},
    )
)

register(
    ExportSpec(
        name="policies",
        title=_("惠企政策"),
        queryset=lambda user, params: policy_filter(user, params).qs,
        columns=[
            Column("title", _("政策名称")),
            Column("department", _("发布部门")),
            Column("jurisdiction.name", _("适用地区")),
            Column("kind", _("政策类型")),
            Column("mode", _("兑现方式")),
            Column("benefit_amount", _("兑现金额（元）"), kind=MONEY),
            Column("valid_from", _("有效期起"), kind=DATE),
            Column("valid_until", _("有效期止"), kind=DATE),
            Column("status", _("状态")),
            Column("grant_count", _("匹配企业数"), kind=INT),
            Column("overdue_count", _("逾期未兑现"), kind=INT),
            Column("published_at", _("发布时间"), kind=DATETIME, default=False),
        ],
        permission=is_staff,
        page="policies:policy-list",
        filter_labels=filterset_labels(PolicyFilter),
    )
)

register(
    ExportSpec(
        name="data-resources",
        title=_("数据资源登记"),
        queryset=lambda user, params: resource_filter(user, params).qs,
        columns=[
            Column("code", _("登记编号")),
            Column("name", _("资源名称")),
            Column("enterprise.name", _("企业名称")),
            Column("enterprise.region.name", _("地区")),
            Column("domain", _("数据领域")),
            Column("volume", _("数据规模"), kind=DECIMAL),
            Column("volume_unit", _("规模单位")),
            Column("update_cycle", _("更新频率")),
            Column("security_level", _("安全级别")),
            Column("status", _("状态")),
            Column("notice_ends_on", _("公示截止"), kind=DATE, default=False),
            Column("created_at", _("申请时间"), kind=DATETIME),
            Column("coded_at", _("赋码时间"), kind=DATETIME, default=False),
        ],
        permission=is_staff,
        page="resources:resource-list",
        filter_labels=filterset_labels(DataResourceFilter),
    )
)


def _form_labels(form_class) -> dict:
    return {
        name: (f.label, dict(getattr(f, "choices", ()) or ()))
        for name, f in form_class.base_fields.items()
    }


register(
    ExportSpec(
        name="adjustment-proposals",
        title=_("动态调整建议"),
        queryset=lambda user, params: proposal_list(user, params)[1],
        columns=[
            Column("entry.enterprise.name", _("企业名称")),
            Column("entry.enterprise.uscc", _("统一社会信用代码")),
            Column("entry.enterprise.region.name", _("地区")),
            Column("year", _("报告年度"), kind=INT),
            Column("kind", _("调整类型")),
            Column("from_tier", _("原层级")),
            Column("to_tier", _("建议层级")),
            Column("status", _("状态")),
            Column("appeal.status", _("申诉")),
            Column("decision_reason", _("处理意见"), default=False),
            Column("decided_at", _("处理时间"), kind=DATETIME, default=False),
        ],
        permission=is_staff,
        page="adjustment:adjustment",
        filter_labels=_form_labels(ProposalFilterForm),
    )
)

ROUND_LABEL = {"round": (_("遴选轮次"), {})}


def round_list(name, title, rows, columns, *, page, manage=False, filters=None):
    """A list of one selection round (`round=<id>`): `rows(user, round, params)` is the
    page's selector, the round checked as its pages check it."""
    return register(
        ExportSpec(
            name=name,
            title=title,
            queryset=lambda user, params: rows(
                user, staff_round(user, params, manage=manage), params
            ),
            columns=columns,
            permission=is_staff,  # panelists never export: these lists are staff's
            page=lambda params: (page, [params.get("round")]),
            filter_labels={**ROUND_LABEL, **(filters or {})},
        )
    )


round_list(
    "applications",
    _("申报列表"),
    selection_selectors.round_applications,
    page="selection:round-detail",
    filters={"status": (_("状态"), dict(ApplicationStatus.choices))},
    columns=[
        Column("enterprise.name", _("企业名称")),
        Column("enterprise.uscc", _("统一社会信用代码")),
        Column("enterprise.region.name", _("地区")),
        Column("category", _("申报类别")),
        Column("tier_sought", _("申报层级")),
        Column("size", _("企业规模")),
        Column("status", _("状态")),
        Column("submitted_at", _("提交时间"), kind=DATETIME),
        Column("indicator_score", _("指标得分"), kind=DECIMAL),
        Column("indicator_passed", _("指标达标"), kind=BOOL),
        Column("direct_pass", _("直通"), kind=BOOL),
        Column("panel_score", _("专家评分"), kind=DECIMAL, default=False),
        Column("final_score", _("综合得分"), kind=DECIMAL, default=False),
    ],
)

round_list(
    "tiering-results",
    _("分级结果"),
    lambda user, selection_round, params: selection_selectors.round_results(selection_round),
    page="selection:results",
    manage=True,
    columns=[
        Column("enterprise.name", _("企业名称")),
        Column("enterprise.uscc", _("统一社会信用代码")),
        Column("enterprise.region.name", _("地区")),
        Column("category", _("申报类别")),
        Column("tier_sought", _("申报层级")),
        Column("indicator_score", _("指标得分"), kind=DECIMAL),
        Column("panel_score", _("专家评分"), kind=DECIMAL),
        Column("final_score", _("综合得分"), kind=DECIMAL),
        Column("proposed_tier", _("拟定层级")),
        Column("status", _("状态")),
    ],
)

round_list(
    "objections",
    _("异议"),
    lambda user, selection_round, params: selection_selectors.round_objections(
        user, selection_round
    ),
    page="selection:objection-list",
    manage=True,
    columns=[
        Column("application.enterprise.name", _("企业名称")),
        Column("filed_by.full_name", _("提出人")),
        Column("reason", _("异议理由")),
        Column("status", _("状态")),
        Column("reply", _("处理意见")),
        Column("created_at", _("提出时间"), kind=DATETIME),
        Column("resolved_at", _("处理时间"), kind=DATETIME),
    ],
)


def expert_label(score) -> str:
    """The expert of a score: named to staff, unless the round is blind (names hidden),
    where experts are 专家 1…k in the round, as on the panel's own pages."""
    assignment = score.sheet.assignment
    if assignment.application.round.hide_enterprise_names:
        return _("专家 %(n)s") % {"n": score.expert_no}
    return assignment.panel_member.user.full_name


round_list(
    "formal-reviews",
    _("形式审查结果"),
    lambda user, selection_round, params: selection_selectors.round_formal_reviews(
        user, selection_round
    ),
    page="selection:round-detail",
    columns=[
        Column("application.enterprise.name", _("企业名称")),
        Column("application.enterprise.uscc", _("统一社会信用代码")),
        Column("outcome", _("审查结论")),
        Column("failed_items", _("不符合项"), kind=INT),
        Column("reviewer.full_name", _("审查人")),
        Column("created_at", _("审查时间"), kind=DATETIME),
    ],
)

round_list(
    "panel-scores",
    _("专家评分明细"),
    lambda user, selection_round, params: selection_selectors.round_scores(user, selection_round),
    page="selection:panel-manage",
    manage=True,
    columns=[
        Column("sheet.assignment.application.enterprise.name", _("企业名称")),
        Column("expert", _("专家"), value=expert_label),
        Column("sheet.assignment.panel_member.affiliation", _("所属类型")),
        Column("criterion.name", _("评审维度")),
        Column("criterion.weight", _("权重（%）"), kind=DECIMAL),
        Column("value", _("得分"), kind=DECIMAL),
        Column("sheet.total", _("加权总分"), kind=DECIMAL),
        Column("sheet.submitted_at", _("提交时间"), kind=DATETIME),
    ],
)

round_list(
    "conflict-reports",
    _("利益冲突报告"),
    lambda user, selection_round, params: selection_selectors.round_conflict_reports(
        selection_round
    ),
    page="selection:panel-manage",
    manage=True,
    columns=[
        Column("application.enterprise.name", _("企业名称")),
        Column("panel_member.user.full_name", _("专家")),
        Column("kind", _("类型")),
        Column("detail", _("说明")),
        Column("status", _("状态")),
        Column("reported_at", _("报告时间"), kind=DATETIME),
        Column("decision_reason", _("处理理由")),
        Column("decided_at", _("处理时间"), kind=DATETIME),
    ],
)


def staff_policy(user, params):
    """The policy named by `policy=` if `user` (staff) sees it, else 404."""
    return get_object_or_404(Policy.objects.visible_to(user), pk=_id(params, "policy"))


GRANT = [
    Column("policy.title", _("政策名称")),
    Column("policy.kind", _("政策类型")),
    Column("policy.mode", _("兑现方式")),
    Column("policy.benefit_amount", _("兑现金额（元）"), kind=MONEY),
    Column("status", _("状态")),
    Column("matched_at", _("匹配时间"), kind=DATETIME),
    Column("notified_at", _("通知时间"), kind=DATETIME),
    Column("due_on", _("兑现期限"), kind=DATE),
    Column("delivered_at", _("兑现时间"), kind=DATETIME),
    Column("delivery_note", _("兑现说明"), default=False),
    Column("decline_reason", _("放弃原因"), default=False),
]

register(
    ExportSpec(
        name="grants",
        title=_("政策兑现"),
        queryset=lambda user, params: (
            policy_grants_filter(user, staff_policy(user, params), params).qs
        ),
        columns=[
            Column("enterprise.name", _("企业名称")),
            Column("enterprise.uscc", _("统一社会信用代码")),
            Column("enterprise.region.name", _("地区")),
            *GRANT,
        ],
        permission=is_staff,
        page=lambda params: ("policies:policy-detail", [params.get("policy")]),
        filter_labels=filterset_labels(GrantFilter, policy=(_("政策"), {})),
    )
)


filtered_list(
    "policy-grants",
    _("政策兑现（全部政策）"),
    GrantFilter,
    lambda user: (
        PolicyGrant.objects.visible_to(user)
        .select_related("policy", "enterprise__region")
        .order_by("due_on", "id")
    ),
    columns=[
        Column("enterprise.name", _("企业名称")),
        Column("enterprise.uscc", _("统一社会信用代码")),
        Column("enterprise.region.name", _("地区")),
        *GRANT,
    ],
    permission=is_staff,
    page="policies:policy-list",
)


def is_enterprise(user) -> bool:
    return user.is_authenticated and user.is_enterprise


register(
    ExportSpec(
        name="my-grants",
        title=_("政策匹配"),
        queryset=lambda user, params: my_grants(user, registry_selectors.own_enterprise(user)),
        columns=GRANT,
        permission=is_enterprise,
        page="policies:my-policies",
    )
)

register(
    ExportSpec(
        name="my-reports",
        title=_("年度监测报告"),
        queryset=lambda user, params: registry_selectors.own_reports(user),
        columns=[
            Column("year", _("年度"), kind=INT),
            Column("status", _("状态")),
            Column("revenue", _("营业收入"), kind=MONEY),
            Column("main_business_revenue", _("主营业务收入"), kind=MONEY),
            Column("net_profit", _("净利润"), kind=MONEY),
            Column("rd_expense", _("研发费用"), kind=MONEY),
            Column("employees", _("从业人员数"), kind=INT),
            Column("rd_staff", _("研发人员数"), kind=INT),
            Column("invention_patents", _("有效发明专利"), kind=INT),
            Column("software_copyrights", _("软件著作权"), kind=INT),
            Column("data_resources_registered", _("已登记数据资源"), kind=INT),
            Column("financing_this_year", _("本年股权融资额"), kind=MONEY),
            Column("cumulative_financing", _("累计股权融资额"), kind=MONEY),
            Column("valuation", _("最新投后估值"), kind=MONEY),
            Column("overseas_revenue", _("境外营业收入"), kind=MONEY, default=False),
            Column("submitted_at", _("报送时间"), kind=DATETIME),
        ],
        permission=is_enterprise,
        page="registry:report-list",
    )
)


def is_voucher_party(user) -> bool:
    """Staff, an enterprise's member or a provider's user: who the voucher lists serve (each
    sees its own rows through `visible_to`); anyone else is refused as the pages refuse."""
    return user.is_authenticated and (
        user.is_staff_reviewer or user.is_enterprise or is_provider_user(user)
    )


def staff_or_enterprise(user) -> bool:
    return is_staff(user) or is_enterprise(user)


PARTIES = ("program", "enterprise", "provider__organisation")
PARTY_COLUMNS = [
    Column("program.name", _("券种计划")),
    Column("program.kind", _("券种")),
    Column("enterprise.name", _("企业名称")),
    Column("enterprise.uscc", _("统一社会信用代码"), default=False),
    Column("provider.organisation.name", _("服务商")),
]


def _party_rows(model, *related):
    return lambda user: model.objects.visible_to(user).select_related(*PARTIES, *related)


filtered_list(
    "voucher-applications",
    _("券申请"),
    ApplicationFilter,
    _party_rows(VoucherApplication),
    columns=[
        Column("contract_number", _("合同编号")),
        *PARTY_COLUMNS,
        Column("contract_signed_on", _("合同签订日期"), kind=DATE),
        Column("contract_amount", _("合同金额（元）"), kind=MONEY),
        Column("amount_sought", _("申请金额（元）"), kind=MONEY),
        Column("status", _("状态")),
        Column("submitted_at", _("提交时间"), kind=DATETIME),
        Column("decided_at", _("审核时间"), kind=DATETIME, default=False),
        Column("reason", _("审核意见"), default=False),
    ],
    permission=is_voucher_party,
    page="vouchers:application-list",
)

filtered_list(
    "vouchers",
    _("券"),
    VoucherFilter,
    _party_rows(Voucher),
    columns=[
        Column("code", _("券号")),
        *PARTY_COLUMNS,
        Column("amount", _("券面金额（元）"), kind=MONEY),
        Column("claimed", _("已申领（元）"), kind=MONEY),
        Column("settled", _("已结算（元）"), kind=MONEY),
        Column("released", _("已释放（元）"), kind=MONEY, default=False),
        Column("ratio", _("适用比例"), kind=DECIMAL, default=False),
        Column("cap_year", _("计入年度"), kind=INT, default=False),
        Column("issued_at", _("发放时间"), kind=DATETIME),
        Column("expires_on", _("有效期至"), kind=DATE),
        Column("status", _("状态")),
    ],
    permission=is_voucher_party,
    page="vouchers:voucher-list",
)

filtered_list(
    "claims",
    _("兑付申领"),
    ClaimFilter,
    _party_rows(Claim, "voucher"),
    columns=[
        Column("invoice_number", _("发票号码")),
        Column("voucher.code", _("券号")),
        *PARTY_COLUMNS,
        Column("claimant", _("申领方")),
        Column("amount", _("申领金额（元）"), kind=MONEY),
        Column("usage_quantity", _("使用量"), kind=DECIMAL, default=False),
        Column("usage_unit", _("使用量单位"), default=False),
        Column("status", _("状态")),
        Column("filed_at", _("提交时间"), kind=DATETIME),
        Column("settle_due_on", _("结算期限"), kind=DATE),
        Column("settled_at", _("结算时间"), kind=DATETIME),
    ],
    permission=is_voucher_party,
    page="vouchers:claim-list",
)

filtered_list(
    "ledger",
    _("预算台账"),
    LedgerEntryFilter,
    lambda user: (
        LedgerEntry.objects.visible_to(user)
        .select_related("program", "voucher", "claim")
        .order_by("created_at", "id")
    ),
    columns=[
        Column("created_at", _("时间"), kind=DATETIME),
        Column("program.name", _("券种计划")),
        Column("voucher.code", _("券号")),
        Column("claim.invoice_number", _("发票号码")),
        Column("kind", _("类型")),
        Column("amount", _("金额（元）"), kind=MONEY),
    ],
    permission=is_voucher_party,
    page=lambda params: (
        ("vouchers:voucher-detail", [params.get("voucher")])
        if params.get("voucher")
        else ("vouchers:reconciliation", [])
    ),
)

filtered_list(
    "registry-entries",
    _("入库记录"),
    RegistryEntryFilter,
    lambda user: (
        RegistryEntry.objects.visible_to(user)
        .select_related("enterprise__region", "jurisdiction")
        .order_by("-admitted_on", "id")
    ),
    columns=[
        Column("enterprise.name", _("企业名称")),
        Column("enterprise.uscc", _("统一社会信用代码")),
        Column("enterprise.region.name", _("地区")),
        Column("tier", _("层级")),
        Column("category", _("入库类别")),
        Column("status", _("在库状态")),
        Column("admitted_on", _("入库日期"), kind=DATE),
        Column("left_on", _("出库日期"), kind=DATE),
        Column("jurisdiction.name", _("培育辖区"), default=False),
    ],
    permission=is_staff,
    page="registry:dashboard",
)

filtered_list(
    "service-records",
    _("服务记录"),
    ServiceRecordFilter,
    lambda user: ServiceRecord.objects.visible_to(user).select_related(
        "enterprise__region", "staff"
    ),
    columns=[
        Column("served_on", _("服务日期"), kind=DATE),
        Column("enterprise.name", _("企业名称")),
        Column("enterprise.region.name", _("地区")),
        Column("kind", _("服务类型")),
        Column("notes", _("服务内容")),
        Column("staff.full_name", _("服务人员")),
        Column("follow_up_on", _("跟进日期"), kind=DATE),
        Column("followed_up_at", _("已跟进"), kind=DATETIME),
    ],
    permission=staff_or_enterprise,
    page="registry:dashboard",
)
