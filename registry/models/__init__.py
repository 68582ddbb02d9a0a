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
from registry.models.resources import (
    DataResource,
    DataResourceRevision,
    RegistrationCodeSequence,
)

__all__ = [
    "AnnualReport",
    "DataResource",
    "DataResourceRevision",
    "Enterprise",
    "EnterpriseRecord",
    "GrowthLabel",
    "LabelAward",
    "Membership",
    "RegistrationCodeSequence",
    "RegistryEntry",
    "ReportReminder",
    "ReportReturn",
    "ServiceRecord",
    "TierChange",
]
