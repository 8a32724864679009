from django.apps import AppConfig
from django.core import checks


class CasesConfig(AppConfig):
    name = "upstander.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The roster tells the case workflow who left through its hook (people/hooks.py), never by importing cases;
        # a leaver's open cases continue as former-officer cases (cases/leavers.py).
        # The audit log's search asks what a case code stands for (audit/search.py); audit never imports cases.
        from upstander.audit.search import reference_ids
        from upstander.cases.access import audit_object_ids
        from upstander.cases.leavers import on_people_left
        from upstander.people.hooks import people_left

        people_left.connect(on_people_left, dispatch_uid="upstander.cases.leavers")
        reference_ids.connect(audit_object_ids, dispatch_uid="upstander.cases.audit_object_ids")

        # The workflow policy must give every case action its steps, stages and roles: a replaced workflow.toml that
        # does not is refused when the server starts or migrates, not in the middle of a case.
        from upstander.cases.permissions import workflow_check  # models are ready only now

        checks.register(workflow_check, checks.Tags.compatibility)

        # Subscribes the case workflow to the reports core's hooks (a new report is screened by the safety net; the
        # reporter's timeline reads the case's clocks).
        from upstander.cases import receivers  # noqa: F401
