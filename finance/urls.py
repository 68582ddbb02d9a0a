from django.urls import path

from finance import views, views_actions, views_enterprises

app_name = "finance"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("needs/", views.need_list, name="need-list"),
    path("needs/new/", views_actions.need_create, name="need-create"),
    path("needs/<int:pk>/", views.need_detail, name="need-detail"),
    path("needs/<int:pk>/message/", views_actions.need_message, name="need-message"),
    path("needs/<int:pk>/meeting/", views_actions.need_meeting, name="need-meeting"),
    path("needs/<int:pk>/offer/", views_actions.offer_create, name="offer-create"),
    path("needs/<int:pk>/<slug:action>/", views_actions.need_act, name="need-act"),
    path("offers/<int:pk>/<slug:action>/", views_actions.offer_act, name="offer-act"),
    path("products/", views.product_list, name="product-list"),
    path("products/new/", views_actions.product_create, name="product-create"),
    path("products/<int:pk>/edit/", views_actions.product_edit, name="product-edit"),
    path("products/<int:pk>/<slug:action>/", views_actions.product_act, name="product-act"),
    path("institutions/", views.institution_list, name="institution-list"),
    path("institutions/register/", views_actions.institution_register, name="institution-register"),
    path(
        "institutions/<int:pk>/<slug:action>/",
        views_actions.institution_act,
        name="institution-act",
    ),
    path("recommend/", views_actions.recommend, name="recommend"),
    path(
        "recommend/enterprises/",
        views_enterprises.recommend_enterprises,
        name="enterprise-recommend",
    ),
    path("enterprises/", views_enterprises.enterprise_list, name="enterprise-list"),
    path("enterprises/<int:pk>/", views_enterprises.enterprise_detail, name="enterprise-detail"),
    path("score/", views.my_score, name="my-score"),
    path("scorecards/", views.scorecards, name="scorecards"),
    path("scorecards/run/", views_actions.score_run, name="score-run"),
    path("listing/", views.listing_list, name="listing-list"),
    path("listing/new/", views_actions.listing_create, name="listing-create"),
    path("listing/<int:pk>/advance/", views_actions.listing_advance, name="listing-advance"),
]
