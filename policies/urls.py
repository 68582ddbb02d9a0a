from django.urls import path

from policies import views

app_name = "policies"
urlpatterns = [
    path("", views.policy_list, name="policy-list"),
    path("new/", views.policy_create, name="policy-create"),
    path("preview/", views.policy_preview, name="policy-preview"),
    path("<int:pk>/", views.policy_detail, name="policy-detail"),
    path("<int:pk>/edit/", views.policy_edit, name="policy-edit"),
    path("<int:pk>/publish/", views.policy_publish, name="policy-publish"),
    path("<int:pk>/withdraw/", views.policy_withdraw, name="policy-withdraw"),
    path("<int:pk>/rematch/", views.policy_rematch, name="policy-rematch"),
    path("<int:pk>/progress/", views.policy_progress, name="policy-progress"),
    path("grants/<int:pk>/deliver/", views.grant_deliver, name="grant-deliver"),
    path("mine/", views.my_policies, name="my-policies"),
    path("mine/<int:pk>/", views.grant_respond, name="grant-respond"),
]
