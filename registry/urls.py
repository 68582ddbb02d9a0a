from django.urls import path

from registry import views, views_policies, views_reports

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
    path("monitoring/", views_reports.monitoring_dashboard, name="dashboard"),
    path("reports/", views_reports.report_list, name="report-list"),
    path("reports/<int:year>/", views_reports.report_edit, name="report-edit"),
    path("reports/<int:pk>/accept/", views_reports.report_accept, name="report-accept"),
    path("reports/<int:pk>/return/", views_reports.report_return, name="report-return"),
    path("enterprises/<int:pk>/services/", views_reports.service_add, name="service-add"),
    path("services/<int:pk>/done/", views_reports.service_followed_up, name="service-done"),
    path("policies/", views_policies.policy_list, name="policy-list"),
    path("policies/new/", views_policies.policy_create, name="policy-create"),
    path("policies/builder-row/", views_policies.builder_row, name="policy-builder-row"),
    path("policies/preview/", views_policies.policy_preview, name="policy-preview"),
    path("policies/<int:pk>/", views_policies.policy_detail, name="policy-detail"),
    path("policies/<int:pk>/edit/", views_policies.policy_edit, name="policy-edit"),
    path("policies/<int:pk>/publish/", views_policies.policy_publish, name="policy-publish"),
    path("policies/<int:pk>/withdraw/", views_policies.policy_withdraw, name="policy-withdraw"),
    path("policies/<int:pk>/rematch/", views_policies.policy_rematch, name="policy-rematch"),
    path("policies/<int:pk>/progress/", views_policies.policy_progress, name="policy-progress"),
    path("grants/<int:pk>/deliver/", views_policies.grant_deliver, name="grant-deliver"),
    path("policies/mine/", views_policies.my_policies, name="my-policies"),
    path("policies/mine/<int:pk>/", views_policies.grant_respond, name="grant-respond"),
]
