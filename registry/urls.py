from django.urls import path

from registry import views, views_members, views_records, views_reports
from registry import views_verification as verify

app_name = "registry"
urlpatterns = [
    path("enterprises/", views.enterprise_list, name="enterprise-list"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise-detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise-edit"),
    path("my/", views.my_enterprise, name="my-enterprise"),
    path("register/", views.register, name="register"),
    path("join/", views.join, name="join"),
    path("memberships/", views.membership_list, name="membership-list"),
    path("memberships/<int:pk>/decide/", views.membership_decide, name="membership-decide"),
    path("members/<int:pk>/remove/", views_members.member_remove, name="member-remove"),
    path("members/<int:pk>/make-admin/", views_members.member_make_admin, name="member-make-admin"),
    path("enterprises/<int:pk>/leave/", views_members.enterprise_leave, name="enterprise-leave"),
    path("monitoring/", views_reports.monitoring_dashboard, name="dashboard"),
    path("reports/", views_reports.report_list, name="report-list"),
    path("reports/<int:year>/", views_reports.report_edit, name="report-edit"),
    path("reports/<int:pk>/accept/", views_reports.report_accept, name="report-accept"),
    path("reports/<int:pk>/return/", views_reports.report_return, name="report-return"),
    path("enterprises/<int:pk>/services/", views_reports.service_add, name="service-add"),
    path("services/<int:pk>/done/", views_reports.service_followed_up, name="service-done"),
    path("enterprises/<int:pk>/records/", views_records.record_add, name="record-add"),
    path("records/<int:pk>/revoke/", views_records.record_revoke, name="record-revoke"),
    path("verification/", verify.verification_queue, name="verification-queue"),
    path("enterprises/<int:pk>/verification/", verify.verification_page, name="verification"),
    path("enterprises/<int:pk>/verification/upload/", verify.verification_upload,
         name="verification-upload"),
    path("enterprises/<int:pk>/verification/submit/", verify.verification_submit,
         name="verification-submit"),
    path("enterprises/<int:pk>/verification/decide/", verify.verification_decide,
         name="verification-decide"),
    path("verification/documents/<int:pk>/", verify.document_download, name="document-download"),
    path("transfers/", verify.transfer_list, name="transfer-list"),
    path("transfers/<int:pk>/decide/", verify.transfer_decide, name="transfer-decide"),
    path("transfers/<int:pk>/withdraw/", verify.transfer_withdraw, name="transfer-withdraw"),
]  # fmt: skip
