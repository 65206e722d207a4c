"""Read-only admin: what was sent to whom, every attempt, and what failed.

A message to the reporter of an anonymous report shows no address or account here, like the
reports admin, which never shows an anonymous reporter's identity.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lapor.lib.redaction import ANONYMOUS_LABEL
from lapor.notifications.models import (
    Audience,
    DeliveryAttempt,
    DigestItem,
    Notification,
    NotificationPreference,
)


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _hides_identity(notification: Notification) -> bool:
    report = notification.report
    return notification.audience == Audience.REPORTER and report is not None and report.is_anonymous


class DeliveryAttemptInline(ReadOnly, admin.TabularInline[DeliveryAttempt, Notification]):
    model = DeliveryAttempt
    extra = 0
    fields = ("started_at", "finished_at", "outcome", "detail")
    readonly_fields = fields
    can_delete = False


@admin.register(Notification)
class NotificationAdmin(ReadOnly, admin.ModelAdmin[Notification]):
    list_display = (
        "id",
        "created_at",
        "status",
        "channel",
        "tracking_number",
        "kind",
        "audience",
        "to",
        "attempts",
        "sent_at",
    )
    list_filter = ("status", "channel", "audience", "kind")
    search_fields = ("report__tracking_number", "idempotency_key")
    date_hierarchy = "created_at"
    list_select_related = ("report", "recipient")
    inlines = [DeliveryAttemptInline]
    fields = (
        "tracking_number",
        "event",
        "audience",
        "kind",
        "channel",
        "to",
        "language",
        "subject",
        "body",
        "idempotency_key",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "last_error",
        "sent_at",
        "created_at",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Notification]:
        return super().get_queryset(request).select_related("report", "recipient")

    @admin.display(description=_("laporan"), ordering="report__tracking_number")
    def tracking_number(self, obj: Notification) -> str:
        return obj.report.tracking_number if obj.report else "—"

    @admin.display(description=_("kepada"))
    def to(self, obj: Notification) -> str:
        if _hides_identity(obj):
            return ANONYMOUS_LABEL
        who = obj.recipient.username if obj.recipient else ""
        return f"{who} <{obj.address}>" if who else obj.address


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin[NotificationPreference]):
    list_display = ("user", "email", "sms", "daily_digest")
    list_filter = ("email", "sms", "daily_digest")
    search_fields = ("user__username",)
    raw_id_fields = ("user",)


@admin.register(DigestItem)
class DigestItemAdmin(ReadOnly, admin.ModelAdmin[DigestItem]):
    list_display = ("created_at", "user", "kind", "event", "digest")
    list_filter = ("kind",)
    raw_id_fields = ("user", "event", "digest")
