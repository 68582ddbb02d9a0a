from django.urls import path

from selection import views, views_panel, views_queue, views_results

app_name = "selection"
urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/new/", views.round_create, name="round-create"),
    path("review-queue/", views_queue.queue, name="review-queue"),
    path("review-queue/eligible/", views_queue.mark_eligible, name="review-queue-eligible"),
    path("rounds/<int:pk>/", views.round_detail, name="round-detail"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round-edit"),
    path("rounds/<int:pk>/rules/", views.round_rules, name="round-rules"),
    path("rounds/<int:pk>/rubric/", views.round_rubric, name="round-rubric"),
    path("rounds/<int:pk>/status/", views.round_transition, name="round-transition"),
    path("rounds/<int:pk>/apply/", views.application_start, name="application-start"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application-edit"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application-submit"),
    path(
        "applications/<int:pk>/withdraw/", views.application_withdraw, name="application-withdraw"
    ),
    path("applications/<int:pk>/review/", views.application_review, name="application-review"),
    path("applications/<int:pk>/attachments/", views.attachment_add, name="attachment-add"),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment-download",
    ),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/remove/",
        views.attachment_remove,
        name="attachment-remove",
    ),
    path("rounds/<int:pk>/panel/", views_panel.panel_manage, name="panel-manage"),
    path("rounds/<int:pk>/panel/assign/", views_panel.panel_auto_assign, name="panel-assign"),
    path(
        "rounds/<int:pk>/panel/members/<int:member_pk>/remove/",
        views_panel.panel_member_remove,
        name="panel-member-remove",
    ),
    path("conflicts/<int:pk>/dismiss/", views_panel.conflict_dismiss, name="conflict-dismiss"),
    path(
        "conflict-reports/<int:pk>/decide/",
        views_panel.conflict_report_decide,
        name="conflict-report-decide",
    ),
    path(
        "rounds/<int:pk>/panel/<int:application_pk>/assign/",
        views_panel.assignment_add,
        name="assignment-add",
    ),
    path(
        "rounds/<int:pk>/panel/<int:application_pk>/replace/",
        views_panel.assignment_replace,
        name="assignment-replace",
    ),
    path(
        "rounds/<int:pk>/panel/candidates/", views_panel.panel_candidates, name="panel-candidates"
    ),
    path(
        "rounds/<int:pk>/panel/assignments/<int:assignment_pk>/remove/",
        views_panel.assignment_remove,
        name="assignment-remove",
    ),
    path("panel/", views_panel.panel_home, name="panel-home"),
    path("rounds/<int:pk>/results/", views_results.results, name="results"),
    path("rounds/<int:pk>/results/run/", views_results.run_start, name="run-start"),
    path("rounds/<int:pk>/results/progress/", views_results.run_progress, name="run-progress"),
    path("rounds/<int:pk>/results/confirm/", views_results.confirm, name="results-confirm"),
    path(
        "rounds/<int:pk>/results/<int:application_pk>/override/",
        views_results.override,
        name="results-override",
    ),
    path("rounds/<int:pk>/objections/", views_results.objection_list, name="objection-list"),
    path("objections/<int:pk>/resolve/", views_results.objection_resolve, name="objection-resolve"),
    path(
        "objections/<int:pk>/evidence/", views_results.objection_evidence, name="objection-evidence"
    ),
    path(
        "applications/<int:application_pk>/objection/",
        views_results.objection_file,
        name="objection-file",
    ),
    path("notice/", views_results.public_notice, name="public-notice"),
    path("sheets/<int:pk>/", views_panel.sheet_detail, name="sheet-detail"),
    path("sheets/<int:pk>/conflict/", views_panel.conflict_declare, name="conflict-declare"),
]
