from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = "评价项目"

    def ready(self) -> None:
        from evaluations import signals  # noqa: F401  (connects the receivers)
