"""The role dashboards on the home page: staff see their jurisdiction's figures (never
another city's), admins the whole country by province, an enterprise its own support
timeline; every figure links to a list that shows (and exports) the same rows; the query
count does not grow with the rows."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registry.models import LabelAward, ServiceRecord
from tests.factories import (
    AdminUserFactory,
    BureauUserFactory,
    UserFactory,
    enterprise_user,
    region,
    registry_enterprise,
)

pytestmark = pytest.mark.django_db


def service(enterprise, staff, *, kind="data", day=1):
    return ServiceRecord.objects.create(
        enterprise=enterprise, kind=kind, served_on=datetime.date(2026, 3, day), notes="对接",
        staff=staff,
    )  # fmt: skip


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def chart(response, key):
    staff = response.context["cards"]["dashboard"]["staff"]
    return {c.key: c for c in staff["charts"]}[key]


def figures(response, key):
    return {str(f.label): f for f in chart(response, key).figures}


@pytest.fixture
def registry():
    """Two 杭州 enterprises (one leading with a gazelle label), one 宁波 one."""
    leading = registry_enterprise("330100", tier="leading")
    registry_enterprise("330100", tier="potential")
    registry_enterprise("330200", tier="leading")
    LabelAward.objects.create(
        enterprise=leading, label="gazelle", granted_on=datetime.date(2026, 5, 1), source="t"
    )
    return leading


def test_city_staff_count_only_their_city(client, registry):
    response = home(client, BureauUserFactory(region=region("330100")))

    tiers = figures(response, "tier")
    assert tiers["领军型"].value == 1
    assert tiers["潜力型"].value == 1
    assert figures(response, "label")["瞪羚企业"].value == 1
    html = response.content.decode()
    assert 'data-testid="chart-tier"' in html and "<svg" in html
    assert "<figcaption>" in html


def test_province_staff_see_cities_and_each_figure_matches_its_list(client, registry):
    staff = BureauUserFactory(region=region("330000"))
    response = home(client, staff)

    regions = figures(response, "region")
    assert regions["杭州市"].value == 2 and regions["宁波市"].value == 1
    for key in ("tier", "category", "label", "region"):
        for figure in chart(response, key).figures:
            page = client.get(figure.link)
            assert page.status_code == 200, figure.link
            assert page.context["page"].paginator.count == figure.value, (key, figure.label)


def test_every_figure_link_answers(client, registry):
    staff = BureauUserFactory(region=region("330000"))
    response = home(client, staff)
    links = set(re.findall(r'<a href="([^"]+)" data-testid="figure"', response.content.decode()))
    assert len(links) > 10
    for link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


def test_report_submission_figures_match_the_export(client, registry):
    from reports.exports.services import export_queryset
    from reports.exports.spec import spec_named

    staff = BureauUserFactory(region=region("330100"))
    response = home(client, staff)
    year = timezone.localdate().year - 1
    reports = figures(response, "reports")
    spec = spec_named("registry-entries")
    for figure in reports.values():
        query = figure.link.split("?", 1)[1]
        assert export_queryset(spec, staff, query).count() == figure.value
    assert sum(f.value for f in reports.values()) == 2
    assert str(year) in str(chart(response, "reports").title)


def test_admin_sees_the_country_by_province(client, registry):
    response = home(client, AdminUserFactory())

    regions = figures(response, "region")
    assert regions == {"浙江省": regions["浙江省"]}
    assert regions["浙江省"].value == 3
    assert "tier=registry" in regions["浙江省"].link and "region=330000" in regions["浙江省"].link


def test_enterprise_sees_its_own_timeline(client, registry):
    staff = BureauUserFactory(region=region("330100"))
    service(registry, staff, kind="data", day=1)
    other = registry_enterprise("330100")
    service(other, staff, kind="ip", day=2)
    response = home(client, enterprise_user(registry))

    timeline = response.context["cards"]["dashboard"]["enterprise"]
    kinds = [e.kind for e in timeline["events"]]
    assert kinds.count("service") == 1 and kinds.count("label") == 1
    counts = {str(f.label): f.value for f in timeline["chart"].figures}
    assert counts["服务"] == 1 and counts["成长称号"] == 1
    assert "知识产权" not in response.content.decode()
    assert 'data-testid="enterprise-dashboard"' in response.content.decode()


@pytest.mark.parametrize("role", ["panelist", "institution", "publisher"])
def test_other_roles_have_no_dashboard(client, registry, role):
    response = home(client, UserFactory(role=role))
    assert response.context["cards"]["dashboard"] is None
    assert "staff-dashboard" not in response.content.decode()


def _queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("home")).status_code == 200
    return len(ctx)


def test_dashboard_queries_do_not_grow_with_rows(client, registry):
    from tests.vouchers.factories import file_claim, issue, world

    w = world("330100", enterprise_region="330100")
    issue(w, amount="1000")
    staff = BureauUserFactory(region=region("330000"))
    admin = AdminUserFactory()
    member = enterprise_user(registry)
    service(registry, staff, kind="data", day=1)
    before = {u.pk: _queries(client, u) for u in (staff, admin, member, w.staff)}

    for n in range(12):
        enterprise = registry_enterprise(("330100", "330200", "330300")[n % 3], tier="growth")
        LabelAward.objects.create(enterprise=enterprise, label="gazelle",
                                  granted_on=datetime.date(2026, 5, 1), source="t")  # fmt: skip
        ServiceRecord.objects.create(enterprise=registry, kind="ip", served_on=datetime.date(
            2026, 4, 1 + n), notes="对接", staff=staff)  # fmt: skip
        voucher = issue(w, amount="1000")
        file_claim(w, voucher, "10")
    LabelAward.objects.create(enterprise=registry, label="unicorn",
                              granted_on=datetime.date(2026, 6, 1), source="t")  # fmt: skip
    after = {u.pk: _queries(client, u) for u in (staff, admin, member, w.staff)}

    assert after == before
    assert w.program.budget > Decimal("0")
