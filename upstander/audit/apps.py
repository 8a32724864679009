from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "upstander.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from upstander.audit import db_guard

        db_guard.install()
