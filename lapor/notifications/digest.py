"""The daily digest: one summary for staff who chose it instead of a message per new task and
reminder. Each such event left a DigestItem; a digest collects the person's uncollected items.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from lapor.accounts.models import Membership, User
from lapor.notifications import messages
from lapor.notifications.models import Audience, Channel, DigestItem, Notification
from lapor.notifications.services import Target, enqueue, user_targets
from lapor.reports.privacy import public_text

logger = logging.getLogger(__name__)

MAX_LISTED = 50
KIND_LABELS = {
    "id": {
        "new_work": "tugas baru",
        "decline": "dikembalikan (bukan wewenang)",
        "clarify": "klarifikasi pelapor",
        "deadline_warning": "pengingat batas waktu",
    },
    "en": {
        "new_work": "new work",
        "decline": "bounced back (not our authority)",
        "clarify": "reporter's clarification",
        "deadline_warning": "deadline reminder",
    },
}


def zone_of_user(user: User) -> ZoneInfo:
    """The zone of the person's (first) institution: their "day" is that zone's day."""
    membership = (
        Membership.objects.filter(user=user, is_active=True)
        .select_related("institution__region__province")
        .order_by("id")
        .first()
    )
    if membership is None:
        return ZoneInfo(settings.TIME_ZONE)
    return ZoneInfo(membership.institution.effective_timezone)


def digest_key(user: User, day: date) -> str:
    return f"digest:{user.pk}:{day.isoformat()}"


def send_digests(*, now: datetime | None = None) -> int:
    """Send each person with uncollected items their digest for today (their local day).

    Idempotent per person and local day: a second run the same day sends nothing (items that
    arrive after today's digest wait for tomorrow's). Returns how many digests were created.
    """
    now = now or timezone.now()
    user_ids = (
        DigestItem.objects.filter(digest__isnull=True)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
    sent = 0
    for user in User.objects.filter(pk__in=list(user_ids)).order_by("pk"):
        if digest_for(user, now=now) is not None:
            sent += 1
    return sent


def _target(user: User) -> Target | None:
    targets = user_targets(user)
    emails = [t for t in targets if t.channel == Channel.EMAIL]
    chosen = emails or targets
    return chosen[0] if chosen else None


def digest_for(user: User, *, now: datetime) -> Notification | None:
    """Create (and enqueue) `user`'s digest for their local day, unless it exists or is empty."""
    target = _target(user)
    if target is None:
        logger.info("User %s chose the digest but can be reached by no channel.", user.pk)
        return None
    day = now.astimezone(zone_of_user(user)).date()
    key = digest_key(user, day)
    try:
        with transaction.atomic():
            items = list(
                DigestItem.objects.select_for_update(of=("self",))
                .filter(user=user, digest__isnull=True)
                .select_related("event__report__queue_institution__region__province")
                .select_related("event__report__responsible_institution__region__province")
            )
            if not items or Notification.objects.filter(idempotency_key=key).exists():
                return None
            context = _context(items, target.language, day)
            rendered = messages.render(
                "digest", target.language, context, sms=target.channel == Channel.SMS
            )
            notification = Notification.objects.create(
                recipient=user,
                audience=Audience.STAFF,
                kind="digest",
                channel=target.channel,
                address=target.address,
                language=target.language,
                subject=rendered.subject,
                body=rendered.body,
                idempotency_key=key,
            )
            DigestItem.objects.filter(pk__in=[i.pk for i in items]).update(digest=notification)
            pk = notification.pk
            transaction.on_commit(lambda: enqueue([pk]), robust=True)
    except IntegrityError:
        # Another run created today's digest at the same moment.
        return None
    return notification


def _context(items: list[DigestItem], language: str, day: date) -> dict[str, Any]:
    labels = KIND_LABELS[language]
    counts = Counter(item.kind for item in items)
    listed = []
    for item in items[:MAX_LISTED]:
        report = item.event.report
        listed.append(
            {
                "when": messages.local_time(item.event.created_at, messages.report_zone(report)),
                "label": labels.get(item.kind, item.kind),
                "tracking": report.tracking_number,
                "title": messages.shorten(public_text(report.title), 80),
                "link": messages.staff_link(report),
            }
        )
    return {
        "date": day.strftime("%d-%m-%Y"),
        "total": len(items),
        "counts": [
            {"label": labels.get(kind, kind), "count": n} for kind, n in sorted(counts.items())
        ],
        "items": listed,
        "more": max(len(items) - MAX_LISTED, 0),
        "link": messages.absolute(reverse("workbench:inbox")),
        "site_url": settings.SITE_URL,
    }
