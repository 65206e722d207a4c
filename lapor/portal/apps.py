from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "lapor.portal"
    label = "portal"
