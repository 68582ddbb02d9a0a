"""Chinese search: jieba's search mode on both sides, so 智能 finds 人工智能 and 人工智能
finds 智能 决策; ranked by ts_rank on PostgreSQL, a containment match on SQLite."""

import pytest
from django.db import connection

from scenarios.models import Scenario
from scenarios.search import segmented, words
from scenarios.selectors import contained, search
from scenarios.services import scenarios as scenario_services
from tests.scenarios.factories import approved_publisher, make_scenario

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the ranked search runs under DATABASE_URL postgres"
)


def test_search_mode_indexes_a_compound_with_its_parts():
    assert words("人工智能决策平台") == ["人工", "智能", "人工智能", "决策", "平台"]
    assert segmented("智能 决策", "智能") == "智能 决策"


@pytest.fixture
def found():
    publisher, user, staff = approved_publisher()

    def scenario(title, description):
        return make_scenario(publisher, user, staff, title=title, description=description)

    made = {
        "compound": scenario("人工智能质检", "工厂产线的视觉质检。"),
        "parts": scenario("城市治理", "基于智能 决策的事件分拨。"),
        "unrelated": scenario("港口物流调度", "集装箱堆场调度优化。"),
    }

    def titles(text):
        return [s.title for s in search(Scenario.objects.public(), text)]

    return made, titles


def test_zhineng_finds_rengongzhineng_and_back(found):
    made, titles = found
    assert set(titles("智能")) == {"人工智能质检", "城市治理"}
    assert set(titles("人工智能")) == {"人工智能质检", "城市治理"}
    assert titles("区块链") == []


def test_the_words_follow_an_edit_of_the_title(found):
    made, titles = found
    user = made["unrelated"].scenario_list.publisher.organisation.users.get()
    scenario_services.update_scenario(made["unrelated"], actor=user, title="港口智能调度")
    assert "港口智能调度" in titles("智能")


@on_postgres
def test_postgres_ranks_the_scenario_with_more_matching_words_first(found):
    made, titles = found
    assert titles("人工智能")[0] == "人工智能质检"  # 人工, 智能 and 人工智能 all match
    vector = (
        Scenario.objects.filter(pk=made["compound"].pk)
        .values_list("search_vector", flat=True)
        .get()
    )
    assert "'人工智能'" in vector and "'智能'" in vector


def test_the_containment_path_finds_compounds_and_parts(found):
    # SQLite's path, run on every database: it reads only the segmented words.
    def titles(text):
        return {s.title for s in contained(Scenario.objects.public(), words(text))}

    assert titles("智能") == {"人工智能质检", "城市治理"}
    assert titles("人工智能") == {"人工智能质检", "城市治理"}
    assert titles("区块链") == set()
