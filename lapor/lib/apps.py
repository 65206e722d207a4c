from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "lapor.lib"
    label = "lib"

    def ready(self) -> None:
        from lapor import checks  # noqa: F401  (registers the system checks)
