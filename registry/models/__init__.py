from registry.models.enterprises import (
    Enterprise,
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
from registry.models.policies import (
    Holiday,
    Policy,
    PolicyGrant,
    PolicyMatchRun,
)

__all__ = [
    "AnnualReport",
    "Enterprise",
    "GrowthLabel",
    "Holiday",
    "LabelAward",
    "Membership",
    "Policy",
    "PolicyGrant",
    "PolicyMatchRun",
    "RegistryEntry",
    "ReportReminder",
    "ReportReturn",
    "ServiceRecord",
    "TierChange",
]
