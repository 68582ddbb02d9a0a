from django.urls import path

from registry import views

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
]
