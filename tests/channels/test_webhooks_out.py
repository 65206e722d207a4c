"""Webhooks out: who is told, what they are told, signing, retries, pause, at-least-once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lapor.channels.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from lapor.channels.webhooks.delivery import backoff, deliver, resume
from lapor.channels.webhooks.events import create_deliveries, event_name
from lapor.reports import services
from lapor.reports.models import ReportEvent
from tests.channels.receiver import Receiver, verify
from tests.factories import World, submit
from tests.outbox import run_announcements

pytestmark = pytest.mark.django_db
Status = WebhookDelivery.Status
SECRET = "whsec_test-secret-0123456789"
TASK_PATH = "lapor.channels.tasks.deliver_webhook_task"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver([(200, 0)]).start()
    yield server
    server.stop()


def subscribe(world: World, url: str, events: list[str], institution=None) -> WebhookSubscription:  # type: ignore[no-untyped-def]
    return WebhookSubscription.objects.create(
        institution=institution or world.city,
        url=url,
        secret=SECRET,
        events=events,
        owner_email="it@samarindakota.go.id",
    )


def routed_event(world: World, **overrides) -> ReportEvent:  # type: ignore[no-untyped-def]
    report, _ = submit(world, **overrides)
    world.route(report, world.department)
    return ReportEvent.objects.get(report=report, action="route")


def make_due(delivery: WebhookDelivery) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())


def test_the_subtree_and_the_events_decide_who_hears(world: World, receiver) -> None:  # type: ignore[no-untyped-def]
    city_routed = subscribe(world, receiver.url, ["routed"])
    province_all = subscribe(world, receiver.url, ["*"], world.province)
    subscribe(world, receiver.url, ["routed"], world.other_city)
    subscribe(world, receiver.url, ["answered"])
    WebhookSubscription.objects.create(
        institution=world.city,
        url=receiver.url,
        secret=SECRET,
        events=["*"],
        owner_email="x@contoh.id",
        is_active=False,
    )
    event = routed_event(world)
    deliveries = create_deliveries(event.pk)
    assert {d.subscription for d in deliveries} == {city_routed, province_all}
    assert create_deliveries(event.pk) == []  # at most one record per subscription and event
    assert WebhookDelivery.objects.count() == 2


def test_the_real_signal_creates_deliveries_and_queues_a_task(  # type: ignore[no-untyped-def]
    world: World, receiver, django_capture_on_commit_callbacks
) -> None:
    subscribe(world, receiver.url, ["routed", "answered"])
    with django_capture_on_commit_callbacks(execute=True):
        event = routed_event(world)
    assert not WebhookDelivery.objects.exists()  # the move's own request does none of it
    with django_capture_on_commit_callbacks(execute=True):
        run_announcements()  # the worker's announcement task
    delivery = WebhookDelivery.objects.get()
    assert delivery.event == event and delivery.status == Status.PENDING
    queued = DBTaskResult.objects.filter(task_path=TASK_PATH)
    assert [t.args_kwargs["args"] for t in queued] == [[delivery.pk]]


def test_payload_names_the_event_and_keeps_the_reporter_out(world: World, receiver) -> None:  # type: ignore[no-untyped-def]
    subscribe(world, receiver.url, ["routed"])
    event = routed_event(
        world,
        is_anonymous=True,
        body="NIK saya 6472011234560001, telepon 081234567890, surel siti@contoh.id. Pungli.",
        contact_name="Siti Rahmawati",
        contact_phone="081298765432",
        contact_email="siti.r@contoh.id",
    )
    payload = create_deliveries(event.pk)[0].payload
    assert payload["event_id"] == str(event.pk)
    assert payload["event"] == "routed" and payload["action"] == "route"
    report = payload["report"]
    assert report["reporter"] == "Pelapor anonim"
    assert report["queue_institution"]["name"] == world.department.name
    assert report["responsible_institution"]["name"] == world.city.name
    text = str(payload)
    for secret in (
        "6472011234560001",
        "081234567890",
        "siti@contoh.id",
        "081298765432",
        "siti.r@contoh.id",
        "Rahmawati",
        world.reporter.username,
        world.reporter.full_name,
    ):
        assert secret not in text, secret


def test_a_delivery_is_signed_so_the_receiver_can_verify_it(world: World, receiver) -> None:  # type: ignore[no-untyped-def]
    subscribe(world, receiver.url, ["routed"])
    delivery = create_deliveries(routed_event(world).pk)[0]
    assert deliver(delivery.pk) == Status.DELIVERED
    received = receiver.received[0]
    assert verify(SECRET, received)
    assert not verify("whsec_another", received)
    assert received.headers["X-Lapor-Event-Id"] == received.payload["event_id"]
    assert received.headers["X-Lapor-Event"] == "routed"
    assert received.headers["Content-Type"].startswith("application/json")
    tampered = type(received)(received.headers, received.body.replace(b"routed", b"answer"))
    assert not verify(SECRET, tampered)
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None and delivery.last_status_code == 200
    assert delivery.last_response == '{"ok": true}'


def test_500_then_200_retries_with_backoff_and_logs_each_answer(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    server = Receiver([(500, 0), (200, 0)]).start()
    try:
        subscribe(world, server.url, ["routed"])
        delivery = create_deliveries(routed_event(world).pk)[0]
        before = timezone.now()
        assert deliver(delivery.pk) == Status.PENDING
        delivery.refresh_from_db()
        assert delivery.attempts == 1 and delivery.last_status_code == 500
        assert delivery.last_response == "boom: receiver is down"
        wait = delivery.next_attempt_at - before
        assert timedelta(seconds=29) <= wait <= timedelta(seconds=32)
        assert deliver(delivery.pk) == "not_due"  # too early: nothing sent
        assert len(server.received) == 1
        make_due(delivery)
        assert deliver(delivery.pk) == Status.DELIVERED
        ids = [r.headers["X-Lapor-Event-Id"] for r in server.received]
        assert len(ids) == 2 and ids[0] == ids[1]
        log = list(
            WebhookAttempt.objects.filter(delivery=delivery).values_list("status_code", flat=True)
        )
        assert log == [500, 200]
        assert WebhookSubscription.objects.get().consecutive_failures == 0
    finally:
        server.stop()


def test_backoff_doubles_and_is_capped(settings) -> None:  # type: ignore[no-untyped-def]
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(30) == timedelta(hours=6)


def test_a_retry_is_queued_with_run_after(
    world: World, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    server = Receiver([(503, 0)]).start()
    try:
        subscribe(world, server.url, ["routed"])
        delivery = create_deliveries(routed_event(world).pk)[0]
        with django_capture_on_commit_callbacks(execute=True):
            deliver(delivery.pk)
        delivery.refresh_from_db()
        task = DBTaskResult.objects.filter(task_path=TASK_PATH).order_by("-enqueued_at").first()
        assert task is not None and task.run_after is not None
        assert abs((task.run_after - delivery.next_attempt_at).total_seconds()) < 1
    finally:
        server.stop()


def test_after_n_failures_the_subscription_pauses_and_its_owner_is_told(  # type: ignore[no-untyped-def]
    world: World, settings, django_capture_on_commit_callbacks
) -> None:
    settings.WEBHOOK_PAUSE_AFTER_FAILURES = 3
    server = Receiver([(503, 0)]).start()
    try:
        subscription = subscribe(world, server.url, ["routed"])
        delivery = create_deliveries(routed_event(world).pk)[0]
        for _ in range(3):
            make_due(delivery)
            with django_capture_on_commit_callbacks(execute=True):
                deliver(delivery.pk)
        subscription.refresh_from_db()
        assert subscription.paused_at is not None and subscription.consecutive_failures == 3
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["it@samarindakota.go.id"]
        assert server.url in message.body and "503" in message.body
        make_due(delivery)
        assert deliver(delivery.pk) == "paused"
        assert len(server.received) == 3
        server.script = [(200, 0)]
        with django_capture_on_commit_callbacks(execute=True):
            assert resume(subscription) == 1
        subscription.refresh_from_db()
        assert subscription.paused_at is None and subscription.consecutive_failures == 0
        assert deliver(delivery.pk) == Status.DELIVERED
    finally:
        server.stop()


def test_it_gives_up_after_the_last_attempt(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    server = Receiver([(500, 0)]).start()
    try:
        subscribe(world, server.url, ["routed"])
        delivery = create_deliveries(routed_event(world).pk)[0]
        deliver(delivery.pk)
        make_due(delivery)
        assert deliver(delivery.pk) == Status.FAILED
        make_due(delivery)
        assert deliver(delivery.pk) == "skipped"
    finally:
        server.stop()


def test_a_lost_acknowledgement_means_a_second_delivery_with_the_same_event_id(  # type: ignore[no-untyped-def]
    world: World, settings
) -> None:
    # The receiver stores the event but answers after our timeout: we must send again, and the
    # receiver de-duplicates with the event id.
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    server = Receiver([(200, 1.0), (200, 0)]).start()
    try:
        subscribe(world, server.url, ["routed"])
        delivery = create_deliveries(routed_event(world).pk)[0]
        assert deliver(delivery.pk) == Status.PENDING
        delivery.refresh_from_db()
        assert (
            "timed out" in delivery.last_error.lower() or "timeout" in delivery.last_error.lower()
        )
        make_due(delivery)
        assert deliver(delivery.pk) == Status.DELIVERED
        seen: set[str] = set()
        processed = 0
        for received in server.received:
            event_id = received.headers["X-Lapor-Event-Id"]
            if event_id not in seen:
                seen.add(event_id)
                processed += 1
        assert len(server.received) == 2 and processed == 1
    finally:
        server.stop()


def test_a_redirect_or_a_dead_host_is_a_failure(world: World) -> None:  # type: ignore[no-untyped-def]
    server = Receiver([(302, 0)]).start()
    try:
        subscribe(world, server.url, ["routed"])
        delivery = create_deliveries(routed_event(world).pk)[0]
        assert deliver(delivery.pk) == Status.PENDING
        delivery.refresh_from_db()
        assert delivery.last_status_code == 302 and len(server.received) == 1
    finally:
        server.stop()
    dead = subscribe(world, "http://127.0.0.1:9/nobody", ["routed"], world.province)
    created = create_deliveries(routed_event(world).pk)
    delivery = next(d for d in created if d.subscription == dead)
    assert deliver(delivery.pk) == Status.PENDING
    delivery.refresh_from_db()
    assert delivery.last_status_code is None and delivery.last_error


def test_send_webhooks_command_queues_due_and_sends_inline(
    world: World, receiver, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    subscribe(world, receiver.url, ["routed"])
    delivery = create_deliveries(routed_event(world).pk)[0]
    DBTaskResult.objects.all().delete()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_webhooks", stdout=out)
    assert "Deliveries queued: 1" in out.getvalue()
    assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 1
    out = StringIO()
    call_command("send_webhooks", "--inline", stdout=out)
    assert "Deliveries sent: 1" in out.getvalue()
    delivery.refresh_from_db()
    assert delivery.status == Status.DELIVERED


def test_an_answer_and_a_reopen_are_named_for_subscribers(world: World, receiver) -> None:  # type: ignore[no-untyped-def]
    subscribe(world, receiver.url, ["answered", "reopened", "overdue"])
    report, reporter = submit(world)
    world.route(report, world.city)
    services.post_answer(actor=world.city_admin, report=report, message="Selesai dikerjakan.")
    services.reopen_report(actor=reporter, report=report, message="Belum selesai.")
    names = []
    for event in ReportEvent.objects.filter(report=report).order_by("sequence"):
        names += [d.payload["event"] for d in create_deliveries(event.pk)]
    assert names == ["answered", "reopened"]
    answer = WebhookDelivery.objects.get(payload__event="answered").payload
    assert answer["message"] == "Selesai dikerjakan."
    assert event_name("overdue") == "overdue" and event_name("something_new") == "something_new"


def test_subscription_events_are_validated(world: World) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    subscription = WebhookSubscription(
        institution=world.city,
        url="https://contoh.id/h",
        secret=SECRET,
        events=["routed", "x"],
        owner_email="a@contoh.id",
    )
    with pytest.raises(ValidationError):
        subscription.full_clean()
    subscription.events = ["routed", "overdue", "*"]
    subscription.full_clean()


def test_the_national_queue_is_heard_by_the_national_body(world: World, receiver) -> None:  # type: ignore[no-untyped-def]
    national = subscribe(world, receiver.url, ["submitted"], world.national)
    subscribe(world, receiver.url, ["submitted"], world.city)
    report, _ = submit(world)
    event = ReportEvent.objects.get(report=report, action="submit")
    assert [d.subscription for d in create_deliveries(event.pk)] == [national]
