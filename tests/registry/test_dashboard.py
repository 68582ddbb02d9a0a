import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registry import services
from registry.dashboard import dashboard
from registry.models import RegistryEntry
from registry.services import reports
from tests.factories import (
    BureauUserFactory,
    EnterpriseFactory,
    UserFactory,
    enterprise_user,
    region,
)
from tests.registry.test_reports import values

pytestmark = pytest.mark.django_db


def admit(enterprise, tier, actor):
    services.admit_enterprise(enterprise, tier=tier, category="tech", actor=actor, reason="入库")


def test_dashboard_counts_only_the_jurisdiction():
    zhejiang = BureauUserFactory(region=region("330000"))
    national = BureauUserFactory(region=region("000000"))
    hz = EnterpriseFactory(region=region("330100"))
    nb = EnterpriseFactory(region=region("330200"))
    bj = EnterpriseFactory(region=region("110000"))
    admit(hz, "growth", zhejiang)
    admit(nb, "potential", zhejiang)
    admit(bj, "leading", national)
    services.admit_enterprise(hz, tier="leading", category="tech", actor=zhejiang, reason="升级")
    member = enterprise_user(hz)
    report = reports.save_report(hz, actor=member, year=2025, values=values())
    reports.submit_report(report, actor=member)

    d = dashboard(zhejiang, year=2025)
    assert d["enterprise_count"] == 2 and d["in_registry"] == 2
    assert {r["label"]: r["value"] for r in d["by_tier"]} == {"潜力型": 1, "成长型": 0, "领军型": 1}
    assert d["reported"] == 1 and d["report_rate"] == 50
    assert d["movements"] == {
        "admitted": 2, "upgraded": 1, "downgraded": 0, "exited": 0, "graduated": 0
    }  # fmt: skip
    assert dashboard(national, year=2025)["in_registry"] == 3
    RegistryEntry.objects.filter(enterprise=nb).update(
        status="graduated", left_on=timezone.localdate()
    )
    after = dashboard(zhejiang, year=2025)
    assert after["in_registry"] == 1 and after["movements"]["graduated"] == 1


def test_dashboard_page_for_staff_only(client):
    client.force_login(BureauUserFactory(region=region("330000")))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("registry:dashboard")).status_code == 200
    assert len(ctx.captured_queries) <= 20
    for user in (enterprise_user(), UserFactory(role="panelist"), UserFactory(role="institution")):
        client.force_login(user)
        assert client.get(reverse("registry:dashboard")).status_code == 403
