from django.apps import AppConfig


class RubricsConfig(AppConfig):
    name = "rubrics"
    verbose_name = "指标体系与评分"

    def ready(self) -> None:
        from rubrics import signals  # noqa: F401  (connects the receivers)
