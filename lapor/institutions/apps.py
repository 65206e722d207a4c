from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "lapor.institutions"
    label = "institutions"
