from django.urls import path

from conditions import views

app_name = "conditions"

urlpatterns = [
    path("builder/row/", views.builder_row, name="builder-row"),
]
