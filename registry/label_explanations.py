"""Growth-label reasons as data (registry/growth_labels.py), and their sentences in the
reader's language.

One item per condition, keys and figures only (amounts in yuan and dollars as plain
decimal strings, dates ISO):

    {"key": "listing", "status": "star", "allowed": ["unlisted"], "held": false}
    {"key": "age", "band": 1 | null, "age": 4, "founded_on": "...", "as_of": "...",
     "over": null, "at_most": 5, "held": true}
    {"key": "valuation", "band": 1 | null, "value": "400000000" | null, "rate": "7.10",
     "at_least_usd": "50000000", "below_usd": null, "held": true}
    {"key": "gazelle.base", ...}, {"key": "gazelle.cagr", ...}, {"key": "gazelle.no_base", ...}
    {"key": "exclusive", "winner": "unicorn", "order": ["unicorn", "prospective_unicorn"]}

{"legacy_text": "..."} is a sentence a migration could not read back, shown as it was.
"""

from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

LABEL_NAMES = {
    "unicorn": gettext_lazy("独角兽"),
    "prospective_unicorn": gettext_lazy("潜在独角兽"),
    "gazelle": gettext_lazy("瞪羚"),
}


def _money(value) -> str:
    return f"{Decimal(value):,.2f}"


def _verdict(held):
    return pgettext("condition", "满足") if held else pgettext("condition", "不满足")


def _prefix(item):
    return _("条件%(n)s：") % {"n": item["band"]} if item.get("band") else ""


def _listing(item):
    return _("上市状态为 %(status)s，要求未上市（%(allowed)s）：%(verdict)s") % {
        "status": item["status"],
        "allowed": pgettext("list separator", "、").join(item["allowed"]),
        "verdict": _verdict(item["held"]),
    }


def _age(item):
    if item["age"] >= 0:
        age = _("成立满 %(age)s 年") % {"age": item["age"]}
    else:
        age = _("评估日早于成立日期")
    figures = {
        "prefix": _prefix(item),
        "age": age,
        "founded": item["founded_on"],
        "as_of": item["as_of"],
        "over": item.get("over"),
        "at_most": item["at_most"],
        "verdict": _verdict(item["held"]),
    }
    if item.get("over") is None:
        return (
            _(
                "%(prefix)s%(age)s（%(founded)s 成立，评估日 %(as_of)s），"
                "要求不超过 %(at_most)s 年：%(verdict)s"
            )
            % figures
        )
    return (
        _(
            "%(prefix)s%(age)s（%(founded)s 成立，评估日 %(as_of)s），"
            "要求超过 %(over)s 年且不超过 %(at_most)s 年：%(verdict)s"
        )
        % figures
    )


def _valuation(item):
    rate = Decimal(item["rate"])
    low_usd = Decimal(item["at_least_usd"])
    wanted = _("≥ %(usd)s 美元（%(yuan)s 元）") % {
        "usd": _money(low_usd),
        "yuan": _money(low_usd * rate),
    }
    if item.get("below_usd") is not None:
        high_usd = Decimal(item["below_usd"])
        wanted += _("且 < %(usd)s 美元（%(yuan)s 元）") % {
            "usd": _money(high_usd),
            "yuan": _money(high_usd * rate),
        }
    if item.get("value") is None:
        shown = _("无投后估值数据")
    else:
        value = Decimal(item["value"])
        shown = _("投后估值 %(yuan)s 元（约 %(usd)s 美元）") % {
            "yuan": _money(value),
            "usd": _money(value / rate),
        }
    return _("%(prefix)s%(shown)s，按汇率 %(rate)s 元/美元，要求 %(wanted)s：%(verdict)s") % {
        "prefix": _prefix(item),
        "shown": shown,
        "rate": item["rate"],
        "wanted": wanted,
        "verdict": _verdict(item["held"]),
    }


def _refused(why):
    return _("%(why)s，无法计算复合增长率（不可计算），不认定") % {"why": why}


def _cagr(item):
    return _(
        "%(base_year)s—%(latest_year)s 年营业收入（%(base)s 元 → %(latest)s 元）"
        "%(years)s 年复合增长率 %(cagr)s%%（保留两位小数，四舍五入），要求 ≥ %(min)s%%：%(verdict)s"
    ) % {
        "base_year": item["base_year"],
        "latest_year": item["latest_year"],
        "base": _money(item["base"]),
        "latest": _money(item["latest"]),
        "years": item["years"],
        "cagr": item["cagr"],
        "min": item["min"],
        "verdict": _verdict(item["held"]),
    }


def _exclusive(item):
    names = pgettext("list separator", "、").join(str(LABEL_NAMES[n]) for n in item["order"])
    return _("已认定为%(winner)s（%(names)s只认定其一，按此顺序优先），不认定") % {
        "winner": LABEL_NAMES[item["winner"]],
        "names": names,
    }


SENTENCES = {
    "listing": _listing,
    "age": _age,
    "valuation": _valuation,
    "gazelle.no_revenue": lambda item: _refused(
        _("%(year)s 年及以前无营业收入数据") % {"year": item["year"]}
    ),
    "gazelle.no_base": lambda item: _refused(
        _("最近年度为 %(latest)s 年，缺少基期 %(base)s 年营业收入") % item
    ),
    "gazelle.base_not_positive": lambda item: _refused(
        _("基期 %(year)s 年营业收入为 %(revenue)s 元（≤ 0）")
        % {"year": item["year"], "revenue": _money(item["revenue"])}
    ),
    "gazelle.latest_negative": lambda item: _refused(
        _("%(year)s 年营业收入为 %(revenue)s 元（< 0）")
        % {"year": item["year"], "revenue": _money(item["revenue"])}
    ),
    "gazelle.base": lambda item: (
        _("基期 %(year)s 年营业收入 %(revenue)s 元，要求 ≥ %(min)s 元：%(verdict)s")
        % {
            "year": item["year"],
            "revenue": _money(item["revenue"]),
            "min": _money(item["min"]),
            "verdict": _verdict(item["held"]),
        }
    ),
    "gazelle.cagr": _cagr,
    "exclusive": _exclusive,
    "not_in_registry": lambda item: _("不在培育库中（未入库或已退出、毕业），不保留称号"),
}


def render_reason(item: dict, language: str | None = None) -> str:
    """One stored reason as a sentence in the active language (or `language`)."""
    if language:
        with translation.override(language):
            return render_reason(item)
    if "legacy_text" in item:
        return item["legacy_text"]
    return SENTENCES[item["key"]](item)


def render_reasons(items, language: str | None = None) -> list[str]:
    """A label decision's (or award's) reasons, one sentence each."""
    if language:
        with translation.override(language):
            return render_reasons(items)
    return [render_reason(item) for item in items or []]
