"""The voucher lists (applications, vouchers, claims, ledger) and the registry's entries
and service records export exactly what each reader sees: a city bureau never another
city's rows, an enterprise its own, a provider those naming it; other roles are refused."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from registry.models import LabelAward, ServiceRecord
from reports.models import Export
from tests.factories import (
    BureauUserFactory,
    UserFactory,
    enterprise_user,
    region,
    registry_enterprise,
)
from tests.vouchers.factories import file_claim, issue, world

pytestmark = pytest.mark.django_db


def export(client, list_name, query="", columns=(), fmt="csv"):
    return client.post(
        reverse("exports:start", args=[list_name]),
        {"query": query, "columns": list(columns), "format": fmt},
    )


def csv_rows(response):
    assert response.status_code == 200, response.content[:500]
    raw = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(raw)))[1:]


@pytest.fixture
def two_cities():
    """A programme of 杭州市 and one of 宁波市, each with a voucher and a filed claim."""
    hz = world("330100", enterprise_region="330100")
    nb = world("330200", enterprise_region="330200")
    for w in (hz, nb):
        voucher = issue(w, amount="100000")
        file_claim(w, voucher, "10000")
    return hz, nb


LISTS = {
    "voucher-applications": ("contract_number", "enterprise.name"),
    "vouchers": ("code", "enterprise.name"),
    "claims": ("invoice_number", "enterprise.name"),
}


@pytest.mark.parametrize("name", [*LISTS, "ledger"])
def test_city_bureau_exports_only_its_programmes(client, two_cities, name):
    hz, nb = two_cities
    client.force_login(hz.staff)

    rows = csv_rows(export(client, name, columns=["program.name"]))

    assert rows and {r[0] for r in rows} == {hz.program.name} != {nb.program.name}


@pytest.mark.parametrize(
    "name,page", [("voucher-applications", "application-list"), ("vouchers", "voucher-list"),
                  ("claims", "claim-list")],
)  # fmt: skip
def test_export_equals_the_filtered_page(client, two_cities, name, page):
    hz, nb = two_cities
    issue(hz, amount="50000")
    user = UserFactory(role="admin")
    client.force_login(user)
    query = f"program={hz.program.pk}"

    shown = client.get(reverse(f"vouchers:{page}") + "?" + query).context["page"].object_list
    rows = csv_rows(export(client, name, query, columns=[LISTS[name][0]]))

    key = LISTS[name][0]
    assert [r[0] for r in rows] == [getattr(o, key) for o in shown]
    assert len(rows) >= 1


@pytest.mark.parametrize("name", [*LISTS, "ledger"])
def test_enterprise_exports_only_its_own(client, two_cities, name):
    hz, nb = two_cities
    client.force_login(hz.member)

    rows = csv_rows(export(client, name, columns=["program.name"]))

    assert rows and {r[0] for r in rows} == {hz.program.name}


def test_provider_exports_only_claims_naming_it(client, two_cities):
    hz, nb = two_cities
    client.force_login(hz.provider_user)

    rows = csv_rows(export(client, "claims", columns=["provider.organisation.name"]))

    assert rows == [[hz.provider.organisation.name]]


def test_ledger_of_one_voucher(client, two_cities):
    hz, _nb = two_cities
    voucher = hz.program.vouchers.first()
    client.force_login(hz.member)

    rows = csv_rows(export(client, "ledger", f"voucher={voucher.pk}", columns=["voucher.code"]))

    assert rows == [[voucher.code]] * voucher.ledger.count()


@pytest.mark.parametrize("name", [*LISTS, "ledger"])
def test_other_roles_cannot_export_voucher_lists(client, name):
    for role in ("institution", "panelist", "publisher"):
        client.force_login(UserFactory(role=role))
        assert export(client, name).status_code == 403, role
    assert Export.objects.count() == 0


def test_registry_entries_of_the_city_only_and_filtered(client):
    mine = registry_enterprise("330100", tier="leading")
    registry_enterprise("330100", tier="potential")
    registry_enterprise("330200", tier="leading")
    LabelAward.objects.create(
        enterprise=mine, label="gazelle", granted_on=datetime.date(2026, 5, 1), source="test"
    )
    client.force_login(BureauUserFactory(region=region("330100")))

    every = csv_rows(export(client, "registry-entries", columns=["enterprise.uscc"]))
    key = csv_rows(export(client, "registry-entries", "tier=leading", columns=["enterprise.uscc"]))
    gazelles = csv_rows(
        export(client, "registry-entries", "label=gazelle", columns=["enterprise.uscc"])
    )

    assert len(every) == 2
    assert key == [[mine.uscc]]
    assert gazelles == [[mine.uscc]]


def test_registry_entries_are_staff_only(client):
    client.force_login(enterprise_user(registry_enterprise("330100")))
    assert export(client, "registry-entries").status_code == 403


def _service(enterprise, staff, day=datetime.date(2026, 3, 1)):
    return ServiceRecord.objects.create(
        enterprise=enterprise, kind="data", served_on=day, notes="数据对接", staff=staff
    )


def test_service_records_enterprise_its_own_staff_their_city(client):
    staff = BureauUserFactory(region=region("330000"))
    hz, nb = registry_enterprise("330100"), registry_enterprise("330200")
    _service(hz, staff)
    _service(nb, staff)

    client.force_login(enterprise_user(hz))
    assert csv_rows(export(client, "service-records", columns=["enterprise.name"])) == [[hz.name]]
    client.force_login(BureauUserFactory(region=region("330200")))
    assert csv_rows(export(client, "service-records", columns=["enterprise.name"])) == [[nb.name]]
    client.force_login(staff)
    assert len(csv_rows(export(client, "service-records", columns=["enterprise.name"]))) == 2
    client.force_login(UserFactory(role="institution"))
    assert export(client, "service-records").status_code == 403
