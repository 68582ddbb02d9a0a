"""Enterprise verification: members upload the business licence and the authorisation
letter and submit; staff of the jurisdiction approve or return with a reason.

Until it is verified an enterprise can edit its profile, but it cannot apply to a
selection round, receive a policy grant or be admitted into the registry."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from accounts.services import staff_for_region
from audit.services import record_event
from config.errors import DomainError
from config.uploads import check_pdf_upload
from config.workflow import apply_transition
from notifications.messages import Message
from notifications.services import notify
from registry.choices import (
    DOCUMENTS_EDITABLE,
    VERIFICATION_TRANSITIONS,
    DocumentKind,
    VerificationStatus,
)
from registry.models import Enterprise, EnterpriseDocument
from registry.permissions import can_verify_enterprise, is_member
from registry.signals import announce_facts_changed

V = VerificationStatus


def require_verified(enterprise, message=None) -> None:
    """Refuse what only a verified enterprise may do (apply, receive, be admitted)."""
    if enterprise.verification_status != V.VERIFIED:
        raise DomainError(
            message
            or _("企业身份尚未通过所在辖区数据管理部门的认证（当前：%(status)s），暂不能办理。")
            % {"status": enterprise.get_verification_status_display()}
        )


def _require_member(actor, enterprise):
    if not (actor.is_authenticated and is_member(actor, enterprise)):
        raise DomainError(_("只有企业成员可以办理企业认证。"))


def upload_document(enterprise, *, actor, kind, upload) -> EnterpriseDocument:
    """Upload (or replace) the business licence or the authorisation letter: a PDF of at
    most 20 MB, judged by its content.

    Side effects: the stored file (the one it replaces is deleted), the EnterpriseDocument
    row, audit event `enterprise.document_uploaded`.
    """
    _require_member(actor, enterprise)
    if kind not in DocumentKind.values:
        raise DomainError(_("请选择材料类型。"), field="kind")
    sha256 = check_pdf_upload(upload)
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if locked.verification_status not in DOCUMENTS_EDITABLE:
            raise DomainError(_("认证材料已提交，审核期间或认证通过后不能更换。"), field="file")
        old = EnterpriseDocument.objects.filter(enterprise=locked, kind=kind).first()
        if old is not None:
            old_file = old.file
            old.delete()
            transaction.on_commit(lambda: old_file.delete(save=False))
        document = EnterpriseDocument(
            enterprise=locked, kind=kind, original_name=upload.name[:200], size=upload.size,
            sha256=sha256, uploaded_by=actor,
        )  # fmt: skip
        document.file.save(f"{kind}-{sha256[:16]}.pdf", upload, save=False)
        document.save()
        record_event(
            actor=actor,
            action="enterprise.document_uploaded",
            obj=locked,
            enterprise=locked,
            after={"kind": kind, "file": document.original_name, "size": document.size},
        )
    return document


def missing_documents(enterprise) -> list[str]:
    """The kinds still to upload, as stable keys."""
    have = set(enterprise.documents.values_list("kind", flat=True))
    return [kind for kind in DocumentKind.values if kind not in have]


def submit_verification(enterprise, *, actor) -> Enterprise:
    """Members submit the documents (again, after a return) to the jurisdiction's staff.

    Side effects: status submitted (or resubmitted); audit event `verification.<status>`;
    the staff of the enterprise's jurisdiction are notified.
    """
    _require_member(actor, enterprise)
    if missing := missing_documents(enterprise):
        raise DomainError(
            _("请先上传：%(kinds)s。")
            % {"kinds": "、".join(str(DocumentKind(k).label) for k in missing)},
            field="file",
        )
    current = Enterprise.objects.values_list("verification_status", flat=True).get(pk=enterprise.pk)
    new_status = V.RESUBMITTED if current == V.RETURNED else V.SUBMITTED
    with transaction.atomic():
        locked = apply_transition(
            enterprise, new_status, transitions=VERIFICATION_TRANSITIONS, actor=actor,
            action_prefix="verification", refused=_("企业认证当前状态为“%(now)s”，不能提交。"),
            state_field="verification_status", enterprise=enterprise,
        )  # fmt: skip
        notify(
            staff_for_region(locked.region),
            title=Message(N_("企业认证待审核：%(name)s"), name=locked.name),
            url=reverse("registry:verification", args=[locked.pk]),
        )
    return locked


def set_verification_status(enterprise, new_status, *, actor, reason: str = "") -> Enterprise:
    """The one way staff decide a verification (submitted | resubmitted → verified |
    returned); returning needs a reason the members read.

    Side effects: status, reason, decider and time saved; audit event
    `verification.<status>`; the enterprise's members are notified; a verified enterprise's
    policies are rematched (facts_changed).
    """
    if not can_verify_enterprise(actor, enterprise):
        raise DomainError(_("只有企业所在辖区的数据管理部门可以审核企业认证。"))
    reason = reason.strip()
    if new_status == V.RETURNED and not reason:
        raise DomainError(_("退回认证时请填写理由，企业将据此补正材料。"), field="reason")
    with transaction.atomic():
        locked = apply_transition(
            enterprise, new_status, transitions=VERIFICATION_TRANSITIONS, actor=actor,
            action_prefix="verification", refused=_("企业认证当前状态为“%(now)s”，不能再审核。"),
            message=reason, state_field="verification_status", enterprise=enterprise,
            verification_reason=reason, verified_by=actor,
            verification_decided_at=timezone.now(),
        )  # fmt: skip
        if new_status == V.VERIFIED:
            title = Message(N_("%(name)s 已通过企业认证"), name=locked.name)
            announce_facts_changed([locked.pk])
        else:
            title = Message(N_("%(name)s 的企业认证被退回，请补正后重新提交"), name=locked.name)
        notify(
            list(locked.active_members()),
            title=title,
            body=reason,
            url=reverse("registry:verification", args=[locked.pk]),
        )
    return locked


def approve_verification(enterprise, *, actor) -> Enterprise:
    return set_verification_status(enterprise, V.VERIFIED, actor=actor)


def return_verification(enterprise, *, actor, reason: str) -> Enterprise:
    return set_verification_status(enterprise, V.RETURNED, actor=actor, reason=reason)
