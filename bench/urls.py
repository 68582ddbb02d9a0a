"""The portal's URLs plus the bare comparison view (mounted only under bench.settings)."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/bare/enterprises/", views.bare_enterprises, name="bench-bare-enterprises"),
    path("", include("config.urls")),
]
