from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "upstander.evidence"
    label = "evidence"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Chat evidence"
