"""The registry certificate (入库证书): issuing, verifying, rendering.

A certificate's code is 16 random characters from an alphabet without look-alikes (80 bits:
not a sequence anyone can walk), shown in groups of four. Its QR code opens the public
verification page, which says whether it is valid *now*: a reissue revokes the certificate
before it, and an enterprise that left the registry (exited or graduated) makes its
certificate lapse on its own, with no change to the certificate row.
"""

import secrets
from dataclasses import dataclass

import segno
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import record_event
from config.errors import DomainError
from registry.choices import EntryStatus
from reports.models import Certificate
from reports.pdf import render_pdf
from reports.permissions import can_issue_certificate

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
CODE_CHARS = 16
PREFIX = "SC"


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_CHARS))
    return PREFIX + "-" + "-".join(raw[i : i + 4] for i in range(0, CODE_CHARS, 4))


def normalise_code(text: str) -> str:
    """What a person typed (lower case, spaces, no dashes) as the stored form."""
    raw = "".join(c for c in (text or "").upper() if c.isalnum())
    if raw.startswith(PREFIX):
        raw = raw[len(PREFIX) :]
    if len(raw) != CODE_CHARS:
        return ""
    return PREFIX + "-" + "-".join(raw[i : i + 4] for i in range(0, CODE_CHARS, 4))


def verification_url(code: str) -> str:
    """The absolute address of the public verification page (what the QR code holds)."""
    path = reverse("reports:certificate-verify", kwargs={"code": code})
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def qr_data_uri(url: str) -> str:
    """The QR code of `url` as a PNG data URI (error correction M, the standard quiet zone
    of four modules, ten pixels a module: crisp at the 38 mm it is printed)."""
    return segno.make(url, error="m", micro=False).png_data_uri(scale=10, border=4)


def issue_certificate(entry, *, actor) -> Certificate:
    """The entry's current certificate, issuing one if it has none or if its tier or
    jurisdiction changed since (the old one is then revoked).

    Side effects: at most one revocation and one Certificate; audit `certificate.issued`.
    Idempotent: a second call with nothing changed returns the same certificate.
    """
    if not can_issue_certificate(actor, entry):
        raise DomainError(_("只有在库企业才能生成入库证书。"))
    return _current_or_new(entry, actor=actor)


def issue_at_admission(entry, *, actor) -> Certificate | None:
    """The certificate of an enterprise the registry just admitted (or moved to another
    tier): issued by the admission itself, in its transaction, whoever admitted it (the
    beat task that closes a notice admits as the round's confirmer). None when the entry
    is not active. Side effects as `issue_certificate`."""
    if entry.status != EntryStatus.ACTIVE:
        return None
    return _current_or_new(entry, actor=actor)


def _current_or_new(entry, *, actor) -> Certificate:
    jurisdiction = entry.jurisdiction or entry.enterprise.region
    with transaction.atomic():
        current = Certificate.objects.select_for_update().filter(entry=entry).current().first()
        if current and current.tier == entry.tier and current.jurisdiction_id == jurisdiction.pk:
            return current
        before = None
        if current:
            current.revoked_at = timezone.now()
            current.save(update_fields=["revoked_at"])
            before = {"code": current.code, "tier": current.tier}
        certificate = Certificate.objects.create(
            code=new_code(),
            entry=entry,
            tier=entry.tier,
            jurisdiction=jurisdiction,
            issued_on=timezone.localdate(),
            issued_by=actor,
        )
        record_event(
            actor=actor,
            action="certificate.issued",
            obj=certificate,
            before=before,
            after={"code": certificate.code, "tier": certificate.tier},
            enterprise=entry.enterprise,
        )
    return certificate


VALID, REVOKED, EXITED, GRADUATED, UNKNOWN = "valid", "revoked", "exited", "graduated", "unknown"
STATUS_LABELS = {
    VALID: gettext_lazy("有效"),
    REVOKED: gettext_lazy("已作废（已换发新证书）"),
    EXITED: gettext_lazy("已失效：企业已退出培育库"),
    GRADUATED: gettext_lazy("已失效：企业已毕业出库"),
    UNKNOWN: gettext_lazy("查无此证书"),
}


@dataclass
class Verification:
    """What the public page may say about a code: no sensitive field."""

    code: str
    status: str
    certificate: Certificate | None = None

    @property
    def valid(self) -> bool:
        return self.status == VALID

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])

    def public_fields(self) -> dict:
        c = self.certificate
        if c is None:
            return {"code": self.code, "status": self.status, "status_label": self.label}
        entry = c.entry
        return {
            "code": c.code,
            "status": self.status,
            "status_label": self.label,
            "valid": self.valid,
            "enterprise": entry.enterprise.name,
            "tier": c.tier,
            "tier_label": c.get_tier_display(),
            "jurisdiction": c.jurisdiction.name,
            "issued_on": c.issued_on,
            "left_on": entry.left_on,
        }


def verify(code: str) -> Verification:
    normal = normalise_code(code)
    certificate = (
        Certificate.objects.select_related("entry__enterprise", "jurisdiction")
        .filter(code=normal)
        .first()
        if normal
        else None
    )
    if certificate is None:
        return Verification(code=code[:40], status=UNKNOWN)
    if certificate.revoked_at is not None:
        status = REVOKED
    elif certificate.entry.status == EntryStatus.EXITED:
        status = EXITED
    elif certificate.entry.status == EntryStatus.GRADUATED:
        status = GRADUATED
    else:
        status = VALID
    return Verification(code=certificate.code, status=status, certificate=certificate)


def certificate_html(certificate) -> str:
    url = verification_url(certificate.code)
    context = {
        "certificate": certificate,
        "enterprise": certificate.entry.enterprise,
        "url": url,
        "qr": qr_data_uri(url),
        "portal_name": settings.PORTAL_NAME,
        "generated_at": timezone.now(),
    }
    return render_to_string("reports/certificate.html", context)


# The certificate's own page style (passed to WeasyPrint, not inlined: templates carry no
# <style>, the site's CSP test reads them all).
CERTIFICATE_CSS = """
.cert { border: 3pt double #8a1f1f; padding: 14mm 14mm 10mm; min-height: 200mm; }
.cert h1 { font-size: 28pt; color: #8a1f1f; margin-bottom: 8mm; }
.cert .lead { font-size: 13pt; line-height: 1.9; margin: 8mm 0; text-indent: 2em; }
.cert .name { font-size: 16pt; font-weight: bold; }
.cert table.kv { width: 100%; margin-top: 6mm; }
.cert .qr { margin-top: 10mm; text-align: center; }
.cert .qr img { width: 38mm; height: 38mm; image-rendering: pixelated; }
.cert .issuer { text-align: right; margin-top: 10mm; font-size: 12pt; }
"""


def certificate_pdf(certificate) -> bytes:
    return render_pdf(certificate_html(certificate), stylesheets=[CERTIFICATE_CSS])
