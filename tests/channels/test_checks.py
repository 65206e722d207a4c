from __future__ import annotations

from lapor.channels.checks import check_channel_settings


def test_an_enabled_channel_without_its_secret_is_refused(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CHANNELS_ENABLED = ["sms", "fax"]
    settings.CHANNEL_SMS_SECRET = ""
    ids = {e.id for e in check_channel_settings(None)}
    assert ids == {"channels.E001", "channels.E002"}
    settings.CHANNELS_ENABLED = ["sms"]
    settings.CHANNEL_SMS_SECRET = "short"
    assert {e.id for e in check_channel_settings(None)} == {"channels.E002"}
    settings.CHANNEL_SMS_SECRET = "x" * 32
    assert check_channel_settings(None) == []


def test_imap_and_webhook_numbers_are_checked(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CHANNELS_ENABLED = []
    settings.IMAP_HOST = "imap.contoh.id"
    settings.IMAP_USER = ""
    settings.WEBHOOK_MAX_ATTEMPTS = 0
    settings.WEBHOOK_TIMEOUT_SECONDS = 0
    ids = {e.id for e in check_channel_settings(None)}
    assert ids == {"channels.E003", "channels.E004", "channels.E005"}
