from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/<int:pk>/results.pdf", views.round_results_pdf, name="round-results-pdf"),
    path(
        "rounds/<int:pk>/notice.pdf",
        views.round_results_public_pdf,
        name="round-results-public-pdf",
    ),
    path("rounds/<int:pk>/minutes.pdf", views.round_minutes_pdf, name="round-minutes-pdf"),
    path(
        "enterprises/<int:pk>/profile.pdf",
        views.enterprise_profile_pdf,
        name="enterprise-profile-pdf",
    ),
    path("enterprises/<int:pk>/certificate/", views.certificate_issue, name="certificate-issue"),
    path("enterprises/<int:pk>/certificate.pdf", views.certificate_pdf, name="certificate-pdf"),
    path(
        "vouchers/programs/<int:pk>/statement.pdf",
        views.program_statement_pdf,
        name="program-statement-pdf",
    ),
    path(
        "rounds/<int:pk>/documents/<slug:kind>/",
        views.round_document_start,
        name="round-document-start",
    ),
    path("documents/<int:pk>/", views.round_document_detail, name="round-document-detail"),
    path(
        "documents/<int:pk>/progress/",
        views.round_document_progress,
        name="round-document-progress",
    ),
    path(
        "documents/<int:pk>/download/",
        views.round_document_download,
        name="round-document-download",
    ),
    path("verify/", views.certificate_lookup, name="certificate-lookup"),
    path("verify/<str:code>/", views.certificate_verify, name="certificate-verify"),
    path("annual/", views.annual_start, name="annual-start"),
    path("annual/<int:pk>/", views.annual_detail, name="annual-detail"),
    path("annual/<int:pk>/progress/", views.annual_progress, name="annual-progress"),
    path("annual/<int:pk>/download/", views.annual_download, name="annual-download"),
]
