"""Enterprise verification: registration starts unverified, members upload and submit,
the jurisdiction's staff approve or return; nobody else sees the documents."""

import importlib
import pathlib

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from config.errors import DomainError
from notifications.models import Notification
from registry.models import Enterprise, EnterpriseDocument, RegistryEntry
from registry.selectors import uscc_region_check
from registry.services import admit_enterprise, register_enterprise
from registry.services import verification as services
from registry.uscc import RegionCheck, compare_regions, make_uscc
from tests.factories import (
    AdminUserFactory,
    BureauUserFactory,
    EnterpriseFactory,
    UserFactory,
    enterprise_user,
    region,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
OTHER_ROLES = [Role.PANELIST, Role.INSTITUTION, Role.PROVIDER, Role.PUBLISHER]


def pdf(name="营业执照.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    enterprise = EnterpriseFactory(
        name="杭州待认证数科有限公司", region=region("330100"), verification_status="unverified"
    )
    return {
        "enterprise": enterprise,
        "member": enterprise_user(enterprise),
        "zhejiang": BureauUserFactory(region=region("330000")),
        "hangzhou": BureauUserFactory(region=region("330100")),
        "ningbo": BureauUserFactory(region=region("330200")),
        "beijing": BureauUserFactory(region=region("110000")),
        "other_member": enterprise_user(EnterpriseFactory(region=region("330100"))),
    }


def submitted(world):
    enterprise, member = world["enterprise"], world["member"]
    services.upload_document(enterprise, actor=member, kind="licence", upload=pdf())
    services.upload_document(
        enterprise, actor=member, kind="authorisation", upload=pdf("授权委托书.pdf")
    )
    return services.submit_verification(enterprise, actor=member)


def test_existing_enterprises_become_verified_by_the_data_migration():
    old = EnterpriseFactory(verification_status="unverified")
    path = next(pathlib.Path("registry/migrations").glob("*enterprise_verification*.py"))
    migration = importlib.import_module(f"registry.migrations.{path.stem}")
    migration.existing_enterprises_are_verified(django_apps, None)
    old.refresh_from_db()
    assert old.verification_status == "verified"


def test_self_registration_starts_unverified():
    enterprise = register_enterprise(
        account={"email": "new@example.cn", "phone": "13900001111", "full_name": "李新",
                 "password": "Shuchuang#2026"},
        profile={"uscc": make_uscc("330100", 77_000_001), "name": "杭州新注册科技有限公司",
                 "region": region("330100"), "industry": "03", "category": "tech",
                 "founded_on": "2021-01-01", "size": "small", "contact_name": "李新",
                 "contact_phone": "13900001111"},
    )  # fmt: skip
    assert Enterprise.objects.get(pk=enterprise.pk).verification_status == "unverified"


def test_upload_is_judged_by_content_and_nothing_is_stored_when_refused(world):
    with pytest.raises(DomainError, match="不是 PDF 文件"):
        services.upload_document(
            world["enterprise"], actor=world["member"], kind="licence",
            upload=pdf(content=b"<html>not a pdf</html>"),
        )  # fmt: skip
    assert not EnterpriseDocument.objects.exists()


def test_only_members_upload_and_submit(world):
    for actor in (world["zhejiang"], world["other_member"]):
        with pytest.raises(DomainError, match="只有企业成员"):
            services.upload_document(world["enterprise"], actor=actor, kind="licence", upload=pdf())
        with pytest.raises(DomainError, match="只有企业成员"):
            services.submit_verification(world["enterprise"], actor=actor)
    assert not EnterpriseDocument.objects.exists()


def test_submit_needs_both_documents(world):
    enterprise, member = world["enterprise"], world["member"]
    services.upload_document(enterprise, actor=member, kind="licence", upload=pdf())
    with pytest.raises(DomainError, match="授权委托书"):
        services.submit_verification(enterprise, actor=member)
    enterprise.refresh_from_db()
    assert enterprise.verification_status == "unverified"


def test_submit_notifies_staff_and_locks_the_documents(world):
    enterprise = submitted(world)
    assert enterprise.verification_status == "submitted"
    assert Notification.objects.filter(recipient=world["hangzhou"]).exists()
    assert not Notification.objects.filter(recipient=world["beijing"]).exists()
    event = AuditEvent.objects.get(action="verification.submitted")
    assert event.enterprise_id == enterprise.pk
    with pytest.raises(DomainError, match="不能更换"):
        services.upload_document(enterprise, actor=world["member"], kind="licence", upload=pdf())


def test_return_needs_a_reason_then_resubmit_and_approve(world):
    enterprise = submitted(world)
    with pytest.raises(DomainError, match="填写理由"):
        services.return_verification(enterprise, actor=world["hangzhou"], reason=" ")
    returned = services.return_verification(
        enterprise, actor=world["hangzhou"], reason="授权委托书未盖公章"
    )
    assert (returned.verification_status, returned.verification_reason) == (
        "returned", "授权委托书未盖公章"
    )  # fmt: skip
    note = Notification.objects.get(recipient=world["member"], body="授权委托书未盖公章")
    assert note.url == reverse("registry:verification", args=[enterprise.pk])
    services.upload_document(
        enterprise, actor=world["member"], kind="authorisation", upload=pdf("新委托书.pdf")
    )
    assert EnterpriseDocument.objects.filter(enterprise=enterprise).count() == 2
    again = services.submit_verification(enterprise, actor=world["member"])
    assert again.verification_status == "resubmitted"
    verified = services.approve_verification(again, actor=world["zhejiang"])
    assert verified.verification_status == "verified"
    assert verified.verified_by == world["zhejiang"]
    with pytest.raises(DomainError, match="不能再审核"):
        services.return_verification(verified, actor=world["zhejiang"], reason="再看看")


@pytest.mark.parametrize("who", ["ningbo", "beijing", "member", "other_member"])
def test_staff_outside_the_jurisdiction_and_members_cannot_decide(world, who):
    enterprise = submitted(world)
    with pytest.raises(DomainError, match="所在辖区"):
        services.approve_verification(enterprise, actor=world[who])
    enterprise.refresh_from_db()
    assert enterprise.verification_status == "submitted"


def test_unverified_enterprise_cannot_be_admitted_and_a_verified_one_can(world):
    with pytest.raises(DomainError, match="尚未通过企业认证"):
        admit_enterprise(
            world["enterprise"], tier="potential", category="tech", actor=world["zhejiang"],
            reason="遴选入库",
        )  # fmt: skip
    assert not RegistryEntry.objects.exists()
    verified = services.approve_verification(submitted(world), actor=world["hangzhou"])
    entry = admit_enterprise(
        verified, tier="potential", category="tech", actor=world["zhejiang"], reason="遴选入库"
    )
    assert entry.tier == "potential"


def test_unverified_enterprise_can_still_edit_its_profile(world, client):
    from registry.services import update_enterprise

    updated = update_enterprise(world["enterprise"], actor=world["member"], size="medium")
    assert updated.size == "medium"


# --- USCC registration-authority region ------------------------------------


def test_compare_regions_match_same_province_and_other_province():
    assert compare_regions("330100", "330100") == RegionCheck.MATCH
    assert compare_regions("330106", "330100") == RegionCheck.MATCH  # a district of the city
    assert compare_regions("110105", "110000") == RegionCheck.MATCH  # a municipality
    assert compare_regions("330200", "330100") == RegionCheck.OTHER_CITY
    assert compare_regions("110000", "330100") == RegionCheck.OTHER_PROVINCE


def test_region_check_names_both_values():
    moved = EnterpriseFactory(region=region("330100"), uscc=make_uscc("330200", 55_000_001))
    assert uscc_region_check(moved) == {
        "result": "other_city", "flagged": True,
        "authority_code": "330200", "authority_name": "浙江省宁波市",
        "declared_code": "330100", "declared_name": "浙江省杭州市",
    }  # fmt: skip
    far = EnterpriseFactory(region=region("330100"), uscc=make_uscc("110000", 55_000_002))
    assert uscc_region_check(far)["result"] == "other_province"
    home = EnterpriseFactory(region=region("330100"), uscc=make_uscc("330100", 55_000_003))
    assert uscc_region_check(home)["flagged"] is False


def test_staff_see_the_flag_on_both_pages_members_do_not(world, client):
    enterprise = EnterpriseFactory(region=region("330100"), uscc=make_uscc("110000", 55_000_004))
    client.force_login(world["zhejiang"])
    for name in ("registry:verification", "registry:enterprise-detail"):
        body = client.get(reverse(name, args=[enterprise.pk])).content.decode()
        assert 'data-result="other_province"' in body
        assert "110000" in body and "浙江省杭州市" in body
    client.force_login(enterprise_user(enterprise))
    body = client.get(reverse("registry:verification", args=[enterprise.pk])).content.decode()
    assert "uscc-region-check" not in body


# --- pages -----------------------------------------------------------------


def test_member_uploads_and_submits_through_the_page(world, client):
    enterprise = world["enterprise"]
    client.force_login(world["member"])
    url = reverse("registry:verification", args=[enterprise.pk])
    assert "提交认证" in client.get(url).content.decode()
    upload = reverse("registry:verification-upload", args=[enterprise.pk])
    client.post(upload, {"kind": "licence", "file": pdf()})
    client.post(upload, {"kind": "authorisation", "file": pdf("委托书.pdf")})
    response = client.post(reverse("registry:verification-submit", args=[enterprise.pk]))
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.verification_status == "submitted"


def test_non_pdf_through_the_page_shows_the_reason(world, client):
    client.force_login(world["member"])
    response = client.post(
        reverse("registry:verification-upload", args=[world["enterprise"].pk]),
        {"kind": "licence", "file": pdf("licence.pdf", b"GIF89a....")},
        follow=True,
    )
    assert "不是 PDF 文件" in response.content.decode()
    assert not EnterpriseDocument.objects.exists()


def test_staff_queue_and_decision_page(world, client):
    enterprise = submitted(world)
    client.force_login(world["beijing"])
    queue = client.get(reverse("registry:verification-queue")).content.decode()
    assert enterprise.name not in queue and "目前没有待审核的企业认证" in queue
    client.force_login(world["hangzhou"])
    assert enterprise.name in client.get(reverse("registry:verification-queue")).content.decode()
    response = client.post(
        reverse("registry:verification-decide", args=[enterprise.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.verification_status == "verified"


def test_who_must_not_decide_gets_404_or_403(world, client):
    enterprise = submitted(world)
    url = reverse("registry:verification-decide", args=[enterprise.pk])
    for user, status in [(world["beijing"], 404), (world["ningbo"], 404),
                         (world["other_member"], 404), (world["member"], 403)]:  # fmt: skip
        client.force_login(user)
        assert client.post(url, {"decision": "approve"}).status_code == status
    for role in OTHER_ROLES:
        client.force_login(UserFactory(role=role))
        assert client.post(url, {"decision": "approve"}).status_code == 404
    client.logout()
    assert client.post(url, {"decision": "approve"}).status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.verification_status == "submitted"


def test_queue_is_for_staff_only(client):
    for role in [Role.ENTERPRISE, *OTHER_ROLES]:
        client.force_login(UserFactory(role=role))
        assert client.get(reverse("registry:verification-queue")).status_code == 403
    client.logout()
    assert client.get(reverse("registry:verification-queue")).status_code == 302


def test_documents_are_served_to_members_and_jurisdiction_staff_only(world, client):
    submitted(world)
    document = EnterpriseDocument.objects.get(kind="licence")
    url = reverse("registry:document-download", args=[document.pk])
    for user in (world["member"], world["hangzhou"], world["zhejiang"], AdminUserFactory()):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
    others = [world["other_member"], world["ningbo"], world["beijing"]]
    others += [UserFactory(role=role) for role in OTHER_ROLES]
    for user in others:
        client.force_login(user)
        assert client.get(url).status_code == 404
        page = reverse("registry:verification", args=[world["enterprise"].pk])
        assert client.get(page).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_upload_page_refuses_staff(world, client):
    client.force_login(world["zhejiang"])
    response = client.post(
        reverse("registry:verification-upload", args=[world["enterprise"].pk]),
        {"kind": "licence", "file": pdf()},
    )
    assert response.status_code == 403
    assert not EnterpriseDocument.objects.exists()


# --- API -------------------------------------------------------------------


def test_api_verification_flow_and_scope(world):
    from rest_framework.test import APIClient

    api = APIClient()
    enterprise = world["enterprise"]
    base = f"/api/v1/enterprises/{enterprise.pk}"
    api.force_authenticate(world["member"])
    response = api.post(f"{base}/documents/", {"kind": "licence", "file": pdf()},
                        format="multipart")  # fmt: skip
    assert response.status_code == 200 and response.json()[0]["kind"] == "licence"
    response = api.post(f"{base}/submit-verification/")
    assert response.status_code == 400 and "授权委托书" in response.json()["detail"]
    api.post(f"{base}/documents/", {"kind": "authorisation", "file": pdf()}, format="multipart")
    assert api.post(f"{base}/submit-verification/").json()["verification_status"] == "submitted"
    assert api.post(f"{base}/approve-verification/").status_code == 400
    api.force_authenticate(world["beijing"])
    assert api.post(f"{base}/approve-verification/").status_code == 404
    api.force_authenticate(world["hangzhou"])
    response = api.post(f"{base}/return-verification/", {"reason": "营业执照模糊"})
    assert response.json()["verification_status"] == "returned"
    assert response.json()["verification_reason"] == "营业执照模糊"


def test_queue_query_budget(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = BureauUserFactory(region=region("330000"))
    EnterpriseFactory(region=region("330100"), verification_status="submitted")
    client.force_login(staff)
    url = reverse("registry:verification-queue")
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).context["page"]) == 1
    for code in ["330100", "330200"] * 6:
        EnterpriseFactory(region=region(code), verification_status="resubmitted")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).context["page"]) == 13
    assert len(many) == len(one)


def test_every_verification_and_transfer_event_has_a_label():
    from audit.presentation import ACTION_LABELS
    from registry.choices import TRANSFER_TRANSITIONS, VERIFICATION_TRANSITIONS

    keys = {f"verification.{s}" for targets in VERIFICATION_TRANSITIONS.values() for s in targets}
    keys |= {f"transfer.{s}" for targets in TRANSFER_TRANSITIONS.values() for s in targets}
    assert keys - set(ACTION_LABELS) == set()
