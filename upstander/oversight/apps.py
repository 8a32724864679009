from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "upstander.oversight"
    label = "oversight"
    default_auto_field = "django.db.models.BigAutoField"
