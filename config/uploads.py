"""Uploaded PDFs, judged by their content (never by name or declared type): shared by the
apps that take documents (selection attachments and objections, enterprise verification)."""

import hashlib

from django.utils.translation import gettext as _

from config.errors import DomainError

MAX_PDF_BYTES = 20 * 1024 * 1024


def is_pdf(head: bytes) -> bool:
    """PDF by content: the header `%PDF-` must appear in the first 1,024 bytes."""
    return b"%PDF-" in head[:1024]


def check_pdf_upload(upload) -> str:
    """Refuse anything but a non-empty PDF of at most 20 MB, judged by its content;
    returns the file's SHA-256."""
    if upload.size > MAX_PDF_BYTES:
        raise DomainError(
            _("附件“%(name)s”超过 20 MB，请压缩后再上传。") % {"name": upload.name}, field="file"
        )
    if upload.size == 0:
        raise DomainError(_("附件“%(name)s”是空文件。") % {"name": upload.name}, field="file")
    upload.seek(0)
    if not is_pdf(upload.read(1024)):
        raise DomainError(
            _("附件“%(name)s”不是 PDF 文件（按文件内容判断），请上传 PDF。")
            % {"name": upload.name},
            field="file",
        )
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
