from django.urls import path

from scenarios import views, views_actions

app_name = "scenarios"
urlpatterns = [
    path("", views.public_list, name="public-list"),
    path("<int:pk>/", views.scenario_detail, name="scenario-detail"),
    path("<int:pk>/edit/", views_actions.scenario_edit, name="scenario-edit"),
    path("<int:pk>/respond/", views_actions.respond, name="respond"),
    path("<int:pk>/award/", views_actions.award, name="award"),
    path("<int:pk>/do/<slug:action>/", views_actions.scenario_act, name="scenario-act"),
    path("publisher/", views.publisher_home, name="publisher-home"),
    path("lists/new/", views_actions.list_create, name="list-create"),
    path("lists/<int:pk>/", views.list_detail, name="list-detail"),
    path("lists/<int:pk>/new/", views_actions.scenario_create, name="scenario-create"),
    path("responses/", views.response_list, name="response-list"),
    path("responses/<int:pk>/", views.response_detail, name="response-detail"),
    path("responses/<int:pk>/<slug:action>/", views_actions.response_act, name="response-act"),
    path("review/", views.review, name="review"),
    path(
        "publishers/<int:pk>/<slug:action>/", views_actions.publisher_act, name="publisher-act"
    ),  # fmt: skip
    path(
        "first-purchases/<int:pk>/<slug:action>/",
        views_actions.first_purchase_act,
        name="first-purchase-act",
    ),  # fmt: skip
    path("catalogue/", views.catalogue, name="catalogue"),
]
