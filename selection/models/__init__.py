from selection.models.applications import (
    Application,
    ApplicationAttachment,
    ApplicationFigures,
    FormalReview,
    FormalReviewItem,
    attachment_path,  # referenced by migration 0001
)
from selection.models.panel import (
    Assignment,
    ConflictOfInterest,
    ConflictReport,
    PanelMember,
    Score,
    ScoreRevision,
    ScoreSheet,
)
from selection.models.rounds import (
    ChecklistItem,
    DirectPassRule,
    Indicator,
    IndicatorGroup,
    PanelCriterion,
    SelectionRound,
    TierRule,
)
from selection.models.tiering import Objection, TieringRun

__all__ = [
    "Application",
    "ApplicationAttachment",
    "ApplicationFigures",
    "Assignment",
    "ChecklistItem",
    "ConflictOfInterest",
    "ConflictReport",
    "DirectPassRule",
    "FormalReview",
    "FormalReviewItem",
    "Indicator",
    "IndicatorGroup",
    "PanelCriterion",
    "PanelMember",
    "Score",
    "ScoreRevision",
    "ScoreSheet",
    "SelectionRound",
    "TierRule",
    "TieringRun",
    "Objection",
    "attachment_path",
]
