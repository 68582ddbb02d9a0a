import datetime
import io
import re

import pytest
import zxingcpp
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from audit.models import AuditEvent
from config.errors import DomainError
from registry.models import RegistryEntry
from reports.models import Certificate
from reports.services import certificates
from tests.factories import (
    AdminUserFactory,
    BureauUserFactory,
    UserFactory,
    enterprise_user,
    region,
    registry_enterprise,
)
from tests.reports.helpers import pdf_reader, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    enterprise = registry_enterprise("330100", name="证书测试科技有限公司", tier="growth")
    return RegistryEntry.objects.select_related("enterprise").get(enterprise=enterprise)


def _issue(entry):
    return certificates.issue_certificate(entry, actor=BureauUserFactory(region=region("330100")))


def test_issue_certificate_stores_an_unguessable_code_and_is_idempotent(entry):
    first = _issue(entry)
    assert re.fullmatch(r"SC(-[2-9A-HJ-NP-Z]{4}){4}", first.code)
    assert (first.tier, first.jurisdiction.code) == ("growth", "330100")
    assert _issue(entry) == first
    assert Certificate.objects.count() == 1
    assert AuditEvent.objects.filter(action="certificate.issued").count() == 1
    codes = {certificates.new_code() for _ in range(200)}
    assert len(codes) == 200


def test_reissue_after_a_tier_change_revokes_the_old_certificate(entry):
    old = _issue(entry)
    RegistryEntry.objects.filter(pk=entry.pk).update(tier="leading")
    entry.refresh_from_db()
    new = _issue(entry)
    old.refresh_from_db()
    assert new.code != old.code and new.tier == "leading"
    assert old.revoked_at is not None
    assert certificates.verify(old.code).status == certificates.REVOKED
    assert certificates.verify(new.code).status == certificates.VALID


def test_no_certificate_for_an_entry_that_left_the_registry(entry):
    RegistryEntry.objects.filter(pk=entry.pk).update(
        status="exited", left_on=datetime.date(2026, 5, 1)
    )
    entry.refresh_from_db()
    with pytest.raises(DomainError, match="在库企业"):
        _issue(entry)
    assert Certificate.objects.count() == 0


def test_certificate_pdf_holds_its_fields_and_a_qr_code_that_decodes_to_the_verification_url(
    entry, settings
):
    settings.PORTAL_BASE_URL = "https://portal.example.cn"
    certificate = _issue(entry)
    content = certificates.certificate_pdf(certificate)
    text = pdf_text(content)
    for needle in ("入库证书", "证书测试科技有限公司", certificate.code, "成长型", "杭州市"):
        assert needle in text
    url = f"https://portal.example.cn/reports/verify/{certificate.code}/"
    assert certificates.verification_url(certificate.code) == url
    images = [image for page in pdf_reader(content).pages for image in page.images]
    assert len(images) == 1
    picture = Image.open(io.BytesIO(images[0].data))
    decoded = [result.text for result in zxingcpp.read_barcodes(picture)]
    assert decoded == [url]


def _verify_page(client, code):
    return client.get(reverse("reports:certificate-verify", args=[code]))


def test_verification_page_says_valid_without_login_and_shows_no_sensitive_field(client, entry):
    certificate = _issue(entry)
    response = _verify_page(client, certificate.code.lower().replace("-", ""))
    body = response.content.decode()
    assert response.status_code == 200
    assert "有效" in body and "证书测试科技有限公司" in body and "成长型" in body
    enterprise = entry.enterprise
    for secret in (enterprise.uscc, enterprise.contact_name, enterprise.contact_phone):
        assert secret not in body


@pytest.mark.parametrize(
    ("status", "words"),
    [("exited", "已失效：企业已退出培育库"), ("graduated", "已失效：企业已毕业出库")],
)
def test_verification_page_says_no_longer_valid_once_the_enterprise_left(
    client, entry, status, words
):
    certificate = _issue(entry)
    RegistryEntry.objects.filter(pk=entry.pk).update(status=status, left_on=timezone.localdate())
    body = _verify_page(client, certificate.code).content.decode()
    assert words in body
    assert certificates.verify(certificate.code).status == status


def test_verification_of_an_unknown_code_says_so(client):
    response = _verify_page(client, "SC-2222-3333-4444-5555")
    assert response.status_code == 404
    assert "查无此证书" in response.content.decode()
    assert client.get("/api/v1/certificates/SC-2222-3333-4444-5555/verify/").status_code == 404


def test_verification_api_is_public_and_says_the_status(client, entry):
    certificate = _issue(entry)
    data = client.get(f"/api/v1/certificates/{certificate.code}/verify/").json()
    assert data["status"] == "valid" and data["valid"] is True
    assert data["enterprise"] == "证书测试科技有限公司"
    assert set(data) == {"code", "status", "status_label", "valid", "enterprise", "tier",
                         "tier_label", "jurisdiction", "issued_on", "left_on"}  # fmt: skip


def test_certificate_download_for_members_and_covering_staff_only(client, entry):
    member = enterprise_user(entry.enterprise)
    client.force_login(member)
    issue = reverse("reports:certificate-issue", args=[entry.enterprise.pk])
    download = reverse("reports:certificate-pdf", args=[entry.enterprise.pk])
    assert client.get(download).status_code == 404  # none issued yet
    assert client.post(issue).status_code == 302
    assert client.get(download)["Content-Type"] == "application/pdf"
    for user in (BureauUserFactory(region=region("330000")), AdminUserFactory()):
        client.force_login(user)
        assert client.get(download).status_code == 200
    outsiders = [
        BureauUserFactory(region=region("330200")),
        enterprise_user(registry_enterprise("330100")),
        UserFactory(role="panelist"),
    ]
    for user in outsiders:
        client.force_login(user)
        assert client.get(download).status_code == 404
        assert client.post(issue).status_code == 404
    assert Certificate.objects.count() == 1


def test_certificate_download_stops_once_the_enterprise_left(client, entry):
    _issue(entry)
    RegistryEntry.objects.filter(pk=entry.pk).update(
        status="graduated", left_on=timezone.localdate()
    )
    client.force_login(enterprise_user(entry.enterprise))
    assert (
        client.get(reverse("reports:certificate-pdf", args=[entry.enterprise.pk])).status_code
        == 404
    )
    api = f"/api/v1/documents/enterprises/{entry.enterprise.pk}/certificate/"
    assert client.get(api).status_code == 404
