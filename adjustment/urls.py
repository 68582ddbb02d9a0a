from django.urls import path

from adjustment import views

app_name = "adjustment"
urlpatterns = [
    path("", views.adjustment_home, name="adjustment"),
    path("start/", views.adjustment_start, name="adjustment-start"),
    path("progress/", views.adjustment_progress, name="adjustment-progress"),
    path("rules/", views.adjustment_rules, name="adjustment-rules"),
    path("confirm/", views.proposal_bulk_confirm, name="proposal-bulk"),
    path("<int:pk>/", views.proposal_detail, name="proposal-detail"),
    path("<int:pk>/decide/", views.proposal_decide, name="proposal-decide"),
    path("<int:pk>/appeal/", views.appeal_file, name="appeal-file"),
    path("<int:pk>/appeal/decide/", views.appeal_decide, name="appeal-decide"),
    path("mine/", views.my_adjustments, name="my-adjustments"),
]
