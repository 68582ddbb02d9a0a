from registry.models.enterprises import (
    Enterprise,
    Membership,
    RegistryEntry,
    TierChange,
)
from registry.models.monitoring import AnnualReport, ReportReturn, ServiceRecord

__all__ = [
    "AnnualReport",
    "Enterprise",
    "Membership",
    "RegistryEntry",
    "ReportReturn",
    "ServiceRecord",
    "TierChange",
]
