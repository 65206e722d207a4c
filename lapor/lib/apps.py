from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "lapor.lib"
    label = "lib"
