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

__all__ = [
    "AnnualReport",
    "Enterprise",
    "EnterpriseRecord",
    "GrowthLabel",
    "LabelAward",
    "Membership",
    "RegistryEntry",
    "ReportReminder",
    "ReportReturn",
    "ServiceRecord",
    "TierChange",
]
