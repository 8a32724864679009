from django.apps import AppConfig


class CustodyConfig(AppConfig):
    name = "upstander.custody"
    label = "custody"
    default_auto_field = "django.db.models.BigAutoField"
