"""A grant's explanation is data; pages, the API and the reader's language render it."""

import pytest
from django.urls import reverse

from conditions.explain import render_conditions
from policies.models import PolicyGrant
from policies.services import lifecycle as services
from tests.explanations import chinese_in
from tests.factories import BureauUserFactory, PolicyFactory, region

pytestmark = pytest.mark.django_db

ZH = "营业收入 20,000,000.00 元 ≥ 10,000,000 元，满足"
EN = "Operating revenue 20,000,000.00 yuan ≥ 10,000,000 yuan: met"


def test_matching_stores_keys_and_figures_not_sentences(world):
    assert world["grant_a"].explanation == [
        {"field": "revenue", "op": "gte", "expected": "10000000", "actual": "20000000.00",
         "held": True}
    ]  # fmt: skip
    assert render_conditions(world["grant_a"].explanation, "zh-hans") == [ZH]
    assert render_conditions(world["grant_a"].explanation, "en") == [EN]


def test_region_and_choice_conditions_render_in_english_but_for_proper_names(
    world, django_capture_on_commit_callbacks
):
    spec = {
        "all": [
            {"field": "region", "op": "within", "value": ["330000"]},
            {"field": "tier", "op": "in", "value": ["potential", "growth"]},
            {"any": [{"field": "labels", "op": "has", "value": "gazelle"},
                     {"field": "revenue", "op": "gte", "value": 1}]},
        ]
    }  # fmt: skip
    policy = PolicyFactory(created_by=world["zhejiang"], conditions=spec)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_policy(policy, actor=world["zhejiang"])
    grant = PolicyGrant.objects.get(policy=policy, enterprise=world["a"])
    region_item = grant.explanation[0]
    assert region_item["names"] == {"330000": "浙江省", "330100": "杭州市"}
    zh = render_conditions(grant.explanation, "zh-hans")
    assert zh[0] == "所在地区 杭州市 位于 浙江省 辖区内，满足"
    assert zh[2].startswith("以下 2 项满足任一即可，成立的是：第 2 项（营业收入 ≥ 1 元）")
    en = render_conditions(grant.explanation, "en")
    assert en[0] == "Region 杭州市 within 浙江省: met"
    assert en[1] == "Registry tier Potential is one of Potential, Growth: met"
    assert en[2] == (
        "Any one of the following 2 items would do: item 2 (Operating revenue ≥ 1 yuan) holds"
    )
    for sentence in en:
        assert chinese_in(sentence, "杭州市", "浙江省") == [], sentence


def test_my_policies_page_in_english_and_in_chinese(client, world):
    client.force_login(world["member_a"])
    english = client.get(reverse("policies:my-policies"), HTTP_ACCEPT_LANGUAGE="en")
    page = english.content.decode()
    assert EN in page and ZH not in page
    # the nearly-qualified condition is rendered too
    assert "Operating revenue 20,000,000.00 yuan ≥ 25,000,000 yuan: not met" in page
    chinese = client.get(reverse("policies:my-policies"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert ZH in chinese.content.decode()


def test_staff_policy_page_renders_the_grants_in_english(client, world):
    client.force_login(world["zhejiang"])
    url = reverse("policies:policy-detail", args=[world["policy"].pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert EN in page and ZH not in page


def test_api_gives_the_structure_and_the_text_in_the_request_language(client, world):
    client.force_login(world["member_a"])
    url = f"/api/v1/policy-grants/{world['grant_a'].pk}/"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["explanation"] == world["grant_a"].explanation
    assert english["explanation_text"] == [EN]
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert chinese["explanation_text"] == [ZH]


def test_other_enterprises_and_other_provinces_do_not_get_the_explanation(client, world):
    url = f"/api/v1/policy-grants/{world['grant_a'].pk}/"
    for user in (world["member_b"], BureauUserFactory(region=region("110000"))):
        client.force_login(user)
        assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").status_code in (403, 404)
