from django.urls import include, path
from rest_framework.routers import DefaultRouter

from accounts.api import ApiTokenViewSet, MeView, ObtainTokenView
from adjustment.api import AdjustmentProposalViewSet, AdjustmentRunViewSet
from finance.api import (
    CreditScoreViewSet,
    FinancialProductViewSet,
    FinancingNeedViewSet,
    FinancingOfferViewSet,
    InstitutionViewSet,
    ListingCaseViewSet,
    RecommendationViewSet,
)
from notifications.api import NotificationViewSet
from policies.api import GrantViewSet, PolicyViewSet
from registry.api import (
    AnnualReportViewSet,
    EnterpriseViewSet,
    FollowUpViewSet,
    LabelAwardViewSet,
    RegionViewSet,
    ServiceRecordViewSet,
    TransferRequestViewSet,
)
from reports.api import (
    AnnualReportRunViewSet,
    CertificateDocument,
    CertificateVerify,
    EnterpriseProfileDocument,
    RoundMinutesDocument,
    RoundNoticeDocument,
    RoundResultsDocument,
)
from reports.exports.api import ExportViewSet
from resources.api import DataResourceViewSet
from scenarios.api import (
    CatalogueEntryViewSet,
    FirstPurchaseViewSet,
    PublisherViewSet,
    ResponseViewSet,
    ScenarioViewSet,
    TypicalCaseViewSet,
)
from selection.api import (
    ApplicationViewSet,
    ReviewQueueViewSet,
    RoundViewSet,
    ScoreSheetViewSet,
)
from vouchers.api import (
    ClaimViewSet,
    LedgerEntryViewSet,
    ProductViewSet,
    ProgramProviderViewSet,
    ProviderViewSet,
    ReconciliationViewSet,
    VoucherApplicationViewSet,
    VoucherProgramViewSet,
    VoucherViewSet,
)

router = DefaultRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("regions", RegionViewSet, basename="region")
router.register("transfer-requests", TransferRequestViewSet, basename="transfer-request")
router.register("annual-reports", AnnualReportViewSet, basename="annual-report")
router.register("service-records", ServiceRecordViewSet, basename="service-record")
router.register("growth-labels", LabelAwardViewSet, basename="growth-label")
router.register("data-resources", DataResourceViewSet, basename="data-resource")
router.register("policies", PolicyViewSet, basename="policy")
router.register("policy-grants", GrantViewSet, basename="policy-grant")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("rounds", RoundViewSet, basename="round")
router.register("applications", ApplicationViewSet, basename="application")
router.register("score-sheets", ScoreSheetViewSet, basename="score-sheet")
router.register("formal-review-queue", ReviewQueueViewSet, basename="formal-review-queue")
router.register("follow-ups", FollowUpViewSet, basename="follow-up")
router.register("adjustment-proposals", AdjustmentProposalViewSet, basename="adjustment-proposal")
router.register("adjustment-runs", AdjustmentRunViewSet, basename="adjustment-run")
router.register("exports", ExportViewSet, basename="export")
router.register("api-tokens", ApiTokenViewSet, basename="api-token")
router.register(
    "annual-cultivation-reports", AnnualReportRunViewSet, basename="annual-cultivation-report"
)
router.register("voucher-programs", VoucherProgramViewSet, basename="voucher-program")
router.register("providers", ProviderViewSet, basename="provider")
router.register("provider-products", ProductViewSet, basename="provider-product")
router.register("program-providers", ProgramProviderViewSet, basename="program-provider")
router.register("voucher-applications", VoucherApplicationViewSet, basename="voucher-application")
router.register("vouchers", VoucherViewSet, basename="voucher")
router.register("claims", ClaimViewSet, basename="claim")
router.register("ledger-entries", LedgerEntryViewSet, basename="ledger-entry")
router.register("reconciliation", ReconciliationViewSet, basename="reconciliation")
router.register("institutions", InstitutionViewSet, basename="institution")
router.register("financial-products", FinancialProductViewSet, basename="financial-product")
router.register("financing-needs", FinancingNeedViewSet, basename="financing-need")
router.register("financing-offers", FinancingOfferViewSet, basename="financing-offer")
router.register("recommendations", RecommendationViewSet, basename="recommendation")
router.register("credit-scores", CreditScoreViewSet, basename="credit-score")
router.register("listing-cases", ListingCaseViewSet, basename="listing-case")
router.register("scenarios", ScenarioViewSet, basename="scenario")
router.register("scenario-responses", ResponseViewSet, basename="scenario-response")
router.register("scenario-publishers", PublisherViewSet, basename="scenario-publisher")
router.register("first-purchases", FirstPurchaseViewSet, basename="first-purchase")
router.register("innovative-products", CatalogueEntryViewSet, basename="innovative-product")
router.register("typical-cases", TypicalCaseViewSet, basename="typical-case")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("certificates/<str:code>/verify/", CertificateVerify.as_view(), name="certificate-verify"),
    path(
        "documents/rounds/<int:pk>/results/",
        RoundResultsDocument.as_view(),
        name="document-round-results",
    ),
    path(
        "documents/rounds/<int:pk>/notice/",
        RoundNoticeDocument.as_view(),
        name="document-round-notice",
    ),
    path(
        "documents/rounds/<int:pk>/minutes/",
        RoundMinutesDocument.as_view(),
        name="document-round-minutes",
    ),
    path(
        "documents/enterprises/<int:pk>/profile/",
        EnterpriseProfileDocument.as_view(),
        name="document-enterprise-profile",
    ),
    path(
        "documents/enterprises/<int:pk>/certificate/",
        CertificateDocument.as_view(),
        name="document-certificate",
    ),
    path("", include(router.urls)),
]
