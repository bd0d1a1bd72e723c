from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = "报告复核"

    def ready(self) -> None:
        """Every report this product signs passes the bureau's 复核 first (see :mod:`audits.selfcheck`)."""
        from audits.selfcheck import sign_off_findings
        from reports.checks import CheckSpec, Stage, register_check

        register_check(CheckSpec("bureau_review", "财政局复核会指出的问题", sign_off_findings, frozenset({Stage.SIGN_OFF})))
