"""Staff lists of registry entries and service records: their jurisdiction's rows only,
filtered strictly (an invalid value is reported), searched by enterprise, paginated with
a flat query count; each exports the same rows; other roles are refused."""

import datetime

import pytest
from django.urls import reverse

from registry.models import ServiceRecord
from reports.exports.services import export_queryset
from reports.exports.spec import spec_named
from tests.factories import (
    BureauUserFactory,
    UserFactory,
    enterprise_user,
    region,
    registry_enterprise,
)
from tests.query_budget import queries_of_get

pytestmark = pytest.mark.django_db

ENTRIES = reverse("registry:entry-list")
SERVICES = reverse("registry:service-list")


def rows(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def service(enterprise, staff, kind="data"):
    return ServiceRecord.objects.create(
        enterprise=enterprise, kind=kind, served_on=datetime.date(2026, 3, 1), notes="对接",
        staff=staff,
    )  # fmt: skip


@pytest.fixture
def cities():
    """杭州市: a leading and a potential enterprise, a service to each; 宁波市: one of each."""
    staff = BureauUserFactory(region=region("330100"))
    leading = registry_enterprise("330100", tier="leading", name="杭州领军数科")
    potential = registry_enterprise("330100", tier="potential", name="杭州潜力数科")
    ningbo = registry_enterprise("330200", tier="leading", name="宁波领军数科")
    for enterprise in (leading, potential, ningbo):
        service(enterprise, staff, kind="ip" if enterprise is potential else "data")
    return staff, leading, potential


def names(response):
    return [obj.enterprise.name for obj in response.context["page"].object_list]


@pytest.mark.parametrize("url", [ENTRIES, SERVICES])
def test_city_staff_see_their_city_only(client, cities, url):
    staff, *_ = cities
    client.force_login(staff)

    shown = names(rows(client, url))

    assert sorted(shown) == ["杭州潜力数科", "杭州领军数科"]


@pytest.mark.parametrize(
    "url,list_name,query,expected",
    [(ENTRIES, "registry-entries", "tier=leading", ["杭州领军数科"]),
     (ENTRIES, "registry-entries", "q=潜力", ["杭州潜力数科"]),
     (SERVICES, "service-records", "kind=ip", ["杭州潜力数科"]),
     (SERVICES, "service-records", "q=领军", ["杭州领军数科"])],
)  # fmt: skip
def test_filters_and_search_match_the_export(client, cities, url, list_name, query, expected):
    staff, *_ = cities
    client.force_login(staff)

    response = rows(client, f"{url}?{query}")

    assert names(response) == expected
    exported = export_queryset(spec_named(list_name), staff, query)
    assert [obj.enterprise.name for obj in exported] == expected
    assert f'data-testid="export-{list_name}"' in response.content.decode()


def test_an_invalid_filter_value_is_reported(client, cities):
    client.force_login(cities[0])

    response = rows(client, f"{ENTRIES}?tier=galactic")

    assert 'data-testid="filter-errors"' in response.content.decode()


@pytest.mark.parametrize("url", [ENTRIES, SERVICES])
def test_other_roles_are_refused(client, cities, url):
    _staff, leading, _potential = cities
    for user in (enterprise_user(leading), UserFactory(role="panelist")):
        client.force_login(user)
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", [ENTRIES, SERVICES])
def test_query_count_is_flat_at_1_and_30_rows(client, url):
    staff = BureauUserFactory(region=region("330100"))
    client.force_login(staff)
    first = registry_enterprise("330100")
    service(first, staff)
    one = queries_of_get(client, url)
    for n in range(29):
        service(registry_enterprise("330100", name=f"批量数科{n:02d}"), staff)

    assert queries_of_get(client, url) == one
