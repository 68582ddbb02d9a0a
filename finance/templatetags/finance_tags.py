"""Finance explanations rendered in the reader's language: matching reasons and scorecard
factors are stored as data (finance.selectors, finance.scoring)."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conditions.explain import render_conditions
from finance.models import NeedKind, ProductKind, Stage
from registry.choices import Industry, Tier
from registry.models import FinancingSource

register = template.Library()

FACTOR_LABELS = {
    "tier": gettext_lazy("培育层级"),
    "labels": gettext_lazy("成长称号数"),
    "revenue_growth": gettext_lazy("营业收入增长率（%）"),
    "rd_intensity": gettext_lazy("研发投入强度（%）"),
    "invention_patents": gettext_lazy("发明专利（件）"),
    "software_copyrights": gettext_lazy("软件著作权（件）"),
    "data_resources": gettext_lazy("登记数据资源（项）"),
    "age_years": gettext_lazy("成立年限（年）"),
    "report_punctuality": gettext_lazy("年报按时报送率（%）"),
    "compliance_records": gettext_lazy("在册失信或违法违规记录（条）"),
    "vouchers_awards": gettext_lazy("数据/算力券与揭榜奖励（项）"),
}


@register.filter
def factor_label(key):
    return FACTOR_LABELS.get(key, key)


@register.filter
def factor_value(contribution):
    """A factor's value as read: a tier by its label, a missing one as 缺少数据."""
    value = contribution.get("value")
    if value is None:
        return _("缺少数据")
    if contribution.get("factor") == "tier":
        return Tier(value).label if value in Tier.values else value
    return value


@register.filter
def source_label(key):
    return FinancingSource(key).label if key in FinancingSource.values else key


def _yuan(value) -> str:
    return f"{float(value) / 10000:,.0f}"


@register.filter
def reason_text(reason) -> str:
    """One matching reason as a sentence in the active language."""
    rule, held = reason["rule"], reason["held"]
    verdict = _("满足") if held else _("不满足")
    if rule == "kind":
        text = _("产品类型“%(p)s”，需求为“%(n)s”") % {
            "p": ProductKind(reason["expected"]).label,
            "n": NeedKind(reason["actual"]).label,
        }
    elif rule == "amount":
        low, high = reason["expected"]
        text = _("金额 %(a)s 万元，产品范围 %(l)s–%(h)s 万元") % {
            "a": _yuan(reason["actual"]), "l": _yuan(low), "h": _yuan(high),
        }  # fmt: skip
    elif rule == "term":
        low, high = reason["expected"]
        text = _("期限 %(t)s 个月，产品范围 %(l)s–%(h)s 个月") % {
            "t": reason["actual"], "l": low, "h": high,
        }  # fmt: skip
    elif rule == "industry":
        text = _("行业“%(i)s”，产品关注：%(e)s") % {
            "i": Industry(reason["actual"]).label,
            "e": "、".join(str(Industry(v).label) for v in reason["expected"]),
        }
    elif rule == "region":
        where, area = reason["actual"], reason["expected"]
        text = (
            _("企业位于%(r)s，机构服务范围：%(a)s") % {"r": where, "a": area}
            if area
            else _("企业位于%(r)s，机构服务全国") % {"r": where}
        )
    elif rule == "stage":
        ordered = sorted(reason["expected"], key=Stage.values.index)  # seed first
        stages = "、".join(str(Stage(v).label) for v in ordered)
        sought = reason["actual"]
        text = (
            _("本轮为%(s)s，产品投资阶段：%(e)s") % {"s": Stage(sought).label, "e": stages}
            if sought
            else _("需求未填写融资轮次，产品投资阶段：%(e)s") % {"e": stages}
        )
    elif rule == "ip":
        text = _("知识产权质押：需有可质押的知识产权")
    elif rule == "data_assets":
        text = _("数据资产质押：需有已登记的数据资产")
    else:
        items = render_conditions(reason.get("items", []))
        text = _("产品准入条件：%(c)s") % {"c": "；".join(items)}
    return f"{text}（{verdict}）"


@register.filter
def factor_value_tier(tier):
    return Tier(tier).label if tier in Tier.values else _("未入库")


@register.filter
def offer_status_label(status):
    from finance.models import OfferStatus

    return OfferStatus(status).label if status in OfferStatus.values else status
