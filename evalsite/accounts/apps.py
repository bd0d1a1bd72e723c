from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "evalsite.accounts"
    label = "accounts"
    verbose_name = "账户与机构"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from evalsite.accounts.middleware import mark_seen

        user_logged_in.connect(mark_seen, dispatch_uid="evalsite.accounts.mark_seen")
