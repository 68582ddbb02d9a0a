import pytest
from django.db import DatabaseError, connection, transaction

from accounts.models import Role
from audit.models import AuditEvent, AuditImmutableError
from audit.services import record_event
from registry import services
from tests.factories import (
    BureauUserFactory,
    EnterpriseFactory,
    UserFactory,
    enterprise_user,
    region,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    enterprise = EnterpriseFactory()
    actor = BureauUserFactory()
    return record_event(
        actor=actor,
        action="enterprise.updated",
        obj=enterprise,
        enterprise=enterprise,
        before={"name": "旧"},
        after={"name": "新"},
    )


def test_service_writes_event_with_actor_before_after_and_ip(client):
    bureau = BureauUserFactory(region=region("110000"))
    enterprise = EnterpriseFactory(region=region("110000"), website="")
    client.force_login(bureau)
    from django.urls import reverse

    url = reverse("registry:enterprise-edit", args=[enterprise.pk])
    data = {k: v for k, v in client.get(url).context["form"].initial.items() if v is not None}
    data.update(
        region=enterprise.region.pk, founded_on="2020-05-01", website="https://a.example.cn"
    )
    client.post(url, data, REMOTE_ADDR="10.1.2.3")

    event = AuditEvent.objects.get(action="enterprise.updated")
    assert event.actor == bureau
    assert event.actor_label == str(bureau)
    assert event.before == {"website": ""}
    assert event.after == {"website": "https://a.example.cn"}
    assert event.ip_address == "10.1.2.3"
    assert event.enterprise_id == enterprise.pk
    assert list(AuditEvent.objects.for_object(enterprise)) == [event]


def test_admission_writes_event_and_tier_history():
    enterprise = EnterpriseFactory()
    actor = BureauUserFactory()
    entry = services.admit_enterprise(
        enterprise, tier="potential", category="tech", actor=actor, reason="入库"
    )
    services.admit_enterprise(
        enterprise, tier="growth", category="tech", actor=actor, reason="升级"
    )
    assert [c.to_tier for c in entry.changes.all()] == ["growth", "potential"]
    actions = list(
        AuditEvent.objects.filter(enterprise=enterprise).values_list("action", flat=True)
    )
    # Each admission also issues the registry certificate (reports, on entry_admitted).
    assert [a for a in actions if a.startswith("registry.")] == [
        "registry.tier_changed",
        "registry.admitted",
    ]
    assert actions.count("certificate.issued") == 2


def test_event_cannot_be_saved_again(event):
    event.action = "tampered"
    with pytest.raises(AuditImmutableError):
        event.save()


def test_event_cannot_be_deleted(event):
    with pytest.raises(AuditImmutableError):
        event.delete()


def test_queryset_update_and_delete_are_refused(event):
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "enterprise.updated"


def test_database_refuses_raw_update(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'tampered'")
    assert AuditEvent.objects.get(pk=event.pk).action == "enterprise.updated"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the DELETE trigger is PostgreSQL's")
def test_postgresql_refuses_raw_delete(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_admin_site_offers_no_change_or_delete(admin_client, event):
    response = admin_client.get(f"/admin/audit/auditevent/{event.pk}/delete/")
    assert response.status_code == 403
    response = admin_client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"action": "x"})
    assert response.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == "enterprise.updated"


def test_audit_page_refused_to_city_staff_and_other_roles(client, event):
    client.force_login(BureauUserFactory(region=region("330100")))
    assert client.get("/audit/").status_code == 403
    for user in (enterprise_user(), UserFactory(role=Role.PANELIST)):
        client.force_login(user)
        assert client.get("/audit/").status_code == 403
    client.logout()
    assert client.get("/audit/").status_code == 302


def test_national_and_provincial_staff_read_their_jurisdiction(client):
    zhejiang_staff = BureauUserFactory(region=region("330000"))
    hz = EnterpriseFactory(region=region("330100"))
    bj = EnterpriseFactory(region=region("110000"))
    ours = record_event(actor=None, action="enterprise.updated", obj=hz, enterprise=hz)
    by_us = record_event(actor=zhejiang_staff, action="policy.created", obj=zhejiang_staff)
    theirs = record_event(actor=None, action="enterprise.updated", obj=bj, enterprise=bj)

    client.force_login(zhejiang_staff)
    page = client.get("/audit/")
    assert page.status_code == 200
    assert set(page.context["page"].object_list) == {ours, by_us}
    assert "/audit/" in page.content.decode()  # the navigation offers it

    client.force_login(BureauUserFactory(region=region("000000")))
    assert {ours, by_us, theirs} <= set(client.get("/audit/").context["page"].object_list)


def test_audit_page_for_admins(client, event):
    from tests.factories import AdminUserFactory

    client.force_login(AdminUserFactory())
    response = client.get("/audit/", {"action": "enterprise."})
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [event]


def test_every_action_written_by_a_service_has_a_label():
    """The timeline shows words, not codes: each action in the code base has a label."""
    import re
    from pathlib import Path

    from audit.presentation import ACTION_LABELS

    root = Path(__file__).resolve().parents[2]
    written = set()
    for path in root.glob("*/services*.py"):
        written |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', path.read_text()))
    for path in root.glob("*/services/*.py"):
        written |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', path.read_text()))
    assert written, "no service actions found"
    assert written - set(ACTION_LABELS) == set()
