"""The reports app's models: list exports, and the documents (certificates, annual reports)."""

from reports.models.documents import (
    AnnualReportRun,
    AnnualReportRunQuerySet,
    Certificate,
    CertificateQuerySet,
    RoundDocumentKind,
    RoundDocumentRun,
    RoundDocumentRunQuerySet,
)
from reports.models.exports import (
    Export,
    ExportFormat,
    ExportQuerySet,
    ExportStorage,
    export_storage,
    export_storage_for_field,
)

__all__ = [
    "AnnualReportRun",
    "AnnualReportRunQuerySet",
    "Certificate",
    "CertificateQuerySet",
    "RoundDocumentKind",
    "RoundDocumentRun",
    "RoundDocumentRunQuerySet",
    "Export",
    "ExportFormat",
    "ExportQuerySet",
    "ExportStorage",
    "export_storage",
    "export_storage_for_field",
]
