from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "lapor.workbench"
    label = "workbench"
