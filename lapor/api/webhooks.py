"""Webhook subscriptions: an institution subscribes its own system to events on its reports.

Who: an integration token (for its institution's subtree), or an institution admin (session or
user token) for the subtrees they administer; a national admin for any institution. Anyone
else is 403; a subscription outside the caller's subtrees is 404 (its existence stays hidden).

The signing secret is generated here and returned once, in the 201 of the creation (a retry
with the same Idempotency-Key replays that answer); it is never shown again. Receiver URLs
must be https (http only when allowed) and resolve to public addresses only (see
lapor.channels.webhooks.safety); delivery checks them again before every attempt.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import P, QueryEx, Router, Schema, Status
from pydantic import AfterValidator, Field

from lapor.accounts.models import Membership, Role
from lapor.api.auth import AUTH, Caller, caller_of
from lapor.api.base import ERROR_DESCRIPTIONS
from lapor.api.errors import ApiError
from lapor.api.schemas import Input, InstitutionRef
from lapor.api.types import Id, Text200, Text254, invalid
from lapor.channels.models import WebhookDelivery, WebhookSubscription
from lapor.channels.webhooks.delivery import resume
from lapor.channels.webhooks.events import EVENT_ACTIONS
from lapor.channels.webhooks.safety import MAX_URL_LENGTH, UnsafeUrl, check_url
from lapor.institutions.models import Institution

router = Router(tags=["webhooks"], auth=AUTH)

ALL_EVENTS = "*"
MAX_EVENTS = len(EVENT_ACTIONS) + 1
DEFAULT_DELIVERIES, MAX_DELIVERIES = 50, 200
MANAGING_ROLES = (Role.INSTITUTION_ADMIN, Role.NATIONAL_ADMIN)


# --- schemas -----------------------------------------------------------------------------------


def _valid_url(value: str) -> str:
    value = value.strip()
    try:
        return check_url(value, resolve_host=False)
    except UnsafeUrl as refusal:
        raise invalid("url_invalid", str(refusal)) from None


def _known_events(value: list[str]) -> list[str]:
    if not value:
        raise invalid("events_empty", _('Sebutkan minimal satu peristiwa, mis. ["routed"].'))
    unknown = sorted(set(value) - set(EVENT_ACTIONS) - {ALL_EVENTS})
    if unknown:
        raise invalid(
            "events_unknown",
            _("Peristiwa tidak dikenal: %(unknown)s. Lihat GET /api/v1/webhooks/events.")
            % {"unknown": ", ".join(unknown)},
        )
    if ALL_EVENTS in value and len(set(value)) > 1:
        raise invalid("events_all", _('"*" (semua peristiwa) berdiri sendiri: ["*"].'))
    return sorted(set(value))


WebhookUrl = Annotated[str, Field(max_length=MAX_URL_LENGTH), AfterValidator(_valid_url)]
EventName = Annotated[str, Field(max_length=40)]
EventList = Annotated[list[EventName], Field(max_length=MAX_EVENTS), AfterValidator(_known_events)]


class WebhookCreateIn(Input):
    url: WebhookUrl
    events: EventList
    institution_id: Id | None = Field(
        None, description="Instansi pemilik (bawaan: instansi token / admin)"
    )
    owner_email: Text254 | None = Field(
        None, description="Yang diberi tahu bila langganan dihentikan sementara"
    )
    description: Text200 = ""
    is_active: bool = True


class WebhookUpdateIn(Input):
    url: WebhookUrl | None = None
    events: EventList | None = None
    owner_email: Text254 | None = None
    description: Text200 | None = None
    is_active: bool | None = None


class WebhookOut(Schema):
    id: int
    institution: InstitutionRef
    url: str
    events: list[str]
    is_active: bool
    paused: bool
    paused_at: datetime | None
    consecutive_failures: int
    owner_email: str
    description: str
    created_at: datetime


class WebhookCreated(WebhookOut):
    secret: str = Field(description="Kunci penanda tangan HMAC; hanya tampil sekali ini")


class WebhookPage(Schema):
    items: list[WebhookOut]


class ResumeOut(Schema):
    subscription: WebhookOut
    queued: int


class DeliveryOut(Schema):
    id: int
    event_id: int
    event: str
    tracking_number: str | None
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str
    created_at: datetime
    next_attempt_at: datetime | None
    delivered_at: datetime | None


class EventNameOut(Schema):
    name: str
    actions: list[str]


# --- scope -------------------------------------------------------------------------------------


def _managed_paths(caller: Caller) -> list[str] | None:
    """Institution paths whose subscriptions the caller manages; None for all of them."""
    if caller.is_integration:
        assert caller.institution is not None
        return [caller.institution.path]
    rows = Membership.objects.filter(
        user=caller.user, is_active=True, institution__is_active=True, role__in=MANAGING_ROLES
    ).values_list("role", "institution__path")
    if any(role == Role.NATIONAL_ADMIN for role, _path in rows):
        return None
    paths = [path for _role, path in rows]
    if not paths:
        raise ApiError(
            403,
            "forbidden",
            _("Hanya admin instansi atau token integrasi instansi yang mengelola webhook."),
        )
    return paths


def _in_paths(paths: list[str]) -> Q:
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(institution__path__startswith=path)
    return query


def _subscriptions(caller: Caller) -> QuerySet[WebhookSubscription]:
    qs = WebhookSubscription.objects.select_related("institution")
    paths = _managed_paths(caller)
    return qs if paths is None else qs.filter(_in_paths(paths))


def _subscription(caller: Caller, pk: int) -> WebhookSubscription:
    found = _subscriptions(caller).filter(pk=pk).first()
    if found is None:
        raise ApiError(404, "not_found", _("Langganan webhook tidak ditemukan."))
    return found


def _owner_institution(caller: Caller, institution_id: int | None) -> Institution:
    paths = _managed_paths(caller)
    if institution_id is None:
        if caller.is_integration:
            assert caller.institution is not None
            return caller.institution
        admin = Membership.objects.filter(
            user=caller.user, is_active=True, institution__is_active=True, role__in=MANAGING_ROLES
        ).select_related("institution")
        institutions = {m.institution_id: m.institution for m in admin}
        if len(institutions) == 1:
            return next(iter(institutions.values()))
        message = _("Sebutkan instansi pemilik langganan (institution_id).")
        raise ApiError(400, "invalid_input", message, {"institution_id": [message]})
    institution = Institution.objects.filter(pk=institution_id, is_active=True).first()
    if institution is None:
        message = _("Instansi tidak dikenal.")
        raise ApiError(400, "unknown_institution", message, {"institution_id": [message]})
    if paths is not None and not any(institution.path.startswith(p) for p in paths):
        message = _("Instansi ini di luar cakupan Anda.")
        raise ApiError(403, "forbidden", message, {"institution_id": [message]})
    return institution


def _reachable_url(url: str) -> str:
    try:
        return check_url(url)
    except UnsafeUrl as refusal:
        raise ApiError(
            422, "invalid_body", _("Isi permintaan tidak sesuai skema."), {"url": [str(refusal)]}
        ) from None


def _owner_email(caller: Caller, given: str | None) -> str:
    from django.core.exceptions import ValidationError as DjangoValidationError
    from django.core.validators import validate_email

    email = (given if given is not None else caller.user.email or "").strip()
    message = _("Alamat surel pemilik wajib diisi dan harus valid.")
    try:
        validate_email(email)
    except DjangoValidationError:
        raise ApiError(
            422, "invalid_body", _("Isi permintaan tidak sesuai skema."), {"owner_email": [message]}
        ) from None
    return email


def subscription_out(subscription: WebhookSubscription) -> dict[str, Any]:
    institution = subscription.institution
    return {
        "id": subscription.pk,
        "institution": {"id": institution.pk, "code": institution.code, "name": institution.name},
        "url": subscription.url,
        "events": list(subscription.events or []),
        "is_active": subscription.is_active,
        "paused": subscription.paused_at is not None,
        "paused_at": subscription.paused_at,
        "consecutive_failures": subscription.consecutive_failures,
        "owner_email": subscription.owner_email,
        "description": subscription.description,
        "created_at": subscription.created_at,
    }


def _delivery_out(delivery: WebhookDelivery) -> dict[str, Any]:
    payload = delivery.payload if isinstance(delivery.payload, dict) else {}
    report = payload.get("report") if isinstance(payload.get("report"), dict) else {}
    pending = delivery.status == WebhookDelivery.Status.PENDING
    return {
        "id": delivery.pk,
        "event_id": delivery.event_id,
        "event": str(payload.get("event", "")),
        "tracking_number": (report or {}).get("tracking_number"),
        "status": delivery.status,
        "attempts": delivery.attempts,
        "last_status_code": delivery.last_status_code,
        "last_error": delivery.last_error,
        "created_at": delivery.created_at,
        "next_attempt_at": delivery.next_attempt_at if pending else None,
        "delivered_at": delivery.delivered_at,
    }


# --- endpoints ---------------------------------------------------------------------------------


@router.get("/webhooks/events", response=list[EventNameOut], summary="Nama peristiwa webhook")
def list_event_names(request: HttpRequest) -> list[dict[str, Any]]:
    """The event names a subscription may list (or ["*"] for all), with the report actions
    each one stands for."""
    return [{"name": name, "actions": sorted(acts)} for name, acts in EVENT_ACTIONS.items()]


@router.get("/webhooks", response=WebhookPage, summary="Langganan webhook")
def list_webhooks(request: HttpRequest) -> dict[str, Any]:
    """The subscriptions of the caller's institutions (subtrees), newest first. No secrets."""
    rows = _subscriptions(caller_of(request)).order_by("-created_at", "-id")[:500]
    return {"items": [subscription_out(s) for s in rows]}


@router.post("/webhooks", response={201: WebhookCreated}, summary="Berlangganan webhook")
def create_webhook(request: HttpRequest, payload: WebhookCreateIn) -> Status[dict[str, Any]]:
    """Subscribe a receiver URL to events. 201 with the signing `secret`, shown only in this
    answer (and in its replay under the same Idempotency-Key)."""
    caller = caller_of(request)
    institution = _owner_institution(caller, payload.institution_id)
    url = _reachable_url(payload.url)
    subscription = WebhookSubscription.objects.create(
        institution=institution,
        url=url,
        secret=WebhookSubscription.new_secret(),
        events=payload.events,
        is_active=payload.is_active,
        owner_email=_owner_email(caller, payload.owner_email),
        description=payload.description.strip(),
    )
    return Status(201, {**subscription_out(subscription), "secret": subscription.secret})


@router.get("/webhooks/{subscription_id}", response=WebhookOut, summary="Satu langganan")
def get_webhook(request: HttpRequest, subscription_id: Id) -> dict[str, Any]:
    return subscription_out(_subscription(caller_of(request), subscription_id))


# The shared OpenAPI post-processing (lapor.api.base) documents the body errors of POSTs; this
# is the API's one PATCH, so it names its own.
_PATCH_ERRORS = {
    code: {
        "description": ERROR_DESCRIPTIONS[code],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    for code in ("415", "422")
}


@router.patch(
    "/webhooks/{subscription_id}",
    response=WebhookOut,
    summary="Ubah langganan",
    openapi_extra={"responses": _PATCH_ERRORS},
)
def update_webhook(
    request: HttpRequest, subscription_id: Id, payload: WebhookUpdateIn
) -> dict[str, Any]:
    """Change the URL, events, owner, description or `is_active` (a paused subscription stays
    paused: see /resume). The secret does not change."""
    caller = caller_of(request)
    subscription = _subscription(caller, subscription_id)
    changed: list[str] = []
    if payload.url is not None:
        subscription.url = _reachable_url(payload.url)
        changed.append("url")
    if payload.events is not None:
        subscription.events = payload.events
        changed.append("events")
    if payload.owner_email is not None:
        subscription.owner_email = _owner_email(caller, payload.owner_email)
        changed.append("owner_email")
    if payload.description is not None:
        subscription.description = payload.description.strip()
        changed.append("description")
    if payload.is_active is not None:
        subscription.is_active = payload.is_active
        changed.append("is_active")
    if changed:
        subscription.save(update_fields=changed)
    return subscription_out(subscription)


@router.delete("/webhooks/{subscription_id}", response={204: None}, summary="Hapus langganan")
def delete_webhook(request: HttpRequest, subscription_id: Id) -> Status[None]:
    """Delete the subscription with its delivery log; nothing more is sent to it."""
    _subscription(caller_of(request), subscription_id).delete()
    return Status(204, None)


@router.post(
    "/webhooks/{subscription_id}/resume", response=ResumeOut, summary="Lanjutkan langganan"
)
def resume_webhook(request: HttpRequest, subscription_id: Id) -> dict[str, Any]:
    """Un-pause (and activate) the subscription and send its waiting deliveries again."""
    subscription = _subscription(caller_of(request), subscription_id)
    queued = resume(subscription)
    subscription.refresh_from_db()
    return {"subscription": subscription_out(subscription), "queued": queued}


@router.get(
    "/webhooks/{subscription_id}/deliveries",
    response=list[DeliveryOut],
    summary="Pengiriman terbaru",
)
def list_deliveries(
    request: HttpRequest,
    subscription_id: Id,
    limit: QueryEx[int, P(ge=1, le=MAX_DELIVERIES)] = DEFAULT_DELIVERIES,
) -> list[dict[str, Any]]:
    """The subscription's latest deliveries, newest first: status, attempts, the last HTTP
    status code and error. Payloads and signatures are not repeated here."""
    subscription = _subscription(caller_of(request), subscription_id)
    rows = WebhookDelivery.objects.filter(subscription=subscription).order_by("-created_at", "-id")
    return [_delivery_out(d) for d in rows[:limit]]
