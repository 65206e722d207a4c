"""`manage.py fetch_mail` against a fake IMAP server (imaplib's class is the boundary)."""

from __future__ import annotations

import imaplib
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lapor.channels.models import InboundMessage
from lapor.reports.models import Attachment, Channel, Report
from tests.channels.conftest import payload

pytestmark = pytest.mark.django_db


class FakeIMAP:
    """Speaks the part of imaplib.IMAP4 that fetch_mail uses, over an in-memory mailbox."""

    instances: list[FakeIMAP] = []
    mailbox: dict[bytes, bytes] = {}
    seen: set[bytes] = set()

    def __init__(self, host: str, port: int, timeout: float | None = None) -> None:
        self.host, self.port = host, port
        self.logged_in = self.selected = self.logged_out = False
        FakeIMAP.instances.append(self)

    def login(self, user: str, password: str) -> tuple[str, list[bytes]]:
        if password != "sandi-imap":
            raise imaplib.IMAP4.error("AUTHENTICATIONFAILED")
        self.logged_in = True
        return "OK", [b"Logged in"]

    def select(self, mailbox: str = "INBOX") -> tuple[str, list[bytes]]:
        assert self.logged_in
        self.selected = mailbox == "INBOX"
        return ("OK", [str(len(self.mailbox)).encode()]) if self.selected else ("NO", [b"?"])

    def uid(self, command: str, *args: Any) -> tuple[str, list[Any]]:
        assert self.selected
        command = command.upper()
        if command == "SEARCH":
            unseen = [u for u in sorted(self.mailbox) if u not in self.seen]
            return "OK", [b" ".join(unseen)]
        uid = args[0].encode()
        if command == "FETCH":
            assert args[1] == "(BODY.PEEK[])"  # never marks read by itself
            return "OK", [(uid + b" (UID " + uid + b" BODY[] {n}", self.mailbox[uid]), b")"]
        if command == "STORE":
            assert args[1:] == ("+FLAGS", "(\\Seen)")
            self.seen.add(uid)
            return "OK", [b""]
        raise AssertionError(command)

    def logout(self) -> tuple[str, list[bytes]]:
        self.logged_out = True
        return "BYE", [b""]


@pytest.fixture
def imap(settings, monkeypatch) -> type[FakeIMAP]:  # type: ignore[no-untyped-def]
    settings.IMAP_HOST = "imap.lapor.test"
    settings.IMAP_USER = "pengaduan@lapor.go.id"
    settings.IMAP_PASSWORD = "sandi-imap"
    FakeIMAP.instances, FakeIMAP.mailbox, FakeIMAP.seen = [], {}, set()
    monkeypatch.setattr(imaplib, "IMAP4_SSL", FakeIMAP)
    return FakeIMAP


def raw_mail() -> bytes:
    return payload("email_imap_raw.eml").replace(b"\n", b"\r\n") + b"\r\n"


def run() -> str:
    out = StringIO()
    call_command("fetch_mail", stdout=out)
    return out.getvalue()


def test_unread_mail_becomes_reports_and_is_flagged_read(imap, world) -> None:  # type: ignore[no-untyped-def]
    imap.mailbox = {b"101": raw_mail(), b"102": b"\x00\xffnot an email at all"}
    output = run()
    assert "Surel diambil: 2" in output
    report = Report.objects.get()
    assert report.channel == Channel.EMAIL
    assert report.title == "Bantuan sosial tidak sampai ke RT 05 Sungai Pinang"
    assert "12 keluarga di RT 05 Kelurahan Sungai Pinang Dalam" in report.body
    assert report.contact_email == "rina.w@contoh.id"
    assert Attachment.objects.get(report=report).name == "daftar-penerima.png"
    assert imap.seen == {b"101", b"102"}
    assert imap.instances[-1].logged_out
    message = InboundMessage.objects.get(external_id="<20260302100041.rina.4471@mail.contoh.id>")
    assert message.status == InboundMessage.Status.CREATED
    assert "rfc822_base64" in message.payload
    # The unreadable one is kept, not lost.
    odd = InboundMessage.objects.exclude(pk=message.pk).get()
    assert odd.external_id and odd.external_id.startswith("sha256:")
    assert odd.status in {InboundMessage.Status.UNPARSEABLE, InboundMessage.Status.IGNORED}


def test_a_message_fetched_again_after_a_crash_is_a_duplicate(imap, world) -> None:  # type: ignore[no-untyped-def]
    imap.mailbox = {b"7": raw_mail()}
    run()
    imap.seen.clear()  # the flag was never set: the crash happened after storing
    output = run()
    assert "duplikat 1" in output
    assert Report.objects.count() == 1 and InboundMessage.objects.count() == 1


def test_nothing_new_is_fine(imap, world) -> None:  # type: ignore[no-untyped-def]
    assert "Surel diambil: 0" in run()


def test_bad_credentials_and_missing_settings_are_command_errors(imap, settings) -> None:  # type: ignore[no-untyped-def]
    settings.IMAP_PASSWORD = "salah"
    with pytest.raises(CommandError, match="AUTHENTICATIONFAILED"):
        run()
    settings.IMAP_HOST = ""
    with pytest.raises(CommandError, match="IMAP_HOST"):
        run()
