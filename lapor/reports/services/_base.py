"""The frame every move runs in: one transaction, the row locked, the table checked, one event."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile

from lapor.accounts.models import User
from lapor.lib import clock
from lapor.reports import workflow
from lapor.reports.actors import Actor, ChannelActor, GuestActor, SystemActor
from lapor.reports.errors import InvalidTransition, NotAllowed, NotFound, ValidationError
from lapor.reports.models import Attachment, DeadlinePolicy, Report, ReportEvent
from lapor.reports.outbox import queue_announcement
from lapor.reports.permissions import roles_for
from lapor.reports.policy import current_policy, expected_deadlines, sweep_schedule

if TYPE_CHECKING:
    from lapor.reports.attachments import CleanFile

# When an actor holds several roles, the event names the one that is most specific to the move.
_ROLE_PRIORITY = (
    workflow.SYSTEM,
    workflow.CHANNEL,
    workflow.INTAKE,
    workflow.REPORTER,
    workflow.UNIT_OFFICER,
    workflow.INSTITUTION_ADMIN,
    workflow.NATIONAL_ADMIN,
)


@dataclass
class Move:
    """A move in progress: the locked report, the row of the table, who acts and when."""

    report: Report
    transition: workflow.Transition
    actor: Actor | None
    role: str
    now: datetime
    policy: DeadlinePolicy
    from_state: str = field(init=False)

    def __post_init__(self) -> None:
        self.from_state = self.report.state

    @property
    def user(self) -> User | None:
        return self.actor if isinstance(self.actor, User) else None


def report_pk(report: Report | int) -> int:
    return report if isinstance(report, int) else int(report.pk)


def lock_report(report: Report | int) -> Report:
    try:
        return (
            Report.objects.select_for_update(of=("self",))
            .select_related("queue_institution__region__province")
            .select_related("responsible_institution__region__province")
            .get(pk=report_pk(report))
        )
    except Report.DoesNotExist:
        raise NotFound("Laporan tidak ditemukan.") from None


def begin(report: Report | int, action: str, actor: Actor | None) -> Move:
    """Lock the report and check the table. Must run inside transaction.atomic()."""
    locked = lock_report(report)
    roles = roles_for(actor, locked)
    roles_for_action = {r for t in workflow.TRANSITIONS if t.action == action for r in t.roles}
    if not roles & roles_for_action:
        raise NotAllowed("Anda tidak berwenang melakukan tindakan ini pada laporan ini.")
    row = workflow.find(locked.state, action)
    if row is None:
        raise InvalidTransition(
            f"Tindakan ini tidak dapat dilakukan: status laporan saat ini "
            f"'{locked.get_state_display()}'."
        )
    usable = roles & row.roles
    if not usable:
        raise NotAllowed("Peran Anda tidak berwenang melakukan tindakan ini pada status ini.")
    role = next(r for r in _ROLE_PRIORITY if r in usable)
    return Move(locked, row, actor, role, clock.now(), current_policy())


def actor_user(actor: Actor | None) -> User | None:
    return actor if isinstance(actor, User) else None


def actor_label(actor: Actor | None) -> str:
    if isinstance(actor, SystemActor):
        return actor.name
    if isinstance(actor, GuestActor):
        return "guest"
    if isinstance(actor, ChannelActor):
        # The channel only: the sender is the reporter's own contact, already on the report.
        return f"channel:{actor.channel}"
    return ""


def record(
    move: Move,
    *,
    reason: str = "",
    message: str = "",
    is_public: bool = False,
    data: dict[str, Any] | None = None,
    action: str | None = None,
) -> ReportEvent:
    """Apply the table's to-state, refresh deadlines, save, and append the event."""
    report = move.report
    report.state = move.transition.to_state
    for name, value in expected_deadlines(report, move.policy).items():
        setattr(report, name, value)
    return write_event(
        report,
        action=action or move.transition.action,
        actor=move.actor,
        role=move.role,
        from_state=move.from_state,
        to_state=report.state,
        reason=reason,
        message=message,
        is_public=is_public,
        data=data,
        now=move.now,
    )


def prepare_first_event(report: Report) -> None:
    """Give a report about to be inserted what its first event will record on it."""
    report.last_event_sequence = 1
    for name, value in sweep_schedule(report).items():
        setattr(report, name, value)


def write_event(
    report: Report,
    *,
    action: str,
    actor: Actor | None,
    role: str,
    from_state: str,
    to_state: str,
    reason: str = "",
    message: str = "",
    is_public: bool = False,
    data: dict[str, Any] | None = None,
    now: datetime | None = None,
    first: bool = False,
) -> ReportEvent:
    """Append the report's next event (and store the report with its sequence and sweep
    schedule). `first`: the report was just inserted by `prepare_first_event` already carrying
    both, so it is not written again."""
    if not first:
        report.last_event_sequence += 1
        # The deadline sweeper's bookkeeping follows whatever this move did to the deadlines.
        for name, value in sweep_schedule(report).items():
            setattr(report, name, value)
        report.save()
    payload = dict(data or {})
    if label := actor_label(actor):
        payload.setdefault("actor", label)
    event = ReportEvent.objects.create(
        report=report,
        sequence=report.last_event_sequence,
        action=action,
        actor=actor_user(actor),
        actor_role=role,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        message=message,
        is_public=is_public,
        data=payload,
        created_at=now or clock.now(),
    )
    queue_announcement([event.pk])
    return event


def require_text(value: str, field_name: str, label: str, *, max_length: int = 20000) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(
            f"{label} wajib diisi.", fields={field_name: [f"{label} wajib diisi."]}
        )
    if len(text) > max_length:
        msg = f"{label} terlalu panjang (maksimal {max_length} karakter)."
        raise ValidationError(msg, fields={field_name: [msg]})
    return text


def store_attachments(
    report: Report, files: Sequence[CleanFile], *, event: ReportEvent | None, user: User | None
) -> list[Attachment]:
    stored = []
    for clean in files:
        attachment = Attachment(
            report=report,
            event=event,
            name=clean.name,
            content_type=clean.content_type,
            kind=clean.kind,
            size=clean.size,
            sha256=clean.sha256,
            uploaded_by=user,
        )
        attachment.file.save(clean.name, ContentFile(clean.data), save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


Upload = tuple[str, bytes]


def clean_uploads(uploads: Sequence[Upload]) -> list[CleanFile]:
    """Validate and sanitise every upload before anything is written (no partial writes)."""
    if not uploads:
        return []
    from django.conf import settings

    from lapor.reports.attachments import AttachmentError, clean_upload

    if len(uploads) > settings.LAPOR_MAX_ATTACHMENTS:
        msg = f"Maksimal {settings.LAPOR_MAX_ATTACHMENTS} lampiran."
        raise ValidationError(msg, fields={"attachments": [msg]}, code="too_many_files")
    cleaned = []
    for name, data in uploads:
        try:
            cleaned.append(clean_upload(name, data, max_bytes=settings.LAPOR_MAX_ATTACHMENT_BYTES))
        except AttachmentError as error:
            msg = f"{name}: {error.message}"
            raise ValidationError(msg, fields={"attachments": [msg]}, code=error.code) from None
    return cleaned
