"""An adjustment proposal's reasons as data, and their sentences in the reader's language.

The rules (adjustment/rules.py) store one item per reason, keys and figures only:

    {"key": "exit.record", "record": "dishonesty", "on": "2025-09-01", "source": "..."}
    {"key": "exit.moved", "jurisdiction": "浙江省"}            (a proper name)
    {"key": "exit.missing_reports", "years": [2024, 2025]}
    {"key": "graduate.listed", "listing": "star"}
    {"key": "upgrade.meets", "year": 2025, "tier": "growth"}   followed by its conditions
    {"key": "downgrade.failing_years", "tier": "growth", "years": [2024, 2025]}
    {"key": "downgrade.year", "year": 2024, "conditions": [<condition items>]}
    {"key": "request.exit", "reason": "<what the enterprise wrote>"}

An item without "key" is a condition item (conditions/explain.py); {"legacy_text": ...}
is a sentence a migration could not read back, shown as it was.
"""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from conditions.explain import render_condition, render_conditions
from registry.choices import ListingStatus, RecordKind, Tier


def _label(choices, value):
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _years(years):
    return pgettext("list separator", "、").join(_("%(year)s 年度") % {"year": y} for y in years)


def _exit_record(item):
    return _("%(record)s：%(date)s，来源：%(source)s") % {
        "record": _label(RecordKind, item["record"]),
        "date": item["on"],
        "source": item["source"],
    }


def _downgrade_year(item):
    texts = render_conditions(item.get("conditions"))
    return _("%(year)s 年度：%(conditions)s") % {
        "year": item["year"],
        "conditions": pgettext("clause separator", "；").join(texts),
    }


SENTENCES = {
    "exit.record": _exit_record,
    "exit.moved": lambda item: _("企业注册地已迁出培育辖区（%(jurisdiction)s）") % item,
    "exit.missing_reports": lambda item: (
        _("连续 %(n)s 年未报送年度监测报告（%(years)s）")
        % {"n": len(item["years"]), "years": _years(item["years"])}
    ),
    "graduate.listed": lambda item: (
        _("企业已上市（%(listing)s），从培育库毕业")
        % {"listing": _label(ListingStatus, item["listing"])}
    ),
    "upgrade.meets": lambda item: (
        _("%(year)s 年度数据满足%(tier)s条件")
        % {"year": item["year"], "tier": _label(Tier, item["tier"])}
    ),
    "downgrade.failing_years": lambda item: (
        _("连续 %(n)s 年不满足%(tier)s条件")
        % {"n": len(item["years"]), "tier": _label(Tier, item["tier"])}
    ),
    "downgrade.year": _downgrade_year,
    "request.exit": lambda item: _("企业申请退出：%(reason)s") % item,
}


def render_reason(item: dict, language: str | None = None) -> str:
    """One stored reason as a sentence in the active language (or `language`)."""
    if language:
        with translation.override(language):
            return render_reason(item)
    if "key" not in item:
        return render_condition(item)
    return SENTENCES[item["key"]](item)


def render_reasons(items, language: str | None = None) -> list[str]:
    """A proposal's reasons, one sentence each."""
    if language:
        with translation.override(language):
            return render_reasons(items)
    return [render_reason(item) for item in items or []]
