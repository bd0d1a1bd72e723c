from django.urls import path

from reports import views_dashboard, views_delivery, views_downloads, views_profiles, views_report, views_review

urlpatterns = [
    path("", views_dashboard.dashboard, name="dashboard"),
    path("evaluations/<int:pk>/report/", views_report.report_overview, name="report_overview"),
    path("evaluations/<int:pk>/report/preview/", views_report.report_preview, name="report_preview"),
    path("evaluations/<int:pk>/report/indicators.xlsx", views_report.indicator_sheet_download, name="rubric_xlsx"),
    path("evaluations/<int:pk>/surveys/annex.xlsx", views_downloads.survey_annex_xlsx, name="survey_annex_xlsx"),
    path("templates/<int:pk>/xlsx/", views_downloads.system_xlsx, name="system_xlsx"),
    path(
        "evaluations/<int:pk>/projects/<int:project_pk>/form.<str:fmt>", views_downloads.project_form_download,
        name="project_form_download",
    ),
    path("report-profiles/", views_profiles.profile_list, name="report_profile_list"),
    path("report-profiles/<int:pk>/", views_profiles.profile_detail, name="report_profile_detail"),
    path("report-profiles/<int:pk>/edit/", views_profiles.profile_edit, name="report_profile_edit"),
    path("report-profiles/<int:pk>/copy/", views_profiles.profile_copy, name="report_profile_copy"),
    path("report-profiles/<int:pk>/delete/", views_profiles.profile_delete, name="report_profile_delete"),
    path("report-profiles/<int:pk>/bureaus/", views_profiles.profile_bureaus, name="report_profile_bureaus"),
    path("evaluations/<int:pk>/report/profile/", views_profiles.report_profile_choose, name="report_profile_choose"),
    path("evaluations/<int:pk>/report/download/<str:fmt>/", views_report.report_download, name="report_download"),
    path(
        "evaluations/<int:pk>/report/signed/<int:version>/<str:fmt>/", views_delivery.report_file, name="report_file"
    ),
    path("evaluations/<int:pk>/delivery/", views_delivery.delivery_desk, name="delivery_desk"),
    path(
        "evaluations/<int:pk>/delivery/<int:version>/<str:fmt>/", views_delivery.delivery_file, name="delivery_file"
    ),
    path(
        "evaluations/<int:pk>/delivery/evidence/<int:evidence_pk>/", views_delivery.delivery_evidence,
        name="delivery_evidence",
    ),
    path("evaluations/<int:pk>/delivery/receipt/", views_delivery.delivery_receipt, name="delivery_receipt"),
    path("evaluations/<int:pk>/delivery/opinion/", views_delivery.delivery_opinion, name="delivery_opinion"),
    path("evaluations/<int:pk>/report/render/<str:fmt>/", views_report.report_render_status, name="report_render_status"),
    path("evaluations/<int:pk>/report/files/<int:job_pk>/", views_report.report_render_file, name="report_render_file"),
    path("evaluations/<int:pk>/report/charts/<str:name>", views_report.report_chart, name="report_chart"),
    path("evaluations/<int:pk>/report/sections/<str:key>/", views_report.report_section_edit, name="report_section_edit"),
    path("evaluations/<int:pk>/report/goals/", views_report.report_goals_edit, name="report_goals_edit"),
    path("evaluations/<int:pk>/report/problems/new/", views_report.report_problem_create, name="report_problem_create"),
    path(
        "evaluations/<int:pk>/report/problems/<int:problem_pk>/", views_report.report_problem_edit,
        name="report_problem_edit",
    ),
    path(
        "evaluations/<int:pk>/report/problems/<int:problem_pk>/delete/", views_report.report_problem_delete,
        name="report_problem_delete",
    ),
    path(
        "evaluations/<int:pk>/report/suggestions/new/", views_report.report_suggestion_create,
        name="report_suggestion_create",
    ),
    path(
        "evaluations/<int:pk>/report/suggestions/<int:suggestion_pk>/", views_report.report_suggestion_edit,
        name="report_suggestion_edit",
    ),
    path(
        "evaluations/<int:pk>/report/suggestions/<int:suggestion_pk>/delete/", views_report.report_suggestion_delete,
        name="report_suggestion_delete",
    ),
    path("evaluations/<int:pk>/review/", views_review.evaluation_review, name="evaluation_review"),
    path("evaluations/<int:pk>/review/start/", views_review.evaluation_start, name="evaluation_start"),
    path("evaluations/<int:pk>/review/submit/", views_review.evaluation_submit, name="evaluation_submit"),
    path("evaluations/<int:pk>/review/approve/", views_review.evaluation_approve, name="evaluation_approve"),
    path("evaluations/<int:pk>/review/return/", views_review.evaluation_return, name="evaluation_return"),
    path("evaluations/<int:pk>/review/sign-off/", views_review.evaluation_sign_off, name="evaluation_sign_off"),
    path("evaluations/<int:pk>/review/reopen/", views_review.evaluation_reopen, name="evaluation_reopen"),
    path("evaluations/<int:pk>/review/comments/", views_review.review_comments, name="review_comments"),
    path("evaluations/<int:pk>/review/comments/new/", views_review.review_comment_create, name="review_comment_create"),
    path(
        "evaluations/<int:pk>/review/comments/<int:comment_pk>/reply/", views_review.review_comment_reply,
        name="review_comment_reply",
    ),
    path(
        "evaluations/<int:pk>/review/comments/<int:comment_pk>/close/", views_review.review_comment_close,
        name="review_comment_close",
    ),
    path("notifications/", views_review.notification_list, name="notification_list"),
    path("notifications/<int:pk>/read/", views_review.notification_read, name="notification_read"),
    path("notifications/read-all/", views_review.notifications_read_all, name="notifications_read_all"),
]
