from django.urls import path

from scenarios import views, views_actions, views_cases, views_matching

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
    path(
        "lists/<int:pk>/recommendation-progress/",
        views.list_recommendation_progress,
        name="list-recommendation-progress",
    ),  # fmt: skip
    path("lists/<int:pk>/new/", views_actions.scenario_create, name="scenario-create"),
    path("responses/", views.response_list, name="response-list"),
    path("responses/<int:pk>/", views.response_detail, name="response-detail"),
    # Before the action pattern below, which would take these slugs.
    path(
        "responses/<int:pk>/attachment/", views.response_attachment, name="response-attachment"
    ),  # fmt: skip
    path("responses/<int:pk>/typical-case/", views_cases.case_mark, name="case-mark"),
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
    path("recommended/", views_matching.recommended, name="recommended"),
    path(
        "<int:pk>/recommended-enterprises/",
        views_matching.recommended_enterprises,
        name="recommended-enterprises",
    ),  # fmt: skip
    path("<int:pk>/attachment/", views.scenario_attachment, name="scenario-attachment"),
    path("cases/", views_cases.case_list, name="case-list"),
    path("cases/<int:pk>/", views_cases.case_detail, name="case-detail"),
    path("cases/<int:pk>/unpublish/", views_cases.case_unpublish, name="case-unpublish"),
]
