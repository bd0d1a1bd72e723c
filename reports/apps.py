from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "评价报告"

    def ready(self) -> None:
        from reports import signals  # noqa: F401  (connects the receivers)
