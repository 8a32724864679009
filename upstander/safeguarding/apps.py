from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "upstander.safeguarding"
    label = "safeguarding"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The case workflow asks for the separation check through its hook (cases/hooks.py), never by importing
        # safeguarding; the check is connected here, once the models are loaded.
        from upstander.cases.hooks import separation_needed
        from upstander.safeguarding.actions import on_separation_needed

        separation_needed.connect(on_separation_needed, dispatch_uid="upstander.safeguarding.separation")

        # Subscribes safeguarding to the reports core's hooks (a reporter's retaliation account joins the alert).
        from upstander.safeguarding import receivers  # noqa: F401
