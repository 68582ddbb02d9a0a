"""What a new round starts from when there is no earlier round to copy."""

from decimal import Decimal

from registry.choices import Tier

PANEL_CRITERIA = [
    ("技术创新能力", "核心技术的先进性、自主可控程度与研发体系。", Decimal("30")),
    ("数据要素价值", "数据资源的获取、治理、流通与价值实现能力。", Decimal("25")),
    ("应用场景与市场", "产品在真实场景中的落地情况、客户与市场空间。", Decimal("20")),
    ("团队与治理", "核心团队、合规经营与内部治理。", Decimal("10")),
    ("成长潜力", "商业模式、融资能力与未来三年成长预期。", Decimal("15")),
]

TIER_RULES = [
    # tier, minimum final score, minimum last-year revenue (yuan), minimum age (years)
    (Tier.LEADING, Decimal("85"), Decimal("100000000"), 3),
    (Tier.GROWTH, Decimal("75"), Decimal("20000000"), 2),
    (Tier.POTENTIAL, Decimal("60"), None, None),
]

CHECKLIST = [
    "申报主体在本辖区依法登记注册，统一社会信用代码有效",
    "近三年主要经济指标填报完整、口径一致",
    "附件齐全（营业执照、财务报表或审计报告、知识产权证明）且清晰可辨",
    "近三年无重大安全、质量事故和严重违法失信记录",
    "已签署真实性承诺",
]
