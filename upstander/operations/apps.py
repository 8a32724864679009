from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """What an operator runs: the installation record (fail closed), scheduled runs, backups, health, metrics."""

    name = "upstander.operations"
    label = "operations"
    default_auto_field = "django.db.models.BigAutoField"
