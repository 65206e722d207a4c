"""Turning report events into messages, and the upkeep of the outgoing queue.

`notifications_for_event` is the one entry point: called (through the `report_event_recorded`
receiver) after an event committed, it creates every message the event calls for in one
transaction and, after commit, enqueues one `send_notification` task per new message. It is
idempotent: each message has a unique key derived from the event, the person and the channel,
so processing the same event again creates and enqueues nothing.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from lapor.accounts.models import Membership, Role, User
from lapor.notifications import messages
from lapor.notifications.models import (
    Audience,
    Channel,
    DigestItem,
    Notification,
    NotificationPreference,
)
from lapor.notifications.recipients import (
    DIGEST_KINDS,
    REPORTER_KINDS,
    STAFF_RULES,
    Situation,
    reporter_kind,
    situation,
    staff_recipients,
)
from lapor.reports.models import Report, ReportEvent

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Target:
    """One way to reach one person."""

    user: User | None
    channel: str
    address: str
    language: str

    def key(self, prefix: str) -> str:
        if self.user is not None:
            who = f"u{self.user.pk}"
        else:
            # An address, not a person: hashed, so the key (which travels to the e-mail server
            # and the SMS gateway) carries no contact data of its own.
            digest = hashlib.sha256(self.address.strip().lower().encode()).hexdigest()[:20]
            who = f"a{digest}"
        return f"{prefix}:{who}:{self.channel}"


def preference_for(user: User) -> NotificationPreference:
    """The person's saved choice, or the defaults (e-mail on, SMS on when a phone is known,
    no digest) as an unsaved row."""
    return preferences_for([user])[user.pk]


def preferences_for(users: Iterable[User]) -> dict[int, NotificationPreference]:
    """Each person's choice (or the defaults), in one query."""
    users = list(users)
    saved = NotificationPreference.objects.in_bulk([u.pk for u in users], field_name="user_id")
    return {u.pk: saved.get(u.pk) or NotificationPreference(user=u) for u in users}


def user_targets(user: User, pref: NotificationPreference | None = None) -> list[Target]:
    if user.erased_at is not None:
        return []
    pref = pref or preference_for(user)
    language = messages.language_of(user)
    targets = []
    if pref.email and user.email:
        targets.append(Target(user, Channel.EMAIL, user.email, language))
    if pref.sms and user.phone:
        targets.append(Target(user, Channel.SMS, user.phone, language))
    return targets


def reporter_targets(report: Report) -> list[Target]:
    """The account holder's choice; for a guest or an offline complaint, every address given."""
    if report.reporter is not None:
        return user_targets(report.reporter)
    language = messages.language_of(None)
    targets = []
    if report.contact_email:
        targets.append(Target(None, Channel.EMAIL, report.contact_email, language))
    if report.contact_phone:
        targets.append(Target(None, Channel.SMS, report.contact_phone, language))
    return targets


def _load(event: ReportEvent | int) -> ReportEvent:
    pk = event if isinstance(event, int) else event.pk
    return ReportEvent.objects.select_related(
        "report__reporter",
        "report__queue_institution__region__province",
        "report__queue_institution__parent",
        "report__responsible_institution__region__province",
        "report__responsible_institution__parent",
    ).get(pk=pk)


def is_replayed_history(event: ReportEvent, now: datetime | None = None) -> bool:
    """An event recorded long before now is history being replayed (demo data, an import of
    old offline complaints): telling people about it now would only confuse them."""
    age = (now or timezone.now()) - event.created_at
    return age > timedelta(seconds=settings.NOTIFY_MAX_EVENT_AGE_SECONDS)


def handles_action(action: str) -> bool:
    """Whether an event of this action can ever produce a message (or erase addresses)."""
    return action in REPORTER_KINDS or action in STAFF_RULES or action == "reporter_erased"


def notifications_for_event(
    event: ReportEvent | int, *, include_history: bool = False, as_of: datetime | None = None
) -> list[Notification]:
    """Create the messages `event` calls for; enqueue their sending after commit.

    Returns the rows created by this call (none when the event was processed before). An event
    recorded long before `as_of` (when it was queued for announcement; default now) is skipped
    (see is_replayed_history) unless `include_history`: a worker that falls behind still tells.
    """
    event = _load(event)
    if event.action == "reporter_erased":
        forget_addresses(event.report)
        return []
    if not include_history and is_replayed_history(event, as_of):
        logger.info("Event %s (%s) is replayed history: no messages.", event.pk, event.action)
        return []
    at = situation(event.report, event)
    planned = _plan(at)
    with transaction.atomic():
        for user, kind in planned.digest:
            DigestItem.objects.get_or_create(user=user, event=event, defaults={"kind": kind})
        created = _create(at, planned.messages)
        ids = [n.pk for n in created]
        if ids:
            transaction.on_commit(lambda: enqueue(ids), robust=True)
    return created


@dataclass(frozen=True)
class Planned:
    audience: str
    kind: str
    target: Target
    key: str


@dataclass
class Plan:
    messages: list[Planned]
    digest: list[tuple[User, str]]


def _plan(at: Situation) -> Plan:
    """Every message the event calls for (existing ones included), and the digest entries."""
    event, prefix = at.event, f"ev{at.event.pk}"
    plan = Plan([], [])
    kind = reporter_kind(event)
    if kind is not None:
        for target in reporter_targets(at.report):
            plan.messages.append(Planned(Audience.REPORTER, kind, target, target.key(prefix)))
    staff = staff_recipients(at)
    if staff is not None:
        kind, people = staff
        prefs = preferences_for(people)
        for user in people:
            if kind in DIGEST_KINDS and prefs[user.pk].daily_digest:
                plan.digest.append((user, kind))
                continue
            for target in user_targets(user, prefs[user.pk]):
                plan.messages.append(Planned(Audience.STAFF, kind, target, target.key(prefix)))
    return plan


def _create(at: Situation, planned: list[Planned]) -> list[Notification]:
    """Render and insert the planned messages that do not exist yet (one insert for all)."""
    existing = set(
        Notification.objects.filter(idempotency_key__in=[p.key for p in planned]).values_list(
            "idempotency_key", flat=True
        )
    )
    stages: dict[str, tuple[str, str]] = {}
    rows = []
    for item in planned:
        if item.key in existing:
            continue
        target, sms = item.target, item.target.channel == Channel.SMS
        if item.audience == Audience.REPORTER:
            context = messages.reporter_context(at, target.language, sms=sms)
        else:
            assert target.user is not None
            if target.language not in stages:
                stages[target.language] = messages.stage_of(at, target.language)
            context = messages.staff_context(
                at, target.language, target.user, stage=stages[target.language]
            )
        rendered = messages.render(item.kind, target.language, context, sms=sms)
        rows.append(
            Notification(
                report=at.report,
                event=at.event,
                recipient=target.user,
                audience=item.audience,
                kind=item.kind,
                channel=target.channel,
                address=target.address,
                language=target.language,
                subject=rendered.subject,
                body=rendered.body,
                idempotency_key=item.key,
            )
        )
    if not rows:
        return []
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(rows)
    except IntegrityError:
        # The same event processed at the same moment elsewhere: keep whatever it did not make.
        return [row for row in rows if _create_one(row)]


def _create_one(row: Notification) -> bool:
    row.pk = None
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        return False
    return True


def enqueue(ids: Iterable[int], *, run_after: datetime | None = None) -> None:
    """One send task per message. A failure to enqueue is logged: the message stays pending and
    `requeue_stale_notifications` enqueues it again."""
    from lapor.notifications.tasks import send_notification

    task = send_notification.using(run_after=run_after) if run_after else send_notification
    for pk in ids:
        try:
            task.enqueue(pk)
        except Exception:
            logger.exception("Could not enqueue notification %s; it stays pending.", pk)


def failed_notifications(report: Report | int) -> QuerySet[Notification]:
    """Messages about `report` that could not be delivered after every attempt."""
    return Notification.objects.for_report(report).failed().order_by("-created_at", "-id")


def reachable_channels(user: User) -> set[str]:
    """The channels the person gave an address for: only those can be chosen."""
    channels = set()
    if user.email:
        channels.add(Channel.EMAIL.value)
    if user.phone:
        channels.add(Channel.SMS.value)
    return channels


def report_messages(report: Report | int) -> QuerySet[Notification]:
    """Every message about `report`, oldest first, with its recipient and attempts (3 queries
    however many messages there are)."""
    return (
        Notification.objects.for_report(report)
        .select_related("recipient")
        .prefetch_related("delivery_attempts")
        .order_by("created_at", "id")
    )


def failed_notifications_in_scope(user: User) -> QuerySet[Notification]:
    """Failed messages an admin answers for, newest first.

    A national admin: every one. An institution admin: those about reports queued at or owned
    by an institution of their subtree, and digests to people who serve in it. Anyone else:
    none.
    """
    scopes = Membership.objects.filter(
        user=user,
        is_active=True,
        institution__is_active=True,
        role__in=[Role.NATIONAL_ADMIN, Role.INSTITUTION_ADMIN],
    ).values_list("role", "institution__path")
    failed = Notification.objects.failed().select_related(
        "report__reporter", "recipient", "report__queue_institution"
    )
    failed = failed.order_by("-created_at", "-id")
    condition = Q(pk__in=[])
    for role, path in scopes:
        if role == Role.NATIONAL_ADMIN:
            return failed
        members = Membership.objects.filter(
            is_active=True, institution__path__startswith=path
        ).values("user_id")
        condition |= (
            Q(report__queue_institution__path__startswith=path)
            | Q(report__responsible_institution__path__startswith=path)
            | Q(report__isnull=True, recipient_id__in=members)
        )
    return failed.filter(condition)


def forget_addresses(report: Report) -> int:
    """The reporter's account was erased: remove their addresses from what was sent to them.

    The messages themselves stay (what the reporter was told is part of the record); they never
    greet anyone by name. Unsent ones can no longer be delivered and fail on their next attempt.
    """
    rows = Notification.objects.filter(audience=Audience.REPORTER, report=report)
    if report.reporter_id is not None:
        rows = Notification.objects.filter(Q(pk__in=rows) | Q(recipient_id=report.reporter_id))
    return rows.exclude(address="").update(address="")
