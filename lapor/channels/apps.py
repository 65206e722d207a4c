from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "lapor.channels"
    label = "channels"
