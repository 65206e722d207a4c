"""API tokens and the Idempotency-Key records of the REST API."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A bearer token. Only its sha256 is stored; the full token is shown once, at creation.

    A *user token* acts as `user` (a person). An *integration token* has `institution` set: it
    acts through `user`, a dedicated service account created with the token whose only
    membership is at that institution (institution_admin by default), so the services see a
    real actor with real workflow roles, and it sees only that institution's subtree.
    """

    name = models.CharField(_("nama"), max_length=100)
    # Shown to humans (lists, logs) and used to find the row; not a secret.
    prefix = models.CharField(_("awalan"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("bertindak sebagai"),
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("instansi (integrasi)"),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    # Written at most once a minute (lapor.api.auth), not on every request.
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_integration(self) -> bool:
        return self.institution_id is not None


class IdempotencyRecord(models.Model):
    """The first response to a POST carrying an Idempotency-Key, kept for a day.

    The row is inserted (claimed) before the request executes; the unique (scope, key) pair is
    what makes a concurrent retry wait or be refused instead of executing twice.
    `status_code` is null while the first request is still running.
    """

    scope = models.CharField(max_length=64)  # "token:<id>" or "user:<id>"
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=255)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    # The response body, minus a guest secret (never stored; re-derived on a replay).
    response_body = models.TextField(blank=True)
    secret_removed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="unique_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"
