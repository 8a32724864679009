from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "upstander.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Subscribes the case workflow to the reports core's hooks (a new report is screened by the safety net; the
        # reporter's timeline reads the case's clocks).
        from upstander.cases import receivers  # noqa: F401
