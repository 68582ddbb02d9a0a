from django.urls import path

from resources import views

app_name = "resources"
urlpatterns = [
    path("", views.resource_list, name="resource-list"),
    path("mine/", views.my_resources, name="resource-mine"),
    path("new/", views.resource_apply, name="resource-apply"),
    path("notice/", views.public_notice, name="notice"),
    path("<int:pk>/", views.resource_detail, name="resource-detail"),
    path("<int:pk>/edit/", views.resource_edit, name="resource-edit"),
    path("<int:pk>/change/", views.resource_change, name="resource-change"),
    path("<int:pk>/cancel-request/", views.resource_cancel_request, name="resource-cancel-request"),
    path("<int:pk>/<slug:action>/", views.resource_act, name="resource-act"),
    path("revisions/<int:pk>/decide/", views.revision_decide, name="revision-decide"),
]
