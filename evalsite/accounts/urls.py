from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from evalsite.accounts import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("account/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "account/password/reset/",
        auth_views.PasswordResetView.as_view(
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.html",
            extra_email_context={"site_name": "绩效评价工作台"},
        ),
        name="password_reset",
    ),
    path("account/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "account/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("password_reset_complete")),
        name="password_reset_confirm",
    ),
    path("account/password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("account/users/", views.user_list, name="account_users"),
    path("account/users/new/", views.user_create, name="account_user_create"),
    path("account/users/<int:pk>/active/", views.user_set_active, name="account_user_active"),
    path("account/users/<int:pk>/password-mail/", views.user_send_password_mail, name="account_user_password_mail"),
    path("account/clients/", views.client_add, name="account_client_add"),
]
