from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "upstander.safeguarding"
    label = "safeguarding"
    default_auto_field = "django.db.models.BigAutoField"
