from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "upstander.workspace"
    label = "workspace"
    verbose_name = "Staff workspace: navigation and each role's page for today"
