"""The visibility matrix: who sees which enterprise, by page and by API."""

import pytest
from django.urls import reverse

from accounts.models import Role
from registry.models import Enterprise
from tests.factories import (
    AdminUserFactory,
    BureauUserFactory,
    EnterpriseFactory,
    UserFactory,
    enterprise_user,
    region,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return {
        "beijing": EnterpriseFactory(name="北京数链科技有限公司", region=region("110000")),
        "shanghai": EnterpriseFactory(name="上海数港科技有限公司", region=region("310000")),
        "hangzhou": EnterpriseFactory(name="杭州云栖数智科技有限公司", region=region("330100")),
        "ningbo": EnterpriseFactory(name="宁波港数科技有限公司", region=region("330200")),
    }


def visible_names(user):
    return set(Enterprise.objects.visible_to(user).values_list("name", flat=True))


def test_national_bureau_sees_all(world):
    assert visible_names(BureauUserFactory(region=region("000000"))) == {
        e.name for e in world.values()
    }


def test_provincial_bureau_sees_its_province_and_cities(world):
    assert visible_names(BureauUserFactory(region=region("330000"))) == {
        "杭州云栖数智科技有限公司",
        "宁波港数科技有限公司",
    }


def test_city_bureau_sees_only_its_city(world):
    assert visible_names(BureauUserFactory(region=region("330100"))) == {"杭州云栖数智科技有限公司"}


def test_enterprise_member_sees_only_its_own(world):
    assert visible_names(enterprise_user(world["beijing"])) == {"北京数链科技有限公司"}


@pytest.mark.parametrize("role", [Role.PANELIST, Role.INSTITUTION, Role.PROVIDER, Role.PUBLISHER])
def test_other_roles_see_no_enterprise_yet(world, role):
    assert visible_names(UserFactory(role=role)) == set()


def test_admin_sees_all(world):
    assert len(visible_names(AdminUserFactory())) == 4


def test_inactive_user_sees_nothing(world):
    assert visible_names(BureauUserFactory(region=region("000000"), is_active=False)) == set()


def test_beijing_bureau_gets_404_for_shanghai_enterprise_page(client, world):
    client.force_login(BureauUserFactory(region=region("110000")))
    url = reverse("registry:enterprise-detail", args=[world["shanghai"].pk])
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("registry:enterprise-edit", args=[world["shanghai"].pk])).status_code
        == 404
    )
    own = reverse("registry:enterprise-detail", args=[world["beijing"].pk])
    assert client.get(own).status_code == 200


def test_beijing_bureau_gets_404_for_shanghai_enterprise_api(client, world):
    client.force_login(BureauUserFactory(region=region("110000")))
    response = client.get(f"/api/v1/enterprises/{world['shanghai'].pk}/")
    assert response.status_code == 404
    assert response.json()["detail"]
    names = [row["name"] for row in client.get("/api/v1/enterprises/").json()["results"]]
    assert names == ["北京数链科技有限公司"]


def test_enterprise_a_never_sees_enterprise_b(client, world):
    client.force_login(enterprise_user(world["hangzhou"]))
    assert (
        client.get(reverse("registry:enterprise-detail", args=[world["ningbo"].pk])).status_code
        == 404
    )
    assert client.get(f"/api/v1/enterprises/{world['ningbo'].pk}/").status_code == 404
    assert [r["name"] for r in client.get("/api/v1/enterprises/").json()["results"]] == [
        "杭州云栖数智科技有限公司"
    ]
    assert (
        client.get(reverse("registry:enterprise-detail", args=[world["hangzhou"].pk])).status_code
        == 200
    )


def test_enterprise_user_cannot_open_registry_list(client, world):
    client.force_login(enterprise_user(world["hangzhou"]))
    assert client.get(reverse("registry:enterprise-list")).status_code == 403


@pytest.mark.parametrize("role", [Role.PANELIST, Role.INSTITUTION, Role.PROVIDER, Role.PUBLISHER])
def test_other_roles_are_refused_registry_pages(client, world, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("registry:enterprise-list")).status_code == 403
    assert (
        client.get(reverse("registry:enterprise-detail", args=[world["beijing"].pk])).status_code
        == 404
    )
    assert client.get(reverse("registry:membership-list")).status_code == 403
    assert client.get("/api/v1/enterprises/").json()["count"] == 0


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("registry:enterprise-list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert client.get("/api/v1/enterprises/").status_code in (401, 403)


def test_enterprise_member_cannot_see_timeline(client, world):
    client.force_login(enterprise_user(world["hangzhou"]))
    response = client.get(reverse("registry:enterprise-detail", args=[world["hangzhou"].pk]))
    assert 'data-testid="timeline"' not in response.content.decode()


def test_bureau_sees_timeline(client, world):
    client.force_login(BureauUserFactory(region=region("330000")))
    response = client.get(reverse("registry:enterprise-detail", args=[world["hangzhou"].pk]))
    assert 'data-testid="timeline"' in response.content.decode()
