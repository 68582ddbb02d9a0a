from django.urls import path

from reports.exports import views

app_name = "exports"
urlpatterns = [
    path("", views.export_list, name="list"),
    path("jobs/<int:pk>/", views.export_detail, name="detail"),
    path("jobs/<int:pk>/progress/", views.export_progress, name="progress"),
    path("jobs/<int:pk>/download/", views.export_download, name="download"),
    path("<slug:list_name>/", views.export_start, name="start"),
]
