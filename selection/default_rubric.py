"""The default indicator rubric (默认指标评分表) for the annual selection.

Modelled on the *shape* of MIIT's 创新型中小企业评价标准 (annex to 优质中小企业
梯度培育管理暂行办法, 工信部企业〔2022〕63号): indicators in groups, banded points
adding up to 100, qualification at 60 points, and direct-pass conditions
(直通条件) that count as meeting the indicator requirement. The bands and points
below are this portal's own defaults for digital-economy enterprises, NOT the
official MIIT table; a round may replace them (see selection.indicators).

Each band is (lower, upper, points): lower <= value < upper, None open-ended.
Group minimums are this portal's addition (MIIT has none) so that a high total
cannot hide a missing leg.

创新能力 innovation (50 points, minimum 15)
    rd_intensity 研发投入强度, latest year, % of revenue (MIIT: 3/6/8/10% steps)
        ≥10 → 20, 6–10 → 15, 3–6 → 10, 1–3 → 5, below 1 → 0
    ip_count 知识产权折算数 = invention patents + 0.2 × software copyrights
        ≥10 → 15, 5–10 → 12, 2–5 → 9, 1–2 → 6, 0.2–1 (one copyright) → 3
    rd_staff_share 研发人员占比, latest year, % of employees
        ≥30 → 15, 20–30 → 12, 10–20 → 8, 5–10 → 4
成长性 growth (35 points, minimum 10)
    revenue_growth 营业收入复合增长率 over the years provided (MIIT: 0/5/10/15% steps)
        ≥20 → 20, 10–20 → 15, 5–10 → 10, 0–5 → 5, negative → 0
    main_business_share 主营业务收入占比, latest year (focus on the main business)
        ≥90 → 15, 70–90 → 10, 50–70 → 5
    The minimum can be met by the main-business share alone, so an enterprise with
    a single year of figures (growth not computable) can still pass.
专业化与经营稳健 soundness (15 points, minimum 8)
    debt_ratio 资产负债率, latest year, lower is better (MIIT: 55% / 75% steps)
        below 55 → 15, 55–75 → 8, ≥75 → 0
    The minimum of 8 means: a debt ratio of 75% or more fails the selection.

Direct pass (any one; MIIT's 直通条件 list these among others):
    award            a provincial- or national-level S&T award (facts["award_level"])
    rd_institution   a recognised provincial-or-above R&D institution (facts["rd_institution"])
    equity_financing ≥ 5,000,000 yuan qualified equity financing in the last three years
"""

import copy
from decimal import Decimal as D

GROUPS = (
    {"code": "innovation", "name": "创新能力", "minimum": D(15)},
    {"code": "growth", "name": "成长性", "minimum": D(10)},
    {"code": "soundness", "name": "专业化与经营稳健", "minimum": D(8)},
)

INDICATORS = (
    {
        "code": "rd_intensity",
        "name": "研发投入强度",
        "group": "innovation",
        "metric": "rd_intensity",
        "bands": (
            (D(10), None, D(20)),
            (D(6), D(10), D(15)),
            (D(3), D(6), D(10)),
            (D(1), D(3), D(5)),
        ),
    },
    {
        "code": "ip",
        "name": "知识产权（发明专利 + 软件著作权折算）",
        "group": "innovation",
        "metric": "ip_count",
        "bands": (
            (D(10), None, D(15)),
            (D(5), D(10), D(12)),
            (D(2), D(5), D(9)),
            (D(1), D(2), D(6)),
            (D("0.2"), D(1), D(3)),
        ),
    },
    {
        "code": "rd_staff_share",
        "name": "研发人员占比",
        "group": "innovation",
        "metric": "rd_staff_share",
        "bands": (
            (D(30), None, D(15)),
            (D(20), D(30), D(12)),
            (D(10), D(20), D(8)),
            (D(5), D(10), D(4)),
        ),
    },
    {
        "code": "revenue_growth",
        "name": "营业收入复合增长率",
        "group": "growth",
        "metric": "revenue_growth",
        "bands": (
            (D(20), None, D(20)),
            (D(10), D(20), D(15)),
            (D(5), D(10), D(10)),
            (D(0), D(5), D(5)),
        ),
    },
    {
        "code": "main_business_share",
        "name": "主营业务收入占比",
        "group": "growth",
        "metric": "main_business_share",
        "bands": ((D(90), None, D(15)), (D(70), D(90), D(10)), (D(50), D(70), D(5))),
    },
    {
        "code": "debt_ratio",
        "name": "资产负债率",
        "group": "soundness",
        "metric": "debt_ratio",
        "bands": ((None, D(55), D(15)), (D(55), D(75), D(8)), (D(75), None, D(0))),
    },
)

DIRECT_PASS = (
    {
        "code": "award",
        "label": "获得省级及以上科技奖励",
        "kind": "award",
        "threshold": "provincial",
    },
    {
        "code": "rd_institution",
        "label": "拥有经认定的省级及以上研发机构",
        "kind": "rd_institution",
        "threshold": None,
    },
    {
        "code": "equity_financing",
        "label": "近三年合格股权融资额不低于 500 万元",
        "kind": "equity_financing",
        "threshold": D(5_000_000),
    },
)

DEFAULT_RUBRIC = {
    "groups": GROUPS,
    "indicators": INDICATORS,
    "pass_mark": D(60),
    "direct_pass": DIRECT_PASS,
}


def default_rubric() -> dict:
    """A fresh, mutable copy (lists, not tuples, except each band) of the default rubric."""
    return {
        "groups": [dict(group) for group in GROUPS],
        "indicators": [
            {**indicator, "bands": list(indicator["bands"])} for indicator in INDICATORS
        ],
        "pass_mark": DEFAULT_RUBRIC["pass_mark"],
        "direct_pass": copy.deepcopy(list(DIRECT_PASS)),
    }
