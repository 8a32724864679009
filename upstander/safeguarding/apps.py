from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "upstander.safeguarding"
    label = "safeguarding"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Subscribes safeguarding to the reports core's hooks (a reporter's retaliation account joins the alert).
        from upstander.safeguarding import receivers  # noqa: F401
