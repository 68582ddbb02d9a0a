from registry.models.enterprises import (
    Enterprise,
    EnterpriseRecord,
    EnterpriseScopedQuerySet,
    Membership,
    RegistryEntry,
    TierChange,
)
from registry.models.financing import FinancingReceipt, FinancingSource
from registry.models.monitoring import (
    AnnualReport,
    GrowthLabel,
    LabelAward,
    ReportReminder,
    ReportReturn,
    ServiceRecord,
)
from registry.models.verification import EnterpriseDocument, TransferRequest

__all__ = [
    "AnnualReport",
    "Enterprise",
    "EnterpriseDocument",
    "EnterpriseRecord",
    "EnterpriseScopedQuerySet",
    "FinancingReceipt",
    "FinancingSource",
    "GrowthLabel",
    "LabelAward",
    "Membership",
    "RegistryEntry",
    "ReportReminder",
    "ReportReturn",
    "ServiceRecord",
    "TierChange",
    "TransferRequest",
]
