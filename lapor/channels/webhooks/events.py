"""From a recorded report event to webhook deliveries: which subscriptions hear of it, and
what they are told.

A subscription hears an event when its institution's subtree holds the report (the queue it
sits in, the institution responsible for it, or the one that just declined or routed it) and
its events list names the event (or is ["*"]).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from lapor.channels.models import WebhookDelivery, WebhookSubscription
from lapor.reports.models import Report, ReportEvent
from lapor.reports.privacy import public_text, reporter_label

# Event names offered to subscribers, and the report actions each one stands for. An action
# not listed here is offered under its own name (future moves need no change here).
EVENT_ACTIONS: dict[str, frozenset[str]] = {
    "submitted": frozenset({"submit"}),
    "routed": frozenset({"route"}),
    "forwarded": frozenset({"forward"}),
    "declined": frozenset({"decline"}),
    "held": frozenset({"hold"}),
    "clarified": frozenset({"clarify"}),
    "information_added": frozenset({"add_information"}),
    "followed_up": frozenset({"follow_up"}),
    "answered": frozenset({"answer"}),
    "reopened": frozenset({"reopen"}),
    "extended": frozenset({"extend"}),
    "archived": frozenset({"archive", "expire_hold"}),
    "finished": frozenset({"confirm", "close_after_window"}),
    "rated": frozenset({"rate"}),
    "escalated": frozenset({"escalate"}),
    "ombudsman_consent": frozenset({"consent_ombudsman"}),
    "deadlines_changed": frozenset({"deadlines_recomputed"}),
    # Deadline sweeps: the names the sweeper may record for a passed or nearly passed limit.
    "overdue": frozenset({"overdue", "mark_overdue", "deadline_overdue", "completion_overdue"}),
    "deadline_warning": frozenset({"deadline_warning", "warning"}),
    "ombudsman_offered": frozenset({"ombudsman_offered"}),
}
_NAME_OF_ACTION = {action: name for name, actions in EVENT_ACTIONS.items() for action in actions}
# Never sent: they concern the reporter's person, not the case.
PRIVATE_ACTIONS = frozenset({"reporter_erased", "identity_revealed"})


def event_name(action: str) -> str:
    return _NAME_OF_ACTION.get(action, action)


def _institution_ids(report: Report, event: ReportEvent) -> set[int]:
    ids = {report.queue_institution_id, report.responsible_institution_id}
    data = event.data if isinstance(event.data, dict) else {}
    for key in ("declined_by_id", "institution_id"):
        if isinstance(data.get(key), int):
            ids.add(data[key])
    return {i for i in ids if i is not None}


def matching_subscriptions(report: Report, event: ReportEvent) -> list[WebhookSubscription]:
    from lapor.institutions.models import Institution

    ids = _institution_ids(report, event)
    if ids:
        paths = list(Institution.objects.filter(pk__in=ids).values_list("path", flat=True))
    else:
        # The national queue (no institution yet) belongs to the national body.
        paths = list(
            Institution.objects.filter(kind=Institution.Kind.NATIONAL).values_list(
                "path", flat=True
            )
        )
    name = event_name(event.action)
    subscriptions = WebhookSubscription.objects.filter(is_active=True).select_related("institution")
    return [
        s
        for s in subscriptions
        if any(p.startswith(s.institution.path) for p in paths)
        and ("*" in s.events or name in s.events)
    ]


def create_deliveries(event_id: int) -> list[WebhookDelivery]:
    """One delivery per interested subscription (none twice), each sent by a task after commit."""
    if not WebhookSubscription.objects.filter(is_active=True).exists():
        return []
    event = (
        ReportEvent.objects.select_related(
            "report__queue_institution", "report__responsible_institution", "report__category"
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None or event.action in PRIVATE_ACTIONS:
        return []
    report = event.report
    created: list[WebhookDelivery] = []
    for subscription in matching_subscriptions(report, event):
        try:
            with transaction.atomic():
                delivery = WebhookDelivery.objects.create(
                    subscription=subscription, event=event, payload=build_payload(report, event)
                )
        except IntegrityError:  # already queued for this subscription: at most one record
            continue
        created.append(delivery)
    from lapor.channels.webhooks.delivery import enqueue

    for delivery in created:
        enqueue(delivery.pk)
    return created


def build_payload(report: Report, event: ReportEvent) -> dict[str, Any]:
    """What a subscribing institution is told: the case, never the reporter's person.

    No contact details, NIK or account; the reporter's name as reports.privacy shows it to the
    public (an anonymous reporter stays "Pelapor anonim"); free text with personal data masked.
    """
    queue, owner = report.queue_institution, report.responsible_institution
    return {
        "event_id": str(event.pk),
        "event": event_name(event.action),
        "action": event.action,
        "occurred_at": event.created_at.isoformat(),
        "from_state": event.from_state,
        "to_state": event.to_state,
        "reason": public_text(event.reason),
        "message": public_text(event.message) if event.is_public else "",
        "report": {
            "tracking_number": report.tracking_number,
            "state": report.state,
            "report_type": report.report_type,
            "title": public_text(report.title),
            "body": public_text(report.body),
            "channel": report.channel,
            "category": report.category.code if report.category else None,
            "is_anonymous": report.is_anonymous,
            "is_confidential": report.is_confidential,
            "reporter": reporter_label(report, None),
            "queue_institution": _institution(queue),
            "responsible_institution": _institution(owner),
            "submitted_at": report.submitted_at.isoformat(),
            "completion_due_at": _iso(report.completion_due_at),
            "first_response_due_at": _iso(report.first_response_due_at),
        },
    }


def _institution(institution: Any) -> dict[str, Any] | None:
    if institution is None:
        return None
    return {"code": institution.code, "name": institution.name}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
