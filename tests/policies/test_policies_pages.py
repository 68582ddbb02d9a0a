import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from policies.models import Policy, PolicyGrant
from policies.services import lifecycle as services
from tests.factories import (
    UserFactory,
    region,
    registry_enterprise,
)
from tests.policies.conftest import OTHER_ROLES

pytestmark = pytest.mark.django_db


def _get(client, user, name, *args):
    if user is not None:
        client.force_login(user)
    return client.get(reverse(name, args=args))


def test_staff_list_shows_own_and_read_only_parent_policies(client, world):
    client.force_login(world["zhejiang"])
    page = client.get(reverse("policies:policy-list")).content.decode()
    assert "数据要素企业研发费用奖补" in page and "人才公寓权益" in page
    client.force_login(world["hangzhou"])
    response = client.get(reverse("policies:policy-list"))
    titles = [p.title for p in response.context["page"]]
    assert titles == ["首台套", "数据要素企业研发费用奖补"]  # no draft of the province
    detail = client.get(reverse("policies:policy-detail", args=[world["policy"].pk]))
    assert "上级政策，只读" in detail.content.decode()
    assert (
        client.get(reverse("policies:policy-publish", args=[world["draft"].pk])).status_code == 404
    )
    assert (
        client.get(reverse("policies:policy-withdraw", args=[world["policy"].pk])).status_code
        == 403
    )


def test_list_filters_by_status_and_search(client, world):
    client.force_login(world["zhejiang"])
    response = client.get(reverse("policies:policy-list"), {"status": "draft"})
    assert [p.title for p in response.context["page"]] == ["人才公寓权益"]
    response = client.get(reverse("policies:policy-list"), {"q": "首台"})
    assert [p.title for p in response.context["page"]] == ["首台套"]
    response = client.get(reverse("policies:policy-list"), {"q": "不存在"})
    assert "没有符合筛选条件的政策。" in response.content.decode()


def test_other_province_bureau_gets_404(client, world):
    client.force_login(world["beijing"])
    for name in ("policies:policy-detail", "policies:policy-edit", "policies:policy-progress"):
        assert client.get(reverse(name, args=[world["policy"].pk])).status_code == 404
    url = reverse("policies:grant-deliver", args=[world["grant_a"].pk])
    assert client.post(url).status_code == 404
    assert list(client.get(reverse("policies:policy-list")).context["page"]) == []


@pytest.mark.parametrize("role", [*OTHER_ROLES, Role.ENTERPRISE])
def test_other_roles_get_403_on_staff_pages(client, world, role):
    user = world["member_a"] if role == Role.ENTERPRISE else UserFactory(role=role)
    client.force_login(user)
    for name, args in [
        ("policies:policy-list", []),
        ("policies:policy-create", []),
        ("policies:policy-detail", [world["policy"].pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403
    assert (
        client.post(reverse("policies:grant-deliver", args=[world["grant_a"].pk])).status_code
        == 403
    )
    world["grant_a"].refresh_from_db()
    assert world["grant_a"].status == "notified"


@pytest.mark.parametrize("role", [*OTHER_ROLES, Role.BUREAU])
def test_enterprise_pages_refused_to_other_roles(client, world, role):
    user = world["zhejiang"] if role == Role.BUREAU else UserFactory(role=role)
    client.force_login(user)
    assert client.get(reverse("policies:my-policies")).status_code == 403
    assert (
        client.get(reverse("policies:grant-respond", args=[world["grant_a"].pk])).status_code == 403
    )


def test_anonymous_is_sent_to_login(client, world):
    for url in (
        reverse("policies:policy-list"),
        reverse("policies:my-policies"),
        reverse("policies:policy-detail", args=[world["policy"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


def test_other_enterprise_gets_404_for_a_grant(client, world):
    client.force_login(world["member_b"])
    url = reverse("policies:grant-respond", args=[world["grant_a"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"decline": "1", "reason": "x"}).status_code == 404
    world["grant_a"].refresh_from_db()
    assert world["grant_a"].status == "notified"


def test_my_policies_shows_qualified_with_explanation_and_nearly(client, world):
    client.force_login(world["member_a"])
    page = client.get(reverse("policies:my-policies")).content.decode()
    assert "数据要素企业研发费用奖补" in page
    assert "营业收入 20,000,000.00 元 ≥ 10,000,000 元，满足" in page
    assert "确认收款账户" in page
    assert "营业收入 20,000,000.00 元 ≥ 25,000,000 元，不满足" in page  # 首台套, nearly


def test_auto_grant_confirm_bank_details_page(client, world):
    client.force_login(world["member_a"])
    url = reverse("policies:grant-respond", args=[world["grant_a"].pk])
    response = client.post(
        url, {"account_name": "A 数科", "bank_name": "示范银行", "account_number": "12"}
    )
    assert "银行账号应为 8–30 位数字。" in response.content.decode()
    response = client.post(
        url,
        {"account_name": "A 数科", "bank_name": "示范银行", "account_number": "6222000011112222"},
    )
    assert response.status_code == 302
    grant = PolicyGrant.objects.get(pk=world["grant_a"].pk)
    assert (grant.status, grant.bank_name, grant.account_number) == (
        "accepted",
        "示范银行",
        "6222000011112222",
    )


def test_quick_grant_page_is_prefilled_and_submits(client, world):
    grant = PolicyGrant.objects.get(policy=world["quick"], enterprise=world["b"])
    client.force_login(world["member_b"])
    url = reverse("policies:grant-respond", args=[grant.pk])
    form = client.get(url).context["form"]
    assert form.initial["contact_name"] == "张敏"
    assert (
        form.initial["statement"]
        == "本企业符合“首台套”的适用条件，申请享受该政策，所填信息真实有效。"
    )
    response = client.post(
        url,
        {
            "contact_name": "王芳",
            "contact_phone": "13900000000",
            "contact_email": "",
            "statement": "申请首台套",
        },
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.status == "accepted"
    assert grant.application == {
        "contact_name": "王芳",
        "contact_phone": "13900000000",
        "contact_email": "",
        "statement": "申请首台套",
    }


def test_decline_page_needs_a_reason(client, world):
    client.force_login(world["member_a"])
    url = reverse("policies:grant-respond", args=[world["grant_a"].pk])
    response = client.post(url, {"decline": "1", "reason": ""})
    assert response.status_code == 200
    assert PolicyGrant.objects.get(pk=world["grant_a"].pk).status == "notified"
    client.post(url, {"decline": "1", "reason": "已享受同类政策"})
    grant = PolicyGrant.objects.get(pk=world["grant_a"].pk)
    assert (grant.status, grant.decline_reason) == ("declined", "已享受同类政策")


def test_local_staff_mark_delivered(client, world):
    member = world["member_a"]
    grant = services.confirm_bank_details(
        world["grant_a"],
        actor=member,
        account_name="A",
        bank_name="示范银行",
        account_number="6222000011112222",
    )
    client.force_login(world["hangzhou"])
    client.post(reverse("policies:grant-deliver", args=[grant.pk]), {"note": "已拨付 50 万元"})
    grant.refresh_from_db()
    assert (grant.status, grant.delivery_note) == ("delivered", "已拨付 50 万元")


def _builder(**extra):
    data = {
        "title": "算力券",
        "department": "浙江省数据局",
        "kind": "subsidy",
        "mode": "auto",
        "benefit_amount": "100000",
        "benefit": "算力费用补贴",
        "valid_from": "2026-01-01",
        "valid_until": "2027-12-31",
        "beneficiary": "入库企业",
        "contact": "0571",
        "g0-join": "all",
        "raa-field": "revenue",
        "raa-op": "gte",
        "raa-group": "0",
        "raa-value": "10000000",
        "gbb-join": "any",
        "rcc-group": "bb",
        "rcc-field": "industry",
        "rcc-op": "in",
        "rcc-value": "数字技术应用业，04",
        "rdd-group": "bb",
        "rdd-field": "labels",
        "rdd-op": "has",
        "rdd-value": "gazelle",
    }
    return {"jurisdiction": region("330000").pk, **data, **extra}


def test_create_with_the_builder(client, world):
    client.force_login(world["zhejiang"])
    response = client.post(reverse("policies:policy-create"), _builder())
    policy = Policy.objects.get(title="算力券")
    assert response.status_code == 302
    assert policy.conditions == {
        "all": [
            {"field": "revenue", "op": "gte", "value": "10000000"},
            {
                "any": [
                    {"field": "industry", "op": "in", "value": ["03", "04"]},
                    {"field": "labels", "op": "has", "value": "gazelle"},
                ]
            },
        ]
    }
    assert policy.status == "draft"


def test_builder_refuses_unknown_field_and_operator(client, world):
    client.force_login(world["zhejiang"])
    response = client.post(reverse("policies:policy-create"), _builder(**{"raa-field": "salary"}))
    assert response.context["problems"] == ["未知字段“salary”"]
    response = client.post(reverse("policies:policy-create"), _builder(**{"raa-op": "like"}))
    assert response.context["problems"] == ["all[0]：未知运算符“like”"]
    assert not Policy.objects.filter(title="算力券").exists()


def test_preview_counts_and_names(client, world):
    client.force_login(world["zhejiang"])
    data = _builder(
        **{"raa-value": "25000000", "rcc-delete": "1", "rdd-delete": "1", "gbb-join": ""}
    )
    data = {k: v for k, v in data.items() if not k.startswith(("rcc", "rdd", "gbb"))}
    response = client.post(reverse("policies:policy-preview"), data)
    assert response.context["preview"] == {"count": 1, "sample": ["B 数科"]}
    assert response.context["description"] == "同时满足：营业收入 ≥ 25,000,000 元"


def test_publish_needs_confirmation_then_matches(client, world, django_capture_on_commit_callbacks):
    draft = world["draft"]
    client.force_login(world["zhejiang"])
    page = client.get(reverse("policies:policy-publish", args=[draft.pk]))
    assert page.context["preview"] == {"count": 2, "sample": ["A 数科", "B 数科"]}
    draft.refresh_from_db()
    assert draft.status == "draft"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("policies:policy-publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "published"
    assert draft.grants.filter(status="notified").count() == 2
    progress = client.get(reverse("policies:policy-progress", args=[draft.pk])).content.decode()
    assert "2/2" in progress and "100%" in progress


def test_withdraw_with_a_reason(client, world):
    client.force_login(world["zhejiang"])
    url = reverse("policies:policy-withdraw", args=[world["policy"].pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    client.post(url, {"reason": "政策到期调整"})
    world["policy"].refresh_from_db()
    assert world["policy"].status == "withdrawn"
    assert set(world["policy"].grants.values_list("status", flat=True)) == {"lapsed"}


def test_grant_filters_overdue_and_status(client, world):
    PolicyGrant.objects.filter(pk=world["grant_a"].pk).update(due_on=datetime.date(2026, 1, 5))
    client.force_login(world["zhejiang"])
    url = reverse("policies:policy-detail", args=[world["policy"].pk])
    response = client.get(url, {"overdue": "true"})
    assert [g.enterprise.name for g in response.context["page"]] == ["A 数科"]
    assert response.context["overdue"] == 1
    response = client.get(url, {"status": "declined"})
    assert list(response.context["page"]) == []


def test_grants_list_query_budget(client, world):
    client.force_login(world["zhejiang"])
    url = reverse("policies:policy-detail", args=[world["quick"].pk])
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    assert len(client.get(url).context["page"]) == 1
    for _n in range(29):
        enterprise = registry_enterprise("330200", revenue=Decimal("40000000"))
        PolicyGrant.objects.create(
            policy=world["quick"],
            enterprise=enterprise,
            explanation=[{"legacy_text": "x"}],
            status="eligible",
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.context["page"].paginator.count == 30
    assert len(many) == len(one)


def test_api_grants_query_budget(client, world):
    client.force_login(world["zhejiang"])
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/policy-grants/", {"policy": world["quick"].pk})
    for _n in range(29):
        enterprise = registry_enterprise("330200", revenue=Decimal("40000000"))
        PolicyGrant.objects.create(
            policy=world["quick"],
            enterprise=enterprise,
            explanation=[{"legacy_text": "x"}],
            status="eligible",
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get("/api/v1/policy-grants/", {"policy": world["quick"].pk})
    assert response.json()["count"] == 30
    assert len(many) == len(one)


def test_policy_page_warns_when_a_deadline_year_has_no_holiday_schedule(client, world):
    client.force_login(world["zhejiang"])
    url = reverse("policies:policy-detail", args=[world["policy"].pk])
    PolicyGrant.objects.filter(policy=world["policy"]).update(due_on=datetime.date(2026, 9, 1))
    assert client.get(url).context["calendar_gaps"] == []  # 2026 is in the calendar
    PolicyGrant.objects.filter(pk=world["grant_a"].pk).update(due_on=datetime.date(2027, 2, 19))
    page = client.get(url)
    assert page.context["calendar_gaps"] == [2027]
    assert "2027 年的节假日安排尚未录入" in page.content.decode()


def test_overdue_deliveries_show_on_the_list_and_the_staff_home(client, world):
    PolicyGrant.objects.filter(pk=world["grant_a"].pk).update(due_on=datetime.date(2026, 1, 5))
    client.force_login(world["zhejiang"])
    listed = {
        p.title: p.overdue_count
        for p in client.get(reverse("policies:policy-list")).context["page"]
    }
    assert listed["数据要素企业研发费用奖补"] == 1 and listed["首台套"] == 0
    assert client.get("/").context["cards"]["overdue_grants"] == 1
    client.force_login(world["beijing"])
    assert client.get("/").context["cards"]["overdue_grants"] == 0


def test_the_builder_field_picker_follows_the_language():
    from django.utils import translation

    from conditions.builder import field_options

    with translation.override("en"):
        fields = {f["name"]: (f["label"], str(f["unit"])) for f in field_options()}
    assert fields["age_years"] == ("Years since founding", "years")
    with translation.override("zh-hans"):
        fields = {f["name"]: (f["label"], str(f["unit"])) for f in field_options()}
    assert fields["age_years"] == ("成立年限", "年")
