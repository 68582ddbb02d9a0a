from django.urls import path

from vouchers import views, views_parties, views_staff

app_name = "vouchers"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("programs/", views.program_list, name="program-list"),
    path("programs/new/", views_staff.program_create, name="program-create"),
    path("programs/<int:pk>/", views.program_detail, name="program-detail"),
    path("programs/<int:pk>/edit/", views_staff.program_edit, name="program-edit"),
    path("programs/<int:pk>/dashboard/", views_staff.program_dashboard, name="program-dashboard"),
    path("programs/<int:pk>/apply/", views_parties.apply, name="apply"),
    path("programs/<int:pk>/join/", views_parties.program_join, name="program-join"),
    path("programs/<int:pk>/<slug:action>/", views_staff.program_act, name="program-act"),
    path("memberships/<int:pk>/<slug:action>/", views_staff.membership_act, name="membership-act"),
    path("applications/", views.application_list, name="application-list"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path(
        "applications/<int:pk>/withdraw/",
        views_parties.application_withdraw,
        name="application-withdraw",
    ),
    path(
        "applications/<int:pk>/resubmit/",
        views_parties.application_resubmit,
        name="application-resubmit",
    ),
    path(
        "applications/<int:pk>/<slug:action>/", views_staff.application_act, name="application-act"
    ),
    path("vouchers/", views.voucher_list, name="voucher-list"),
    path("vouchers/<int:pk>/", views.voucher_detail, name="voucher-detail"),
    path("vouchers/<int:pk>/claim/", views_parties.claim_file, name="claim-file"),
    path("vouchers/<int:pk>/cancel/", views_staff.voucher_cancel, name="voucher-cancel"),
    path("claims/", views.claim_list, name="claim-list"),
    path("claims/<int:pk>/", views.claim_detail, name="claim-detail"),
    path("claims/<int:pk>/resubmit/", views_parties.claim_resubmit, name="claim-resubmit"),
    path("claims/<int:pk>/<slug:action>/", views_parties.claim_act, name="claim-act"),
    path("provider/", views_parties.provider_profile, name="provider-profile"),
    path("provider/related-parties/", views_parties.related_party_add, name="related-party-add"),
    path("provider/products/new/", views_parties.product_form, name="product-add"),
    path("provider/products/<int:pk>/", views_parties.product_form, name="product-edit"),
    path("verify/", views_parties.verify_code, name="verify"),
    path("check/<str:token>/", views.check, name="check"),
    path("reconciliation/", views_staff.reconciliation_page, name="reconciliation"),
]
