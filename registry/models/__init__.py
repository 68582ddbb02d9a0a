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
from registry.models.policies import (
    Holiday,
    Policy,
    PolicyGrant,
    PolicyMatchRun,
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
    "Holiday",
    "LabelAward",
    "Membership",
    "RegistrationCodeSequence",
    "Policy",
    "PolicyGrant",
    "PolicyMatchRun",
    "RegistryEntry",
    "ReportReminder",
    "ReportReturn",
    "ServiceRecord",
    "TierChange",
]
