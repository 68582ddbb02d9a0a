"""Two-way matching: the score and its reasons on worked examples, both directions."""

import datetime

import pytest
from django.utils import timezone
from django.utils.translation import override

from registry.models import LabelAward
from scenarios.matching import (
    enterprise_pool,
    recommend_enterprises,
    recommend_scenarios,
)
from scenarios.services import scenarios as scenario_services
from tests.factories import BureauUserFactory, enterprise_user, registry_enterprise
from tests.scenarios.factories import (
    approved_publisher,
    award,
    make_response,
    make_scenario,
)

pytestmark = pytest.mark.django_db


def _world():
    publisher, user, staff = approved_publisher()
    scenario = make_scenario(publisher, user, staff, title="城市大脑人工智能场景")
    # A: tech, 数字技术应用业, 杭州, growth, a gazelle: 25 + 20 + 15 + 7 + 5 = 72.
    a = registry_enterprise("330100", tier="growth", category="tech", industry="03", name="甲科技")
    LabelAward.objects.create(enterprise=a, label="gazelle", granted_on=datetime.date(2026, 1, 5),
                              source="test")  # fmt: skip
    # B: data, 数字产品服务业, 宁波, potential: 8 + 4 = 12, below the threshold.
    b = registry_enterprise("330200", category="data", industry="02", name="乙数据")
    return publisher, user, staff, scenario, a, b


def test_scenario_for_enterprise_scores_each_point_with_its_reason():
    _p, _u, _s, scenario, a, _b = _world()
    [match] = recommend_scenarios(a)
    assert match.obj == scenario and match.score == 72
    assert [(r["code"], r["points"]) for r in match.reasons] == [
        ("kind", 25), ("industry", 20), ("region_same", 15), ("tier", 7), ("labels", 5),
    ]  # fmt: skip
    with override("zh-hans"):
        assert match.described == [
            "场景类型“技术应用新场景”与企业创新类型“数字技术创新”相符（+25 分）",
            "同属数字技术应用业（+20 分）",
            "实施地区与企业所在地同为杭州市（+15 分）",
            "培育库成长型企业（+7 分）",
            "获评瞪羚企业（+5 分）",
        ]
    with override("en"):
        assert match.described[1] == "Same industry: Digital technology application (+20)"


def test_low_score_is_not_recommended_and_province_counts_less():
    _p, _u, _s, _scenario, _a, b = _world()
    assert recommend_scenarios(b) == []
    [match] = recommend_scenarios(b, minimum=0)
    assert match.score == 12
    assert [r["code"] for r in match.reasons] == ["region_province", "tier"]


def test_history_and_conditions_count_and_failing_conditions_exclude():
    publisher, user, staff, scenario, a, _b = _world()
    # C in 宁波, tech, another industry, leading, answered and won a tech scenario before.
    c = registry_enterprise("330200", tier="leading", category="tech", industry="01")
    member = enterprise_user(c)
    done = make_scenario(publisher, user, staff)
    response = make_response(done, member, c)
    scenario_services.close_scenario(done, actor=user)
    award(done, user, response)
    # 25 + 8 + 10 + responded 5 + awarded 5 = 53
    [match] = recommend_scenarios(c)
    assert match.score == 53
    assert {r["code"]: r.get("count") for r in match.reasons if "count" in r} == {
        "responded": 1, "awarded": 1,
    }  # fmt: skip
    # Only leading enterprises qualify: C gets the 10 points, A is excluded.
    gated = make_scenario(
        publisher, user, staff,
        conditions={"field": "tier", "op": "in", "value": ["leading"]},
    )  # fmt: skip
    assert [m.obj for m in recommend_scenarios(a)] == [scenario]
    top = recommend_scenarios(c)[0]
    assert top.obj == gated and top.score == 63 and top.reasons[0]["code"] == "conditions"


def test_enterprises_for_scenario_ranked_same_reasons_and_scoped_to_staff_view():
    _p, user, staff, scenario, a, b = _world()
    second = registry_enterprise("330100", tier="potential", category="tech", industry="03",
                                 name="丙智能")  # fmt: skip
    matches = recommend_enterprises(scenario, pool=enterprise_pool(user))
    assert [(m.obj, m.score) for m in matches] == [(a, 72), (second, 64)]
    # Staff of another province see none of these enterprises.
    beijing = BureauUserFactory()
    assert recommend_enterprises(scenario, pool=enterprise_pool(beijing)) == []
    assert [m.obj for m in recommend_enterprises(scenario, pool=enterprise_pool(staff))] == [
        a, second,
    ]  # fmt: skip


def test_answered_scenario_and_closed_one_are_not_recommended():
    publisher, user, staff, scenario, a, _b = _world()
    make_response(scenario, enterprise_user(a), a)
    late = make_scenario(publisher, user, staff)
    scenario_services.close_scenario(late, actor=user)
    assert recommend_scenarios(a) == []
    assert timezone.localdate() <= scenario.deadline
