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
from registry.list_filters import (
    RegistryEntryFilter,
    ServiceRecordFilter,
    entry_rows,
    service_rows,
)
from reports.exports.columns import count, day, firm, flag, money, number, text, when
from reports.exports.filters import DeliveryGrantFilter
from reports.exports.spec import ExportSpec, filterset_labels, register
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
    text("name", _("企业名称")),
    text("uscc", _("统一社会信用代码")),
    text("region.code", _("地区代码")),
    text("region.name", _("地区")),
    text("industry", _("所属行业")),
    text("category", _("创新类型")),
    text("registry_entry.tier", _("层级")),
    text("registry_entry.status", _("入库状态")),
    text("size", _("企业规模")),
    day("founded_on", _("成立日期")),
    text("listing_status", _("上市状态"), default=False),
    text("verification_status", _("认证状态"), default=False),
    text("contact_name", _("联系人"), default=False),
    text("contact_phone", _("联系电话"), default=False),
    text("contact_email", _("联系邮箱"), default=False),
    text("website", _("网站"), default=False),
    day("registry_entry.admitted_on", _("入库日期"), default=False),
    when("created_at", _("登记时间"), default=False),
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
            text("name", _("企业名称")),
            text("uscc", _("统一社会信用代码")),
            text("region.name", _("地区")),
            text("verification_status", _("认证状态")),
            when("created_at", _("登记时间")),
            when("updated_at", _("更新时间")),
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
            *firm("enterprise", region=False),
            text("from_region.name", _("迁出地区")),
            text("to_region.name", _("迁入地区")),
            text("requested_by.full_name", _("申请人")),
            text("reason", _("说明")),
            text("status", _("状态")),
            text("decision_reason", _("审核意见")),
            when("created_at", _("申请时间")),
            when("decided_at", _("审核时间")),
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
            when("created_at", _("时间")),
            text("actor_label", _("操作人")),
            text("action", _("操作代码")),
            text("action_label", _("操作"), value=lambda e: action_label(e.action)),
            text("object_repr", _("对象")),
            text("ip_address", "IP"),
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
            text("title", _("政策名称")),
            text("department", _("发布部门")),
            text("jurisdiction.name", _("适用地区")),
            text("kind", _("政策类型")),
            text("mode", _("兑现方式")),
            money("benefit_amount", _("兑现金额（元）")),
            day("valid_from", _("有效期起")),
            day("valid_until", _("有效期止")),
            text("status", _("状态")),
            count("grant_count", _("匹配企业数")),
            count("overdue_count", _("逾期未兑现")),
            when("published_at", _("发布时间"), default=False),
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
            text("code", _("登记编号")),
            text("name", _("资源名称")),
            text("enterprise.name", _("企业名称")),
            text("enterprise.region.name", _("地区")),
            text("domain", _("数据领域")),
            number("volume", _("数据规模")),
            text("volume_unit", _("规模单位")),
            text("update_cycle", _("更新频率")),
            text("security_level", _("安全级别")),
            text("status", _("状态")),
            day("notice_ends_on", _("公示截止"), default=False),
            when("created_at", _("申请时间")),
            when("coded_at", _("赋码时间"), default=False),
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
            *firm("entry.enterprise"),
            count("year", _("报告年度")),
            text("kind", _("调整类型")),
            text("from_tier", _("原层级")),
            text("to_tier", _("建议层级")),
            text("status", _("状态")),
            text("appeal.status", _("申诉")),
            text("decision_reason", _("处理意见"), default=False),
            when("decided_at", _("处理时间"), default=False),
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
        *firm("enterprise"),
        text("category", _("申报类别")),
        text("tier_sought", _("申报层级")),
        text("size", _("企业规模")),
        text("status", _("状态")),
        when("submitted_at", _("提交时间")),
        number("indicator_score", _("指标得分")),
        flag("indicator_passed", _("指标达标")),
        flag("direct_pass", _("直通")),
        number("panel_score", _("专家评分"), default=False),
        number("final_score", _("综合得分"), default=False),
    ],
)

round_list(
    "tiering-results",
    _("分级结果"),
    lambda user, selection_round, params: selection_selectors.round_results(selection_round),
    page="selection:results",
    manage=True,
    columns=[
        *firm("enterprise"),
        text("category", _("申报类别")),
        text("tier_sought", _("申报层级")),
        number("indicator_score", _("指标得分")),
        number("panel_score", _("专家评分")),
        number("final_score", _("综合得分")),
        text("proposed_tier", _("拟定层级")),
        text("status", _("状态")),
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
        text("application.enterprise.name", _("企业名称")),
        text("filed_by.full_name", _("提出人")),
        text("reason", _("异议理由")),
        text("status", _("状态")),
        text("reply", _("处理意见")),
        when("created_at", _("提出时间")),
        when("resolved_at", _("处理时间")),
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
        *firm("application.enterprise", region=False),
        text("outcome", _("审查结论")),
        count("failed_items", _("不符合项")),
        text("reviewer.full_name", _("审查人")),
        when("created_at", _("审查时间")),
    ],
)

round_list(
    "panel-scores",
    _("专家评分明细"),
    lambda user, selection_round, params: selection_selectors.round_scores(user, selection_round),
    page="selection:panel-manage",
    manage=True,
    columns=[
        text("sheet.assignment.application.enterprise.name", _("企业名称")),
        text("expert", _("专家"), value=expert_label),
        text("sheet.assignment.panel_member.affiliation", _("所属类型")),
        text("criterion.name", _("评审维度")),
        number("criterion.weight", _("权重（%）")),
        number("value", _("得分")),
        number("sheet.total", _("加权总分")),
        when("sheet.submitted_at", _("提交时间")),
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
        text("application.enterprise.name", _("企业名称")),
        text("panel_member.user.full_name", _("专家")),
        text("kind", _("类型")),
        text("detail", _("说明")),
        text("status", _("状态")),
        when("reported_at", _("报告时间")),
        text("decision_reason", _("处理理由")),
        when("decided_at", _("处理时间")),
    ],
)


def staff_policy(user, params):
    """The policy named by `policy=` if `user` (staff) sees it, else 404."""
    return get_object_or_404(Policy.objects.visible_to(user), pk=_id(params, "policy"))


GRANT = [
    text("policy.title", _("政策名称")),
    text("policy.kind", _("政策类型")),
    text("policy.mode", _("兑现方式")),
    money("policy.benefit_amount", _("兑现金额（元）")),
    text("status", _("状态")),
    when("matched_at", _("匹配时间")),
    when("notified_at", _("通知时间")),
    day("due_on", _("兑现期限")),
    when("delivered_at", _("兑现时间")),
    text("delivery_note", _("兑现说明"), default=False),
    text("decline_reason", _("放弃原因"), default=False),
]

register(
    ExportSpec(
        name="grants",
        title=_("政策兑现"),
        queryset=lambda user, params: (
            policy_grants_filter(user, staff_policy(user, params), params).qs
        ),
        columns=[
            *firm("enterprise"),
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
    DeliveryGrantFilter,
    lambda user: (
        PolicyGrant.objects.visible_to(user)
        .select_related("policy", "enterprise__region")
        .order_by("due_on", "id")
    ),
    columns=[
        *firm("enterprise"),
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
            count("year", _("年度")),
            text("status", _("状态")),
            money("revenue", _("营业收入")),
            money("main_business_revenue", _("主营业务收入")),
            money("net_profit", _("净利润")),
            money("rd_expense", _("研发费用")),
            count("employees", _("从业人员数")),
            count("rd_staff", _("研发人员数")),
            count("invention_patents", _("有效发明专利")),
            count("software_copyrights", _("软件著作权")),
            count("data_resources_registered", _("已登记数据资源")),
            money("financing_this_year", _("本年股权融资额")),
            money("cumulative_financing", _("累计股权融资额")),
            money("valuation", _("最新投后估值")),
            money("overseas_revenue", _("境外营业收入"), default=False),
            when("submitted_at", _("报送时间")),
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
    text("program.name", _("券种计划")),
    text("program.kind", _("券种")),
    *firm("enterprise", uscc="optional", region=False),
    text("provider.organisation.name", _("服务商")),
]


def _party_rows(model, *related):
    return lambda user: model.objects.visible_to(user).select_related(*PARTIES, *related)


filtered_list(
    "voucher-applications",
    _("券申请"),
    ApplicationFilter,
    _party_rows(VoucherApplication),
    columns=[
        text("contract_number", _("合同编号")),
        *PARTY_COLUMNS,
        day("contract_signed_on", _("合同签订日期")),
        money("contract_amount", _("合同金额（元）")),
        money("amount_sought", _("申请金额（元）")),
        text("status", _("状态")),
        when("submitted_at", _("提交时间")),
        when("decided_at", _("审核时间"), default=False),
        text("reason", _("审核意见"), default=False),
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
        text("code", _("券号")),
        *PARTY_COLUMNS,
        money("amount", _("券面金额（元）")),
        money("claimed", _("已申领（元）")),
        money("settled", _("已结算（元）")),
        money("released", _("已释放（元）"), default=False),
        number("ratio", _("适用比例"), default=False),
        count("cap_year", _("计入年度"), default=False),
        when("issued_at", _("发放时间")),
        day("expires_on", _("有效期至")),
        text("status", _("状态")),
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
        text("invoice_number", _("发票号码")),
        text("voucher.code", _("券号")),
        *PARTY_COLUMNS,
        text("claimant", _("申领方")),
        money("amount", _("申领金额（元）")),
        number("usage_quantity", _("使用量"), default=False),
        text("usage_unit", _("使用量单位"), default=False),
        text("status", _("状态")),
        when("filed_at", _("提交时间")),
        day("settle_due_on", _("结算期限")),
        when("settled_at", _("结算时间")),
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
        when("created_at", _("时间")),
        text("program.name", _("券种计划")),
        text("voucher.code", _("券号")),
        text("claim.invoice_number", _("发票号码")),
        text("kind", _("类型")),
        money("amount", _("金额（元）")),
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
    entry_rows,
    columns=[
        *firm("enterprise"),
        text("tier", _("层级")),
        text("category", _("入库类别")),
        text("status", _("在库状态")),
        day("admitted_on", _("入库日期")),
        day("left_on", _("出库日期")),
        text("jurisdiction.name", _("培育辖区"), default=False),
    ],
    permission=is_staff,
    page="registry:entry-list",
)

filtered_list(
    "service-records",
    _("服务记录"),
    ServiceRecordFilter,
    service_rows,
    columns=[
        day("served_on", _("服务日期")),
        text("enterprise.name", _("企业名称")),
        text("enterprise.region.name", _("地区")),
        text("kind", _("服务类型")),
        text("notes", _("服务内容")),
        text("staff.full_name", _("服务人员")),
        day("follow_up_on", _("跟进日期")),
        when("followed_up_at", _("已跟进")),
    ],
    permission=staff_or_enterprise,
    page="registry:service-list",
)
