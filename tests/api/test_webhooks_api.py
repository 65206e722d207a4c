"""/api/v1/webhooks: institutions manage their own webhook subscriptions."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from lapor.api.models import IdempotencyRecord
from lapor.channels.models import WebhookDelivery, WebhookSubscription
from lapor.channels.webhooks import safety
from lapor.channels.webhooks.events import create_deliveries
from lapor.reports.models import ReportEvent
from tests.api.support import *  # noqa: F403
from tests.api.support import Api, Tokens, error_code, routed, user_token
from tests.factories import World

pytestmark = pytest.mark.django_db

HOOKS = "/api/v1/webhooks"
PUBLIC_URL = "https://hooks.samarindakota.go.id/lapor"
DNS = {
    "hooks.samarindakota.go.id": ["93.184.216.34"],
    "other.example.id": ["93.184.216.35"],
    "intranet.example.id": ["10.1.2.3"],
    "metadata.example.id": ["169.254.169.254"],
    "mixed.example.id": ["93.184.216.34", "127.0.0.1"],
    "localhost": ["127.0.0.1", "::1"],
    "127.0.0.1": ["127.0.0.1"],
    "[::1]": ["::1"],
    "::1": ["::1"],
    "::ffff:127.0.0.1": ["::ffff:127.0.0.1"],
}


@pytest.fixture(autouse=True)
def _production_url_rules(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.DEBUG = False
    settings.WEBHOOK_ALLOW_HTTP = False
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False

    def fake_resolve(host: str, port: int) -> list[str]:
        if host not in DNS:
            raise OSError("Name or service not known")
        return DNS[host]

    monkeypatch.setattr(safety, "resolve", fake_resolve)


def body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "url": PUBLIC_URL,
        "events": ["routed", "answered"],
        "owner_email": "it@samarindakota.go.id",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def send(api: Api, method: str, path: str, data: Any = None, **headers: str) -> Any:
    return api.client.generic(
        method,
        path,
        "" if data is None else json.dumps(data),
        content_type="application/json",
        headers=api.headers(headers),
    )


def create(api: Api, **overrides: Any) -> dict[str, Any]:
    response = api.post(HOOKS, body(**overrides))
    assert response.status_code == 201, response.content
    return response.json()  # type: ignore[no-any-return]


def test_an_integration_subscribes_and_sees_the_secret_once(w: World, tokens: Tokens) -> None:
    api = Api(tokens.city)
    created = create(api)
    assert created["institution"]["id"] == w.city.pk
    assert created["secret"].startswith("whsec_") and len(created["secret"]) > 30
    assert created["events"] == ["answered", "routed"]
    stored = WebhookSubscription.objects.get()
    assert stored.secret == created["secret"] and stored.institution == w.city
    detail = api.get(f"{HOOKS}/{created['id']}")
    assert detail.status_code == 200
    assert "secret" not in detail.json() and created["secret"] not in detail.content.decode()
    listed = api.get(HOOKS)
    assert [s["id"] for s in listed.json()["items"]] == [created["id"]]
    assert created["secret"] not in listed.content.decode()


def test_an_institution_admin_may_pick_an_institution_in_their_subtree(
    w: World, tokens: Tokens
) -> None:
    api = Api(tokens.city_admin)
    assert create(api)["institution"]["id"] == w.city.pk  # their one institution by default
    below = create(api, institution_id=w.department.pk)
    assert below["institution"]["id"] == w.department.pk
    outside = api.post(HOOKS, body(institution_id=w.other_city.pk))
    assert outside.status_code == 403
    assert "institution_id" in outside.json()["error"]["fields"]
    unknown = api.post(HOOKS, body(institution_id=999999))
    assert unknown.status_code == 400


def test_the_session_of_an_institution_admin_works_with_csrf(w: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(w.city_admin)
    assert client.get(HOOKS).status_code == 200
    no_csrf = client.post(HOOKS, json.dumps(body()), content_type="application/json")
    assert no_csrf.status_code == 403
    client.get("/api/v1/openapi.json")
    token = client.cookies.get("csrftoken")
    if token is None:  # no page set the cookie: make one the way a page would
        from django.middleware.csrf import _get_new_csrf_string

        client.cookies["csrftoken"] = _get_new_csrf_string()
        token = client.cookies["csrftoken"]
    ok = client.post(
        HOOKS,
        json.dumps(body()),
        content_type="application/json",
        headers={"X-CSRFToken": token.value},
    )
    assert ok.status_code == 201, ok.content


@pytest.mark.parametrize("who", ["officer", "reporter", "auditor"])
def test_other_roles_are_403(tokens: Tokens, who: str) -> None:
    api = Api(getattr(tokens, who))
    assert api.get(HOOKS).status_code == 403
    response = api.post(HOOKS, body())
    assert response.status_code == 403 and error_code(response) == "forbidden"
    assert not WebhookSubscription.objects.exists()


def test_no_credentials_is_401() -> None:
    assert Client().get(HOOKS).status_code == 401


def test_another_institutions_subscription_is_404_everywhere(w: World, tokens: Tokens) -> None:
    mine = create(Api(tokens.city))
    other = Api(tokens.other_city)
    path = f"{HOOKS}/{mine['id']}"
    assert other.get(HOOKS).json()["items"] == []
    assert other.get(path).status_code == 404
    assert other.get(f"{path}/deliveries").status_code == 404
    assert send(other, "PATCH", path, {"events": ["*"]}).status_code == 404
    assert other.post(f"{path}/resume").status_code == 404
    assert send(other, "DELETE", path).status_code == 404
    assert WebhookSubscription.objects.get().events == ["answered", "routed"]
    # The province above the city manages it; the national admin manages everything.
    assert Api(user_token(w.province_admin)).get(path).status_code == 200
    assert Api(tokens.national_admin).get(path).status_code == 200


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "99999999999999999999999", "1.5"])
def test_bad_ids_are_400_or_404_never_500(tokens: Tokens, bad: str) -> None:
    api = Api(tokens.city)
    for response in (
        api.get(f"{HOOKS}/{bad}"),
        api.get(f"{HOOKS}/{bad}/deliveries"),
        send(api, "PATCH", f"{HOOKS}/{bad}", {"is_active": False}),
        send(api, "DELETE", f"{HOOKS}/{bad}"),
        api.post(f"{HOOKS}/{bad}/resume"),
    ):
        assert response.status_code in (400, 404), response.content
        assert "error" in response.json()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://hooks.samarindakota.go.id/lapor", "https"),
        ("ftp://hooks.samarindakota.go.id/", "URL"),
        ("not a url", "URL"),
        ("https://user:pw@hooks.samarindakota.go.id/", "kata sandi"),
        ("https://localhost/hook", "privat"),
        ("https://127.0.0.1/hook", "privat"),
        ("https://[::1]/hook", "privat"),
        ("https://intranet.example.id/hook", "privat"),
        ("https://metadata.example.id/latest", "privat"),
        ("https://mixed.example.id/hook", "privat"),
        ("https://nowhere.invalid/hook", "resolve"),
        ("https://hooks.samarindakota.go.id/" + "a" * 600, "panjang"),
    ],
)
def test_unsafe_or_invalid_urls_are_422(tokens: Tokens, url: str, reason: str) -> None:
    response = Api(tokens.city).post(HOOKS, body(url=url))
    assert response.status_code == 422, response.content
    assert error_code(response) == "invalid_body"
    assert reason in " ".join(response.json()["error"]["fields"]["url"])
    assert not WebhookSubscription.objects.exists()


def test_http_and_private_hosts_are_allowed_only_by_the_settings(
    tokens: Tokens, settings: Any
) -> None:
    api = Api(tokens.city)
    settings.WEBHOOK_ALLOW_HTTP = True
    assert api.post(HOOKS, body(url="http://hooks.samarindakota.go.id/")).status_code == 201
    assert api.post(HOOKS, body(url="http://127.0.0.1:8080/")).status_code == 422
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    assert api.post(HOOKS, body(url="http://127.0.0.1:8080/")).status_code == 201
    settings.WEBHOOK_ALLOW_HTTP = False
    settings.DEBUG = True  # development: http allowed
    assert api.post(HOOKS, body(url="http://localhost:8000/")).status_code == 201


@pytest.mark.parametrize(
    "events", [["routed", "teleported"], [], ["*", "routed"], "routed", [1], ["x" * 100]]
)
def test_unknown_or_malformed_events_are_422(tokens: Tokens, events: Any) -> None:
    response = Api(tokens.city).post(HOOKS, body(events=events))
    assert response.status_code == 422, response.content
    assert "events" in " ".join(response.json()["error"]["fields"])
    assert not WebhookSubscription.objects.exists()


def test_all_events_and_the_event_list(tokens: Tokens) -> None:
    api = Api(tokens.city)
    assert create(api, events=["*"])["events"] == ["*"]
    names = [e["name"] for e in api.get(f"{HOOKS}/events").json()]
    assert "routed" in names and "overdue" in names


def test_unknown_fields_and_a_missing_owner_email_are_422(tokens: Tokens) -> None:
    api = Api(tokens.city)
    assert api.post(HOOKS, {**body(), "secret": "mine"}).status_code == 422
    # An integration's service account has no e-mail of its own.
    missing = api.post(HOOKS, body(owner_email=None))
    assert missing.status_code == 422
    assert "owner_email" in missing.json()["error"]["fields"]
    assert api.post(HOOKS, body(owner_email="bukan-surel")).status_code == 422


def test_update_changes_fields_and_checks_them_again(tokens: Tokens) -> None:
    api = Api(tokens.city)
    created = create(api)
    path = f"{HOOKS}/{created['id']}"
    changed = send(
        api,
        "PATCH",
        path,
        {"events": ["overdue"], "url": "https://other.example.id/x", "is_active": False},
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["events"] == ["overdue"] and changed.json()["is_active"] is False
    assert "secret" not in changed.json()
    assert send(api, "PATCH", path, {"url": "https://intranet.example.id/"}).status_code == 422
    assert send(api, "PATCH", path, {"events": ["nope"]}).status_code == 422
    assert send(api, "PATCH", path, {"secret": "x"}).status_code == 422
    stored = WebhookSubscription.objects.get()
    assert stored.url == "https://other.example.id/x" and stored.secret == created["secret"]


def test_delete_removes_the_subscription(tokens: Tokens) -> None:
    api = Api(tokens.city)
    created = create(api)
    response = send(api, "DELETE", f"{HOOKS}/{created['id']}")
    assert response.status_code == 204
    assert not WebhookSubscription.objects.exists()
    assert api.get(f"{HOOKS}/{created['id']}").status_code == 404


def test_resume_unpauses_and_deliveries_are_listed_without_secrets(
    w: World, tokens: Tokens, django_capture_on_commit_callbacks: Any
) -> None:
    api = Api(tokens.city)
    created = create(api, events=["routed"])
    report, _reporter = routed(w)
    event = ReportEvent.objects.filter(report=report, action="route").latest("sequence")
    deliveries = create_deliveries(event.pk)
    assert len(deliveries) == 1
    WebhookDelivery.objects.filter(pk=deliveries[0].pk).update(
        attempts=3, last_status_code=500, last_error="", last_response="oops"
    )
    from django.utils import timezone

    WebhookSubscription.objects.filter(pk=created["id"]).update(
        paused_at=timezone.now(), consecutive_failures=10
    )
    path = f"{HOOKS}/{created['id']}"
    assert api.get(path).json()["paused"] is True
    listed = api.get(f"{path}/deliveries")
    assert listed.status_code == 200
    row = listed.json()[0]
    assert row["event"] == "routed" and row["tracking_number"] == report.tracking_number
    assert row["attempts"] == 3 and row["last_status_code"] == 500
    assert row["status"] == "pending"
    assert created["secret"] not in listed.content.decode()
    assert "payload" not in row
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        resumed = api.post(f"{path}/resume")
    assert resumed.status_code == 200, resumed.content
    assert resumed.json()["queued"] == 1
    assert resumed.json()["subscription"]["paused"] is False
    assert len(callbacks) == 1  # the waiting delivery is queued again
    assert api.get(f"{path}/deliveries", {"limit": 0}).status_code == 400


def test_a_retried_creation_replays_the_same_subscription(tokens: Tokens) -> None:
    api = Api(tokens.city)
    key = {"Idempotency-Key": "3f0c2f7e-0d52-4a57-9d8e-2b1c7a9e5b10"}
    first = api.post(HOOKS, body(), **key)
    again = api.post(HOOKS, body(), **key)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert WebhookSubscription.objects.count() == 1
    assert api.post(HOOKS, body(events=["*"]), **key).status_code == 409
    assert IdempotencyRecord.objects.count() == 1


def test_the_openapi_document_lists_the_webhook_operations(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/webhooks"]) >= {"get", "post"}
    assert set(paths["/api/v1/webhooks/{subscription_id}"]) >= {"get", "patch", "delete"}
    assert "post" in paths["/api/v1/webhooks/{subscription_id}/resume"]
    assert "get" in paths["/api/v1/webhooks/{subscription_id}/deliveries"]
