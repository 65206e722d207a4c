"""Admin for the channels app: inbound messages (with filters and "process again"), Open311
keys, webhook subscriptions (pause, resume) and deliveries with their attempts."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from lapor.channels.inbound import PROCESSABLE, process_message
from lapor.channels.models import (
    InboundMessage,
    Open311Client,
    Open311Request,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from lapor.channels.webhooks.delivery import enqueue, resume
from lapor.lib.redaction import ANONYMOUS_LABEL

HIDDEN = _("Disembunyikan (laporan anonim).")
PREVIEW_CHARS = 20000


class ReadOnlyAdminMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _anonymous(message: InboundMessage) -> bool:
    return message.report is not None and message.report.is_anonymous


def _pretty(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=2)
    if len(text) > PREVIEW_CHARS:
        text = text[:PREVIEW_CHARS] + "\n… (dipotong)"
    return format_html("<pre style='white-space:pre-wrap'>{}</pre>", text)


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[InboundMessage]):
    """Every message a gateway delivered, processed or not. Nothing is deleted from here."""

    list_display = (
        "received_at",
        "channel",
        "sender_shown",
        "excerpt",
        "status",
        "report",
        "action",
        "error_excerpt",
    )
    list_filter = ("status", "channel", "action", "received_at")
    list_select_related = ("report",)
    search_fields = ("sender", "external_id", "report__tracking_number", "subject")
    date_hierarchy = "received_at"
    actions = ("process_again",)
    fields = (
        "channel",
        "external_id",
        "sender_shown",
        "subject",
        "text",
        "status",
        "report",
        "action",
        "reply",
        "error",
        "attempts",
        "received_at",
        "processed_at",
        "headers_shown",
        "payload_shown",
    )
    readonly_fields = fields

    @admin.display(description=_("pengirim"))
    def sender_shown(self, obj: InboundMessage) -> str:
        return ANONYMOUS_LABEL if _anonymous(obj) else obj.sender

    @admin.display(description=_("isi"))
    def excerpt(self, obj: InboundMessage) -> str:
        text = obj.subject or obj.text
        return text[:80] + ("…" if len(text) > 80 else "")

    @admin.display(description=_("galat"))
    def error_excerpt(self, obj: InboundMessage) -> str:
        return obj.error.splitlines()[0][:100] if obj.error else ""

    @admin.display(description=_("header"))
    def headers_shown(self, obj: InboundMessage) -> str:
        return str(HIDDEN) if _anonymous(obj) else _pretty(obj.headers)

    @admin.display(description=_("isi mentah dari gateway"))
    def payload_shown(self, obj: InboundMessage) -> str:
        return str(HIDDEN) if _anonymous(obj) else _pretty(obj.payload)

    @admin.action(description=_("Proses ulang pesan yang gagal / belum diproses"))
    def process_again(self, request: HttpRequest, queryset: QuerySet[InboundMessage]) -> None:
        done: dict[str, int] = {}
        skipped = 0
        for pk, status in queryset.values_list("pk", "status"):
            if status not in PROCESSABLE:
                skipped += 1
                continue
            result = process_message(pk)
            done[result.message.status] = done.get(result.message.status, 0) + 1
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(done.items())) or "-"
        self.message_user(
            request,
            _("Diproses ulang: %(summary)s. Dilewati (sudah selesai): %(skipped)d.")
            % {"summary": summary, "skipped": skipped},
            messages.INFO,
        )


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin[Open311Client]):
    """Adding a client issues its key, shown once in the confirmation message."""

    list_display = ("name", "key_prefix", "institution", "is_active", "last_used_at")
    list_filter = ("is_active",)
    search_fields = ("name", "key_prefix")
    fields = ("name", "institution", "is_active", "key_prefix", "created_at", "last_used_at")
    readonly_fields = ("key_prefix", "created_at", "last_used_at")
    autocomplete_fields = ("institution",)

    def save_model(
        self, request: HttpRequest, obj: Open311Client, form: ModelForm[Open311Client], change: bool
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        client, key = Open311Client.issue(obj.name, obj.institution)
        obj.pk, obj.key_prefix, obj.key_hash = client.pk, client.key_prefix, client.key_hash
        obj._state.adding = False
        obj.is_active = form.cleaned_data.get("is_active", True)
        obj.save(update_fields=["is_active"])
        self.message_user(
            request,
            _("Kunci API (tampil sekali ini saja, simpan sekarang): %(key)s") % {"key": key},
            messages.WARNING,
        )


@admin.register(Open311Request)
class Open311RequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Open311Request]):
    list_display = ("created_at", "client", "report", "media_url")
    list_select_related = ("client", "report")
    search_fields = ("report__tracking_number",)


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin[WebhookSubscription]):
    list_display = (
        "institution",
        "url",
        "events",
        "is_active",
        "paused_at",
        "consecutive_failures",
        "owner_email",
    )
    list_filter = ("is_active",)
    search_fields = ("url", "institution__name", "owner_email")
    autocomplete_fields = ("institution",)
    readonly_fields = ("paused_at", "consecutive_failures", "created_at")
    actions = ("resume_subscriptions", "pause_subscriptions")

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "url":
            kwargs["assume_scheme"] = "https"  # a receiver URL typed without a scheme
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("secret", WebhookSubscription.new_secret())
        initial.setdefault("events", ["routed", "answered", "reopened", "overdue"])
        return initial

    @admin.action(description=_("Aktifkan kembali dan kirim ulang yang tertunda"))
    def resume_subscriptions(
        self, request: HttpRequest, queryset: QuerySet[WebhookSubscription]
    ) -> None:
        queued = sum(resume(subscription) for subscription in queryset)
        self.message_user(request, _("Kiriman diantrikan ulang: %d.") % queued, messages.INFO)

    @admin.action(description=_("Hentikan sementara"))
    def pause_subscriptions(
        self, request: HttpRequest, queryset: QuerySet[WebhookSubscription]
    ) -> None:
        from django.utils import timezone

        queryset.filter(paused_at__isnull=True).update(paused_at=timezone.now())


class WebhookAttemptInline(ReadOnlyAdminMixin, admin.TabularInline[WebhookAttempt, Any]):
    model = WebhookAttempt
    extra = 0
    fields = ("started_at", "duration_ms", "status_code", "response", "error")
    readonly_fields = fields


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[WebhookDelivery]):
    list_display = (
        "created_at",
        "subscription",
        "event_name",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
        "delivered_at",
    )
    list_filter = ("status", "subscription__institution")
    list_select_related = ("subscription__institution",)
    search_fields = ("payload__report__tracking_number",)
    inlines = (WebhookAttemptInline,)
    actions = ("send_now",)
    readonly_fields = (
        "subscription",
        "event",
        "status",
        "attempts",
        "next_attempt_at",
        "last_status_code",
        "last_response",
        "last_error",
        "created_at",
        "delivered_at",
        "payload_shown",
    )
    fields = readonly_fields

    @admin.display(description=_("peristiwa"))
    def event_name(self, obj: WebhookDelivery) -> str:
        return str(obj.payload.get("event", "")) if isinstance(obj.payload, dict) else ""

    @admin.display(description=_("isi"))
    def payload_shown(self, obj: WebhookDelivery) -> str:
        return _pretty(obj.payload)

    @admin.action(description=_("Kirim sekarang (yang belum terkirim)"))
    def send_now(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        from django.utils import timezone

        ids = list(
            queryset.exclude(status=WebhookDelivery.Status.DELIVERED).values_list("pk", flat=True)
        )
        WebhookDelivery.objects.filter(pk__in=ids).update(
            status=WebhookDelivery.Status.PENDING, next_attempt_at=timezone.now()
        )
        for pk in ids:
            enqueue(pk)
        self.message_user(request, _("Diantrikan: %d.") % len(ids), messages.INFO)
