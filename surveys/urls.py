from django.urls import path

from surveys import views

urlpatterns = [
    path("evaluations/<int:pk>/surveys/", views.survey_list, name="survey_list"),
    path("evaluations/<int:pk>/surveys/new/", views.survey_create, name="survey_create"),
    path("evaluations/<int:pk>/surveys/import/", views.survey_import, name="survey_import"),
    path("evaluations/<int:pk>/surveys/import/confirm/", views.survey_import_confirm, name="survey_import_confirm"),
    path("evaluations/<int:pk>/surveys/<int:sid>/", views.survey_detail, name="survey_detail"),
    path("evaluations/<int:pk>/surveys/<int:sid>/edit/", views.survey_structure, name="survey_structure"),
    path("evaluations/<int:pk>/surveys/<int:sid>/questions/add/", views.survey_question_add, name="survey_question_add"),
    path("evaluations/<int:pk>/surveys/<int:sid>/counts/", views.survey_counts, name="survey_counts"),
    path("evaluations/<int:pk>/surveys/<int:sid>/delete/", views.survey_delete, name="survey_delete"),
    path("evaluations/<int:pk>/surveys/<int:sid>/template.xlsx", views.survey_template_xlsx, name="survey_template_xlsx"),
    path(
        "evaluations/<int:pk>/surveys/<int:sid>/charts/<int:number>.<str:fmt>", views.survey_chart, name="survey_chart"
    ),
]
