import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry import services
from tests.factories import BureauUserFactory, EnterpriseFactory, enterprise_user, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau(client):
    user = BureauUserFactory(region=region("330000"))
    client.force_login(user)
    return user


def rows(response):
    return [e.name for e in response.context["page"].object_list]


def test_list_searches_by_name(client, bureau):
    EnterpriseFactory(name="杭州云栖数智科技有限公司", region=region("330100"))
    EnterpriseFactory(name="宁波港数科技有限公司", region=region("330200"))
    response = client.get(reverse("registry:enterprise-list"), {"q": "云栖"})
    assert rows(response) == ["杭州云栖数智科技有限公司"]


def test_list_searches_by_full_uscc_in_any_case(client, bureau):
    target = EnterpriseFactory(region=region("330100"))
    EnterpriseFactory(region=region("330100"))
    response = client.get(reverse("registry:enterprise-list"), {"q": target.uscc.lower()})
    assert rows(response) == [target.name]


def test_list_filters_by_region_subtree_industry_category_size_and_tier(client, bureau):
    hz = EnterpriseFactory(
        name="甲", region=region("330100"), industry="01", category="data", size="micro"
    )
    EnterpriseFactory(
        name="乙", region=region("330200"), industry="01", category="data", size="micro"
    )
    EnterpriseFactory(
        name="丙", region=region("330100"), industry="02", category="tech", size="small"
    )
    services.admit_enterprise(
        hz, tier="growth", category="data", actor=bureau, reason="2025年度遴选"
    )
    url = reverse("registry:enterprise-list")
    assert rows(client.get(url, {"region": "330100"})) == ["丙", "甲"]
    assert rows(client.get(url, {"region": "330000", "industry": "01"})) == ["乙", "甲"]
    assert rows(client.get(url, {"category": "tech"})) == ["丙"]
    assert rows(client.get(url, {"size": "micro", "tier": "growth"})) == ["甲"]
    assert rows(client.get(url, {"tier": "none"})) == ["丙", "乙"]


def test_region_filter_cannot_widen_jurisdiction(client, bureau):
    EnterpriseFactory(name="上海某公司", region=region("310000"))
    assert rows(client.get(reverse("registry:enterprise-list"), {"region": "310000"})) == []


def test_list_sorts_by_column(client, bureau):
    EnterpriseFactory(name="甲", region=region("330100"), founded_on="2015-01-01")
    EnterpriseFactory(name="乙", region=region("330100"), founded_on="2021-01-01")
    url = reverse("registry:enterprise-list")
    assert rows(client.get(url, {"ordering": "-founded_on"})) == ["乙", "甲"]
    assert rows(client.get(url, {"ordering": "founded_on"})) == ["甲", "乙"]


def test_list_paginates_20_per_page(client, bureau):
    EnterpriseFactory.create_batch(45, region=region("330100"))
    url = reverse("registry:enterprise-list")
    assert len(rows(client.get(url))) == 20
    assert len(rows(client.get(url, {"page": 3}))) == 5


def test_list_empty_state_explains(client, bureau):
    response = client.get(reverse("registry:enterprise-list"), {"q": "不存在的企业"})
    assert "没有符合筛选条件的企业" in response.content.decode()


def test_list_htmx_request_returns_only_the_table(client, bureau):
    EnterpriseFactory(region=region("330100"))
    response = client.get(reverse("registry:enterprise-list"), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<table" in body and "<html" not in body


@pytest.mark.parametrize("count", [1, 30])
def test_list_query_budget_does_not_grow_with_rows(client, bureau, count):
    for _ in range(count):
        enterprise = EnterpriseFactory(region=region("330100"))
        services.admit_enterprise(
            enterprise, tier="potential", category="tech", actor=bureau, reason="x"
        )
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("registry:enterprise-list")).status_code == 200
    # session, user, region, count, unread, regions (2), rows, session save (3)
    assert len(ctx.captured_queries) <= 12


def test_detail_shows_timeline_of_updates(client, bureau):
    enterprise = EnterpriseFactory(region=region("330100"))
    services.update_enterprise(
        enterprise, actor=bureau, website="https://www.yunqi.example.cn", region=region("330200")
    )
    body = client.get(reverse("registry:enterprise-detail", args=[enterprise.pk])).content.decode()
    assert 'data-action="enterprise.updated"' in body
    assert "修改企业信息" in body
    # Field names and related objects in words, not column names and ids.
    assert "<td>所在地区</td><td>杭州市</td><td>宁波市</td>" in body
    assert "https://www.yunqi.example.cn" in body


def test_member_edits_own_profile_and_it_is_audited(client):
    enterprise = EnterpriseFactory(region=region("330100"), contact_name="王强")
    member = enterprise_user(enterprise)
    client.force_login(member)
    url = reverse("registry:enterprise-edit", args=[enterprise.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(contact_name="赵敏", region=enterprise.region.pk, founded_on="2020-05-01")
    response = client.post(url, data)
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.contact_name == "赵敏"
    event = enterprise_events(enterprise)[0]
    assert event.before == {"contact_name": "王强"}
    assert event.after == {"contact_name": "赵敏"}
    assert event.actor == member


def enterprise_events(enterprise):
    from audit.models import AuditEvent

    return list(AuditEvent.objects.filter(enterprise=enterprise, action="enterprise.updated"))
