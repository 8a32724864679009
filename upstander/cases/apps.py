from django.apps import AppConfig
from django.core import checks


class CasesConfig(AppConfig):
    name = "upstander.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The workflow policy must give every case action its steps, stages and roles: a replaced workflow.toml that
        # does not is refused when the server starts or migrates, not in the middle of a case.
        from upstander.cases.permissions import workflow_check  # models are ready only now

        checks.register(workflow_check, checks.Tags.compatibility)
