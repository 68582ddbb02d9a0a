"""The lists of the measure apps that came later: scenarios (应用场景) and finance (投融资).

Each is the app's own list (its FilterSet over `visible_to`, sorted as its page or API
sorts it): a publisher exports its own, an institution what is shared with it, staff their
jurisdiction's. Who may export is who the app's pages serve (`party_of`).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from finance import filters as finance_filters
from finance import views as finance_views
from finance.models import CreditScore, FinancialProduct, FinancingNeed, Offer
from reports.exports.columns import count, day, firm, flag, money, number, text, when
from reports.exports.filters import AwardFilter, ScenarioExportFilter
from reports.exports.lists import filtered_list
from scenarios import filters as scenario_filters
from scenarios import views as scenario_views
from scenarios.models import Award, FirstPurchase, Response, Scenario
from scenarios.selectors import ROW_RELATED


def party(party_of):
    """The predicate of an app whose `party_of(user)` refuses (403) a role it does not serve."""

    def allowed(user) -> bool:
        if not user.is_authenticated:
            return False
        try:
            party_of(user)
        except PermissionDenied:
            return False
        return True

    return allowed


scenario_party = party(scenario_views.party_of)
finance_party = party(finance_views.party_of)


def rows(model, *related, order):
    """`model`'s rows the user sees, with `related` joined, in the page's order."""
    return lambda user: model.objects.visible_to(user).select_related(*related).order_by(*order)


filtered_list(
    "scenarios",
    _("应用场景"),
    ScenarioExportFilter,
    rows(Scenario, *ROW_RELATED, order=("deadline", "id")),
    columns=[
        text("title", _("场景名称")),
        text("scenario_list.publisher.organisation.name", _("发布单位")),
        text("scenario_list.title", _("所属清单"), default=False),
        text("kind", _("场景类型")),
        text("nature", _("清单类别")),
        text("industry", _("所属行业")),
        text("region.name", _("实施地区")),
        money("budget_min", _("预算下限（元）")),
        money("budget_max", _("预算上限（元）")),
        day("deadline", _("响应截止日期")),
        text("status", _("状态")),
        when("published_at", _("发布时间"), default=False),
    ],
    permission=scenario_party,
    page="scenarios:public-list",
)

filtered_list(
    "scenario-responses",
    _("揭榜方案"),
    scenario_filters.ResponseFilter,
    rows(Response, "scenario", "enterprise__region", order=("-updated_at", "-id")),
    columns=[
        text("scenario.title", _("场景名称")),
        *firm("enterprise"),
        money("price", _("报价（元）")),
        text("status", _("状态")),
        when("created_at", _("提交时间")),
        when("updated_at", _("更新时间"), default=False),
    ],
    permission=scenario_party,
    page="scenarios:response-list",
)

filtered_list(
    "scenario-awards",
    _("揭榜结果"),
    AwardFilter,
    rows(Award, "response__scenario", "response__enterprise__region", order=("-awarded_at", "-id")),
    columns=[
        text("response.scenario.title", _("场景名称")),
        *firm("response.enterprise"),
        text("form", _("揭榜形式")),
        money("amount", _("金额（元）")),
        day("starts_on", _("开始日期")),
        day("ends_on", _("结束日期")),
        text("product_name", _("产品或服务名称")),
        flag("new_product", _("首次采购的创新产品")),
        text("outcome", _("实施结果")),
        when("awarded_at", _("揭榜时间")),
    ],
    permission=scenario_party,
    page="scenarios:response-list",
)

filtered_list(
    "first-purchases",
    _("首购首用"),
    scenario_filters.FirstPurchaseFilter,
    rows(FirstPurchase, "enterprise__region", "buyer__organisation", order=("-created_at", "-id")),
    columns=[
        text("product_name", _("产品或服务名称")),
        *firm("enterprise"),
        text("buyer.organisation.name", _("采购单位")),
        money("amount", _("合同金额（元）")),
        day("purchased_on", _("采购日期")),
        flag("eligible", _("符合首购补贴条件")),
        money("subsidy", _("补贴金额（元）")),
        text("decision", _("审核结果")),
        when("created_at", _("登记时间"), default=False),
    ],
    permission=scenario_party,
    page="scenarios:review",
)

filtered_list(
    "financing-needs",
    _("融资需求"),
    finance_filters.NeedFilter,
    rows(FinancingNeed, "enterprise__region", order=("-created_at", "-id")),
    columns=[
        text("title", _("需求标题")),
        *firm("enterprise"),
        text("kind", _("融资方式")),
        money("amount", _("拟融资金额（元）")),
        count("term_months", _("期限（月）")),
        day("needed_by", _("期望到位日期")),
        text("status", _("状态")),
        text("outcome", _("结果")),
        when("published_at", _("发布时间"), default=False),
        when("closed_at", _("结束时间"), default=False),
    ],
    permission=finance_party,
    page="finance:need-list",
)

filtered_list(
    "financing-offers",
    _("融资报价"),
    finance_filters.OfferFilter,
    rows(
        Offer,
        "need__enterprise__region",
        "institution__organisation",
        "product",
        order=("-created_at", "-id"),
    ),  # fmt: skip
    columns=[
        text("need.title", _("需求标题")),
        *firm("need.enterprise"),
        text("institution.organisation.name", _("金融机构")),
        text("product.name", _("产品名称"), default=False),
        money("amount", _("金额（元）")),
        number("rate", _("年利率（%）")),
        count("term_months", _("期限（月）")),
        text("status", _("状态")),
        money("funded_amount", _("到位金额（元）")),
        day("funded_on", _("到位日期")),
        when("created_at", _("报价时间"), default=False),
    ],
    permission=finance_party,
    page="finance:need-list",
)

filtered_list(
    "financial-products",
    _("金融产品"),
    finance_filters.ProductFilter,
    rows(
        FinancialProduct,
        "institution__organisation",
        order=("institution__organisation__name", "name", "id"),
    ),  # fmt: skip
    columns=[
        text("name", _("产品名称")),
        text("institution.organisation.name", _("金融机构")),
        text("kind", _("产品类型")),
        money("min_amount", _("最低金额（元）")),
        money("max_amount", _("最高金额（元）")),
        number("min_rate", _("最低年利率（%）")),
        number("max_rate", _("最高年利率（%）")),
        count("min_term_months", _("最短期限（月）"), default=False),
        count("max_term_months", _("最长期限（月）"), default=False),
        flag("is_active", _("在售")),
    ],
    permission=finance_party,
    page="finance:product-list",
)

filtered_list(
    "credit-scores",
    _("信用评分"),
    finance_filters.CreditScoreFilter,
    lambda user: (
        CreditScore.objects.visible_to(user)
        .filter(scorecard__is_current=True)
        .select_related("enterprise__region", "scorecard")
        .order_by("enterprise_id")
    ),
    columns=[
        *firm("enterprise"),
        number("total", _("总分")),
        text("grade", _("信用等级")),
        count("scorecard.version", _("评分卡版本"), default=False),
        when("computed_at", _("计算时间")),
    ],
    permission=finance_party,
    page="finance:scorecards",
)
