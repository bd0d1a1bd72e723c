from django.urls import path

from evaluations import views

urlpatterns = [
    path("evaluations/new/", views.evaluation_create, name="evaluation_create"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/edit/", views.evaluation_edit, name="evaluation_edit"),
    path("evaluations/<int:pk>/department/", views.evaluation_department, name="evaluation_department"),
    path("evaluations/<int:pk>/team/", views.team, name="evaluation_team"),
    path("evaluations/<int:pk>/team/<int:membership_pk>/remove/", views.team_remove, name="evaluation_team_remove"),
    path("evaluations/<int:pk>/budget/", views.budget_detail, name="budget_detail"),
    path("evaluations/<int:pk>/budget/edit/", views.budget_edit, name="budget_edit"),
    path("evaluations/<int:pk>/budget/import/", views.budget_import, name="budget_import"),
    path("evaluations/<int:pk>/budget/import/confirm/", views.budget_import_confirm, name="budget_import_confirm"),
    path("evaluations/<int:pk>/budget/xlsx/", views.budget_xlsx, name="budget_xlsx"),
    path("departments/", views.department_list, name="department_list"),
    path("departments/new/", views.department_create, name="department_create"),
    path("departments/<int:pk>/edit/", views.department_edit, name="department_edit"),
]
