from django.urls import path

from audits import views

urlpatterns = [
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/new/", views.review_create, name="review_create"),
    path("reviews/checklist/", views.review_settings, name="review_settings"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/resubmit/", views.review_resubmit, name="review_resubmit"),
    path("reviews/<int:pk>/accept/", views.review_accept, name="review_accept"),
    path("reviews/<int:pk>/files/<int:file_pk>/", views.review_file, name="review_file"),
    path("reviews/<int:pk>/v<int:number>/opinion.docx", views.review_opinion, name="review_opinion"),
]
