"""Matching a need to products: the institution's service area (its organisation's
region) and, for equity, the product's stages against the round the need raises, each
with its reason in words; a product that misses one ranks below those that fit."""

from decimal import Decimal

import pytest

from finance.selectors import matching_products
from finance.services.institutions import add_product
from finance.templatetags.finance_tags import reason_text
from tests.finance.factories import institution_user, need, world

pytestmark = pytest.mark.django_db
W = Decimal("10000")


def equity(institution, user, name, stages):
    return add_product(institution, actor=user, name=name, kind="equity", min_amount=100 * W,
                       max_amount=5000 * W, stages=stages)  # fmt: skip


def credit(institution, user, name):
    return add_product(institution, actor=user, name=name, kind="credit", min_amount=100 * W,
                       max_amount=1000 * W, min_rate=Decimal(3), max_rate=Decimal(4))  # fmt: skip


def rows_of(n, user):
    return {r["product"].name: r for r in matching_products(n, user)}


def reason(row, rule):
    return next(r for r in row["reasons"] if r["rule"] == rule)


def test_region_the_institution_serves():
    w = world("330100")  # 杭州; w.bank is in 浙江省 (330000)
    beijing, beijing_user = institution_user(region_code="110000")
    national, national_user = institution_user(region_code="000000")
    credit(w.bank, w.banker, "浙江信用贷")
    credit(beijing, beijing_user, "北京信用贷")
    credit(national, national_user, "全国信用贷")
    n = need(w)
    here = rows_of(n, w.member)
    assert reason(here["浙江信用贷"], "region")["held"] is True
    assert reason(here["全国信用贷"], "region")["held"] is True
    far = reason(here["北京信用贷"], "region")
    assert far["held"] is False
    assert reason_text(far) == "企业位于杭州市，机构服务范围：北京市（不满足）"
    assert reason_text(reason(here["浙江信用贷"], "region")) == (
        "企业位于杭州市，机构服务范围：浙江省（满足）"
    )
    ranked = [r["product"].name for r in matching_products(n, w.member)]
    assert ranked.index("北京信用贷") > max(ranked.index("浙江信用贷"), ranked.index("全国信用贷"))
    assert not here["北京信用贷"]["fits"] and here["浙江信用贷"]["fits"]


def test_equity_stage_against_the_round_sought():
    w = world("330100")
    investor, investor_user = institution_user("investment", region_code="330000")
    equity(investor, investor_user, "早期计划", ["angel", "a"])
    equity(investor, investor_user, "成长计划", ["b", "c_plus"])
    round_a = need(w, kind="equity", stage="a", term_months=None)
    rows = rows_of(round_a, w.member)
    early, later = reason(rows["早期计划"], "stage"), reason(rows["成长计划"], "stage")
    assert (early["held"], later["held"]) == (True, False)
    assert reason_text(early) == "本轮为A 轮，产品投资阶段：天使轮、A 轮（满足）"
    assert reason_text(later) == "本轮为A 轮，产品投资阶段：B 轮、C 轮及以后（不满足）"
    ranked = [r["product"].name for r in matching_products(round_a, w.member)]
    assert ranked.index("早期计划") < ranked.index("成长计划")

    unstated = rows_of(need(w, kind="equity", term_months=None), w.member)
    missing = reason(unstated["早期计划"], "stage")
    assert missing["held"] is False
    assert reason_text(missing) == "需求未填写融资轮次，产品投资阶段：天使轮、A 轮（不满足）"


def test_a_debt_need_is_not_asked_for_a_stage():
    w = world("330100")
    credit(w.bank, w.banker, "信用贷")
    rows = rows_of(need(w), w.member)
    assert "stage" not in {r["rule"] for r in rows["信用贷"]["reasons"]}
