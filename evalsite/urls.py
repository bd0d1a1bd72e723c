from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "绩效评价工作台 管理后台"
admin.site.site_title = "绩效评价工作台"

urlpatterns = [
    path("", include("evalsite.accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("evaluations.urls")),
    path("", include("rubrics.urls")),
    path("", include("surveys.urls")),
    path("", include("reports.urls")),
    path("", include("audits.urls")),
]

handler403 = "evalsite.errors.permission_denied"
handler404 = "evalsite.errors.page_not_found"
