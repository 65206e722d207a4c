"""The workbench page of inbound messages no adapter could process, and "process again"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from lapor.accounts.models import User
from lapor.channels.models import InboundMessage
from tests.factories import World
from tests.workbench.conftest import at_city

Status = InboundMessage.Status
PAGE = "/ruang-kerja/pesan-masuk/"
PHONE = "+6281234567890"
SMS_TEXT = "Jalan di depan SDN 001 Samarinda rusak parah, banyak lubang. Mohon segera diperbaiki."


def stored(status: str = Status.UNPARSEABLE, **fields: Any) -> InboundMessage:
    defaults: dict[str, Any] = {
        "channel": "sms",
        "sender": PHONE,
        "text": "@@## teks rusak tanpa makna 0812-9999-8888",
        "payload": {"raw": "@@##"},
        "status": status,
        "error": "Nomor pengirim tidak ada.",
        "attempts": 1,
    }
    defaults.update(fields)
    return InboundMessage.objects.create(**defaults)


def reprocess_url(message_id: Any) -> str:
    return f"{PAGE}{message_id}/proses-ulang/"


def test_a_national_admin_sees_unparseable_and_failed_messages(
    world: World, login: Callable[[User], Client]
) -> None:
    unreadable = stored()
    failed = stored(Status.FAILED, error="Traceback...\nRuntimeError: basis data sibuk")
    done = stored(Status.CREATED, text="sudah jadi laporan")
    response = login(world.national_admin).get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pesan masuk tak terproses" in html
    assert f"pesan-masuk-{unreadable.pk}" in html and f"pesan-masuk-{failed.pk}" in html
    assert f"pesan-masuk-{done.pk}" not in html
    assert PHONE in html  # the national desk sees the sender
    assert "teks rusak tanpa makna" in html and "RuntimeError: basis data sibuk" in html
    assert reprocess_url(unreadable.pk) in html
    assert 'href="/ruang-kerja/pesan-masuk/"' in html  # the nav link


@pytest.mark.parametrize("persona", ["officer", "unit_officer", "leader", "auditor"])
def test_other_staff_get_403(world: World, login: Callable[[User], Client], persona: str) -> None:
    message = stored()
    client = login(getattr(world, persona))
    assert client.get(PAGE).status_code == 403
    assert client.post(reprocess_url(message.pk)).status_code == 403
    assert 'href="/ruang-kerja/pesan-masuk/"' not in client.get("/ruang-kerja/").content.decode()


def test_an_institution_admin_sees_only_messages_linked_to_their_subtree_masked(
    world: World, login: Callable[[User], Client]
) -> None:
    unlinked = stored()
    mine = stored(Status.FAILED, report=at_city(world), error="Traceback\nValueError: x")
    client = login(world.city_admin)
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"pesan-masuk-{mine.pk}" in html
    assert f"pesan-masuk-{unlinked.pk}" not in html
    assert PHONE not in html and "+628" in html  # masked
    assert "0812-9999-8888" not in html  # personal data removed from the text
    assert "Traceback" not in html and "ValueError: x" in html
    assert client.post(reprocess_url(unlinked.pk)).status_code == 404
    # Another city's admin does not see the city's message.
    other = login(world.other_admin).get(PAGE).content.decode()
    assert f"pesan-masuk-{mine.pk}" not in other


def test_process_again_turns_a_failed_message_into_a_report(
    world: World, login: Callable[[User], Client]
) -> None:
    message = stored(
        Status.FAILED,
        text=SMS_TEXT,
        payload={"message_id": "x-1", "from": PHONE, "to": "1708", "text": SMS_TEXT},
        error="RuntimeError: basis data sibuk",
    )
    client = login(world.national_admin)
    response = client.post(reprocess_url(message.pk), follow=True)
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == Status.CREATED and message.attempts == 2
    assert message.report is not None and message.report.contact_phone
    assert f"pesan-masuk-{message.pk}" not in response.content.decode()
    assert "diproses ulang" in response.content.decode()
    # Again: nothing to do (already created), answered 404 since it left the list.
    assert client.post(reprocess_url(message.pk)).status_code == 404


def test_process_again_of_unreadable_text_keeps_it_listed(
    world: World, login: Callable[[User], Client]
) -> None:
    message = stored()
    response = login(world.national_admin).post(reprocess_url(message.pk), follow=True)
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == Status.UNPARSEABLE and message.attempts == 2
    assert f"pesan-masuk-{message.pk}" in response.content.decode()


@pytest.mark.parametrize(
    "bad", ["abc", "0", "-1", "99999999999999999999999999", "1.5", "%00", "999999"]
)
def test_bad_ids_are_404_never_500(world: World, login: Callable[[User], Client], bad: str) -> None:
    client = login(world.national_admin)
    assert client.post(reprocess_url(bad)).status_code == 404


def test_reprocess_is_post_only_and_the_list_get_only(
    world: World, login: Callable[[User], Client]
) -> None:
    message = stored()
    client = login(world.national_admin)
    assert client.get(reprocess_url(message.pk)).status_code == 405
    assert client.post(PAGE).status_code == 405


def test_anonymous_visitors_are_sent_to_login(client: Client, world: World) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_the_list_pages_and_survives_a_bad_page_number(
    world: World, login: Callable[[User], Client]
) -> None:
    InboundMessage.objects.bulk_create(
        InboundMessage(
            channel="sms", sender=PHONE, text=f"rusak {n}", payload={}, status=Status.UNPARSEABLE
        )
        for n in range(51)
    )
    client = login(world.national_admin)
    first = client.get(PAGE).content.decode()
    assert 'href="?page=2" rel="next"' in first and "Halaman 1 dari 2" in first
    second = client.get(PAGE, {"page": "2"}).content.decode()
    assert 'href="?page=1" rel="prev"' in second and second.count('id="pesan-masuk-') == 1
    for bad in ("abc", "-1", "99999999999999999999"):
        assert client.get(PAGE, {"page": bad}).status_code == 200
