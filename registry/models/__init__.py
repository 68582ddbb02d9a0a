from registry.models.enterprises import (
    Enterprise,
    EnterpriseRecord,
    Membership,
    RegistryEntry,
    TierChange,
)
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
