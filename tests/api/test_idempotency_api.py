"""Idempotency-Key on POST: replays, reuse with another body, expiry, and real concurrency."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from lapor.api import reports as reports_module
from lapor.api.models import IdempotencyRecord
from lapor.reports.models import Report
from tests.api.support import *  # noqa: F403
from tests.api.support import REPORTS, Api, Tokens, error_code, report_body, routed, user_token
from tests.factories import World

KEY = {"Idempotency-Key": "5b1f3c7e-8d2a-4f60-9e1b-0c4d2a7f9e31"}


@pytest.mark.django_db
def test_a_retry_returns_the_first_response_and_creates_nothing(tokens: Tokens) -> None:
    api = Api(tokens.city)
    first = api.post(REPORTS, report_body(), **KEY)
    assert first.status_code == 201
    again = api.post(REPORTS, report_body(), **KEY)
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Report.objects.count() == 1
    # The guest secret comes back on the replay but is never stored.
    assert again.json()["guest_secret"] == first.json()["guest_secret"]
    record = IdempotencyRecord.objects.get()
    assert first.json()["guest_secret"] not in record.response_body
    assert record.secret_removed


@pytest.mark.django_db
def test_the_same_body_in_another_key_order_is_the_same_request(tokens: Tokens) -> None:
    api = Api(tokens.city)
    body = report_body()
    assert api.post(REPORTS, body, **KEY).status_code == 201
    reordered = dict(reversed(list(body.items())))
    assert api.post(REPORTS, reordered, **KEY).status_code == 201
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_409(tokens: Tokens) -> None:
    api = Api(tokens.city)
    assert api.post(REPORTS, report_body(), **KEY).status_code == 201
    reused = api.post(REPORTS, report_body(title="Judul yang lain sama sekali"), **KEY)
    assert reused.status_code == 409
    assert error_code(reused) == "idempotency_key_reused"
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_keys_are_scoped_to_the_token(tokens: Tokens) -> None:
    assert Api(tokens.city).post(REPORTS, report_body(), **KEY).status_code == 201
    assert Api(tokens.other_city).post(REPORTS, report_body(), **KEY).status_code == 201
    assert Report.objects.count() == 2


@pytest.mark.django_db
def test_an_action_is_replayed_not_repeated(w: World, tokens: Tokens) -> None:
    report, _r = routed(w)
    api = Api(tokens.city)
    url = f"{REPORTS}/{report.tracking_number}/follow-ups"
    first = api.post(url, {"message": "Sedang diperiksa."}, **KEY)
    second = api.post(url, {"message": "Sedang diperiksa."}, **KEY)
    assert first.status_code == second.status_code == 200
    assert second.json() == first.json()
    assert report.events.filter(action="follow_up").count() == 1
    # An error from the endpoint is a first response too: it is replayed, not retried.
    archive = f"{REPORTS}/{report.tracking_number}/archive"
    key = {"Idempotency-Key": "archive-1"}
    refused = api.post(archive, {"reason_code": "spam"}, **key)
    assert refused.status_code == 409
    assert api.post(archive, {"reason_code": "spam"}, **key).json() == refused.json()


@pytest.mark.django_db
def test_requests_refused_before_they_ran_leave_no_record(tokens: Tokens) -> None:
    api = Api(tokens.city)
    assert api.post(REPORTS, {"report_type": "x"}, **KEY).status_code == 422
    assert not IdempotencyRecord.objects.exists()
    assert api.post(REPORTS, report_body(), **KEY).status_code == 201
    assert Api().post(REPORTS, report_body(), **KEY).status_code == 401
    assert IdempotencyRecord.objects.count() == 1


@pytest.mark.django_db
@override_settings(API_RATE_LIMIT_SUBMIT_PER_MINUTE=1)
def test_a_rate_limited_request_is_not_kept(tokens: Tokens) -> None:
    api = Api(tokens.city)
    assert api.post(REPORTS, report_body()).status_code == 201
    limited = api.post(REPORTS, report_body(), **KEY)
    assert limited.status_code == 429
    assert not IdempotencyRecord.objects.filter(key=KEY["Idempotency-Key"]).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "a" * 256, "spasi di dalam", "ü-umlaut"])
def test_a_malformed_key_is_400(tokens: Tokens, key: str) -> None:
    response = Api(tokens.city).post(REPORTS, report_body(), **{"Idempotency-Key": key})
    assert response.status_code == 400
    assert error_code(response) == "invalid_idempotency_key"
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_the_service_key_catches_a_retry_after_the_record_expired(tokens: Tokens) -> None:
    api = Api(tokens.city)
    first = api.post(REPORTS, report_body(), **KEY)
    IdempotencyRecord.objects.all().delete()  # as the prune would after 24 h
    later = api.post(REPORTS, report_body(), **KEY)
    assert later.status_code == 200
    assert later.json()["created"] is False
    assert later.json()["report"]["tracking_number"] == first.json()["report"]["tracking_number"]
    assert later.json()["guest_secret"] == first.json()["guest_secret"]
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_expired_records_are_pruned_and_no_longer_replayed(tokens: Tokens) -> None:
    api = Api(tokens.citizen)
    body = {"message": "x"}
    api.post(f"{REPORTS}/26-XXXX-XXXX/information", body, **KEY)  # a 404 that is kept
    old = timezone.now() - timedelta(hours=25)
    IdempotencyRecord.objects.update(created_at=old, claimed_at=old)
    reused = api.post(f"{REPORTS}/26-YYYY-YYYY/information", body, **KEY)
    assert error_code(reused) == "not_found"  # the expired record did not block the key
    IdempotencyRecord.objects.update(created_at=old)
    out = StringIO()
    call_command("prune_idempotency_records", stdout=out)
    assert "Deleted 1" in out.getvalue()
    assert not IdempotencyRecord.objects.exists()


# --- real concurrency: two threads, two connections ----------------------------------------------


def _upload_form(message: str, content: bytes) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [SimpleUploadedFile("bukti.png", content, content_type="image/png")]
    return {"move": "follow_up", "message": message, "files": files}


@pytest.mark.django_db
def test_a_multipart_upload_retry_is_replayed_not_repeated(w: World, tokens: Tokens) -> None:
    from lapor.reports.models import Attachment, ReportEvent
    from tests.api.support import PNG

    report, _reporter = routed(w)
    api = Api(tokens.city)
    url = f"{REPORTS}/{report.tracking_number}/attachments"
    first = api.upload(url, _upload_form("Foto lokasi.", PNG), **KEY)
    assert first.status_code == 201, first.content
    events = ReportEvent.objects.filter(report=report).count()
    again = api.upload(url, _upload_form("Foto lokasi.", PNG), **KEY)
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert ReportEvent.objects.filter(report=report).count() == events
    assert Attachment.objects.filter(report=report).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["message", "file"])
def test_a_multipart_upload_with_the_same_key_and_another_body_is_409(
    w: World, tokens: Tokens, change: str
) -> None:
    from lapor.reports.models import Attachment
    from tests.api.support import PNG, png_bytes

    report, _reporter = routed(w)
    api = Api(tokens.city)
    url = f"{REPORTS}/{report.tracking_number}/attachments"
    assert api.upload(url, _upload_form("Foto lokasi.", PNG), **KEY).status_code == 201
    other = (
        _upload_form("Pesan lain.", PNG)
        if change == "message"
        else _upload_form("Foto lokasi.", png_bytes("blue"))
    )
    reused = api.upload(url, other, **KEY)
    assert reused.status_code == 409
    assert error_code(reused) == "idempotency_key_reused"
    assert Attachment.objects.filter(report=report).count() == 1


def _in_threads(*calls: Callable[[], Any]) -> list[Any]:
    results: list[Any] = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def slow_submission(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The intake service takes a while and records each report it really created.

    (A replay calls it too, to get the guest secret back; that call creates nothing.)
    """
    calls: list[int] = []
    original = reports_module.submit_report

    def slow(**kwargs: Any) -> Any:
        time.sleep(0.6)
        result = original(**kwargs)
        if result.created:
            calls.append(1)
        return result

    monkeypatch.setattr(reports_module, "submit_report", slow)
    return calls


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_execute_once_and_share_the_answer(
    tokens: Tokens, slow_submission: list[int]
) -> None:
    def post() -> Any:
        return Api(tokens.city).post(REPORTS, report_body(), **KEY)

    first, second = _in_threads(post, post)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert len(slow_submission) == 1
    assert Report.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@override_settings(API_IDEMPOTENCY_WAIT_SECONDS=0.1)
def test_a_concurrent_retry_that_cannot_wait_gets_request_in_progress(
    tokens: Tokens, slow_submission: list[int]
) -> None:
    def post() -> Any:
        return Api(tokens.city).post(REPORTS, report_body(), **KEY)

    answers = _in_threads(post, post)
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201, 409]
    refused = next(a for a in answers if a.status_code == 409)
    assert error_code(refused) == "request_in_progress"
    assert len(slow_submission) == 1
    assert Report.objects.count() == 1
    replay = post()
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"


@pytest.mark.django_db(transaction=True)
def test_concurrent_moves_with_one_key_write_one_event(w: World) -> None:
    report, _r = routed(w)
    token = user_token(w.city_admin)
    url = f"{REPORTS}/{report.tracking_number}/follow-ups"

    def post() -> Any:
        return Api(token).post(url, {"message": "Sedang diperiksa."}, **KEY)

    answers = _in_threads(post, post, post)
    assert {a.status_code for a in answers} == {200}
    assert len({a.content for a in answers}) == 1
    assert report.events.filter(action="follow_up").count() == 1
