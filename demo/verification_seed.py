"""Demo verification and transfers: every demo enterprise is verified (seed.py), except
宁波港汇 (`ent.nb@demo.cn`, registered two days ago), whose licence and authorisation
letter wait in the Zhejiang queue, and one generated Zhejiang enterprise whose documents
were returned. 杭州市 staff asked to move one Hangzhou enterprise to 上海市: a pending
transfer request for the Shanghai staff.

Idempotent: each story is skipped when its state is already there. Everything goes
through the services (audit, notices)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Region
from registry.choices import VerificationStatus
from registry.models import Enterprise, Membership, TransferRequest
from registry.services import (
    approve_membership,
    request_membership,
    update_enterprise,
    verification,
)

DEMO_PDF = b"%PDF-1.4\n% demo verification document\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
SUBMITTER = "ent.nb@demo.cn"
RETURNED_OWNER = {"email": "ent.returned@demo.cn", "phone": "18800000107", "full_name": "韩思源"}
RETURN_REASON = "营业执照扫描件不清晰，授权委托书缺少法定代表人签字，请重新上传。"
TRANSFER_REASON = "企业已将注册地迁至上海市浦东新区，营业执照已变更。"


def _upload_both(enterprise, member):
    for kind, name in (("licence", "营业执照.pdf"), ("authorisation", "授权委托书.pdf")):
        verification.upload_document(
            enterprise, actor=member, kind=kind,
            upload=SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf"),
        )  # fmt: skip


def _unverify(enterprise):
    """As if it had registered after verification began."""
    Enterprise.objects.filter(pk=enterprise.pk).update(
        verification_status=VerificationStatus.UNVERIFIED
    )
    enterprise.refresh_from_db()


def _waiting_in_queue():
    membership = (
        Membership.objects.active()
        .filter(user__email=SUBMITTER)
        .select_related("enterprise", "user")
        .first()
    )
    if membership is None or membership.enterprise.documents.exists():
        return 0
    enterprise = membership.enterprise
    _unverify(enterprise)
    _upload_both(enterprise, membership.user)
    verification.submit_verification(enterprise, actor=membership.user)
    return 1


def _candidate(region_code):
    """A generated enterprise of the region outside the registry, with no application
    and no member: the same one on every run of the same seed."""
    region = Region.objects.get(code=region_code)
    return (
        Enterprise.objects.filter(
            region__path__startswith=region.path,
            registry_entry__isnull=True,
            applications__isnull=True,
            memberships__isnull=True,
            transfer_requests__isnull=True,
            verification_status=VerificationStatus.VERIFIED,
        )
        .order_by("uscc")
        .first()
    )


def _returned(users, password):
    if Enterprise.objects.filter(verification_status=VerificationStatus.RETURNED).exists():
        return 0
    enterprise = _candidate("330000")
    if enterprise is None:
        return 0
    staff = users["zhejiang@demo.cn"]
    membership = request_membership(account={**RETURNED_OWNER, "password": password},
                                    uscc=enterprise.uscc)  # fmt: skip
    approve_membership(membership, actor=staff)
    _unverify(enterprise)
    _upload_both(enterprise, membership.user)
    submitted = verification.submit_verification(enterprise, actor=membership.user)
    verification.return_verification(submitted, actor=staff, reason=RETURN_REASON)
    return 1


def _transfer(users):
    if TransferRequest.objects.exists():
        return 0
    enterprise = _candidate("330100")
    if enterprise is None:
        return 0
    update_enterprise(
        enterprise, actor=users["hangzhou@demo.cn"], region=Region.objects.get(code="310000"),
        transfer_reason=TRANSFER_REASON,
    )  # fmt: skip
    return 1


def seed_verification(users, password, *, log=print) -> None:
    queued, returned = _waiting_in_queue(), _returned(users, password)
    transfers = _transfer(users)
    log(f"企业认证：待审核 {queued} 家，退回 {returned} 家；辖区迁移申请 {transfers} 条")
