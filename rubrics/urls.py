from django.urls import path

from rubrics import views, views_projects

urlpatterns = [
    path("evaluations/<int:pk>/indicators/", views.rubric_overview, name="rubric_overview"),
    path("evaluations/<int:pk>/indicators/section/<str:code>/", views.rubric_overview_section, name="rubric_overview_section"),
    path("evaluations/<int:pk>/indicators/choose/", views.rubric_choose, name="rubric_choose"),
    path("evaluations/<int:pk>/indicators/import/", views.rubric_import, name="rubric_import"),
    path("evaluations/<int:pk>/indicators/import/confirm/", views.rubric_import_confirm, name="rubric_import_confirm"),
    path("evaluations/<int:pk>/indicators/<str:code>/", views.judgment_edit, name="judgment_edit"),
    path("evaluations/<int:pk>/indicators/<str:code>/preview/", views.judgment_preview, name="judgment_preview"),
    path("evaluations/<int:pk>/indicators/<str:code>/draft/", views.judgment_draft, name="judgment_draft"),
    path("evaluations/<int:pk>/indicators/<str:code>/draft/discard/", views.judgment_draft_discard,
         name="judgment_draft_discard"),
    path("evaluations/<int:pk>/indicators/<str:code>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("evaluations/<int:pk>/evidence/", views.evidence_index, name="evidence_index"),
    path("evaluations/<int:pk>/evidence/xlsx/", views.evidence_index_xlsx, name="evidence_index_xlsx"),
    path("evaluations/<int:pk>/evidence/<int:evidence_pk>/", views.evidence_download, name="evidence_download"),
    path("evaluations/<int:pk>/evidence/<int:evidence_pk>/share/", views.evidence_share, name="evidence_share"),
    path("evaluations/<int:pk>/projects/", views_projects.project_forms, name="project_forms"),
    path("evaluations/<int:pk>/projects/import/", views_projects.project_form_import, name="project_form_import"),
    path(
        "evaluations/<int:pk>/projects/import/confirm/", views_projects.project_form_import_confirm,
        name="project_form_import_confirm",
    ),
    path(
        "evaluations/<int:pk>/projects/<int:project_pk>/delete/", views_projects.project_form_delete,
        name="project_form_delete",
    ),
    path(
        "evaluations/<int:pk>/projects/<int:project_pk>/in-report/", views_projects.project_form_in_report,
        name="project_form_in_report",
    ),
    path("evaluations/<int:pk>/evidence/<int:evidence_pk>/remove/", views.evidence_remove, name="evidence_remove"),
    path("templates/", views.system_list, name="system_list"),
    path("templates/import/", views.system_import, name="system_import"),
    path("templates/import/confirm/", views.system_import_confirm, name="system_import_confirm"),
    path("templates/<int:pk>/", views.system_detail, name="system_detail"),
    path("templates/<int:pk>/nodes/", views.system_node_save, name="system_node_save"),
    path("templates/<int:pk>/nodes/<str:code>/", views.system_node_action, name="system_node_action"),
]
