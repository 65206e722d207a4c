"""Request and response schemas of the reports API (pydantic v2 through Ninja)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from lapor.api.types import (
    Id,
    IsoDate,
    RequiredText200,
    RequiredText4000,
    RequiredText20000,
    Text8,
    Text30,
    Text40,
    Text200,
    Text254,
    Text255,
    Text4000,
)

ReportTypeValue = Literal["pengaduan", "aspirasi", "informasi"]
StateValue = Literal[
    "awaiting_verification",
    "on_hold",
    "archived",
    "routed",
    "in_progress",
    "answered",
    "finished",
    "escalated",
]
ChannelValue = Literal[
    "web",
    "api",
    "open311",
    "sms",
    "email",
    "whatsapp",
    "social_media",
    "letter",
    "walk_in",
    "phone",
    "suggestion_box",
]
ResolutionClassValue = Literal["short", "standard", "investigation"]
ArchiveReasonValue = Literal["spam", "duplicate", "unintelligible", "too_general", "out_of_scope"]


class Input(Schema):
    """Every request body: unknown fields are refused, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


# --- errors ----------------------------------------------------------------------------------


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    error: ErrorDetail


# --- reports in --------------------------------------------------------------------------------


class ReportCreateIn(Input):
    report_type: ReportTypeValue
    title: RequiredText200
    body: RequiredText20000
    incident_date: IsoDate | None = None
    province: Text8 | None = Field(None, description="Kode provinsi Kemendagri, mis. 64")
    regency: Text8 | None = Field(None, description="Kode kabupaten/kota, mis. 64.72")
    address: Text255 = ""
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    category: Id | None = None
    suggested_institution: Id | None = None
    channel: ChannelValue | None = Field(
        None,
        description="Default: `api` for an integration token, `web` for a session. `web` is "
        "refused for tokens; staff type in offline complaints with letter/walk_in/phone/"
        "suggestion_box.",
    )
    is_anonymous: bool = False
    is_confidential: bool = False
    contact_name: Text200 = ""
    contact_email: Text254 = ""
    contact_phone: Text30 = ""
    original_document: Text255 = ""


class RouteIn(Input):
    institution: Id
    report_type: ReportTypeValue
    resolution_class: ResolutionClassValue
    category: Id | None = None
    note: Text4000 = ""


class HoldIn(Input):
    question: RequiredText4000


class MessageIn(Input):
    message: RequiredText20000


class FollowUpIn(MessageIn):
    is_public: bool = True


class ArchiveIn(Input):
    reason_code: ArchiveReasonValue
    note: Text4000 = ""
    duplicate_of: Text40 | None = Field(None, description="Nomor pelacakan laporan asli")


class ReasonIn(Input):
    reason: RequiredText4000


class ForwardIn(Input):
    institution: Id
    note: Text4000 = ""


class ExtendIn(ReasonIn):
    days: int = Field(ge=1, le=365)


class ConfirmIn(Input):
    rating: int | None = Field(None, ge=1, le=5)
    comment: Text4000 = ""


class RateIn(Input):
    rating: int = Field(ge=1, le=5)
    comment: Text4000 = ""


class NoteIn(Input):
    note: Text4000 = ""


class EmptyIn(Input):
    pass


# --- reports out -------------------------------------------------------------------------------


class InstitutionRef(Schema):
    id: int
    code: str
    name: str


class RegionRef(Schema):
    code: str
    name: str


class CategoryRef(Schema):
    id: int
    code: str
    name: str


class ClockOut(Schema):
    stage: str
    due_at: datetime
    limit_days: int
    elapsed_days: int
    colour: Literal["green", "yellow", "red"]


class DeadlinesOut(Schema):
    verification_due_at: datetime | None
    clarification_due_at: datetime | None
    first_response_due_at: datetime | None
    completion_due_at: datetime | None
    reporter_window_due_at: datetime | None


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    kind: str
    size: int
    event_sequence: int | None
    url: str


class EventOut(Schema):
    sequence: int
    action: str
    actor_role: str
    actor_name: str | None = Field(
        description="Staff viewers see who acted; others see only the role. A reporter's own "
        "moves carry the name the viewer may see (never an anonymous reporter's)."
    )
    from_state: str
    to_state: str
    reason: str
    message: str
    is_public: bool
    created_at: datetime
    data: dict[str, Any]
    attachments: list[AttachmentOut]


class ReportSummary(Schema):
    tracking_number: str
    report_type: str
    title: str
    state: str
    channel: str
    is_anonymous: bool
    is_confidential: bool
    category_id: int | None
    queue_institution_id: int | None
    responsible_institution_id: int | None
    submitted_at: datetime
    updated_at: datetime
    completion_due_at: datetime | None


class ReportOut(Schema):
    tracking_number: str
    view: Literal["staff", "reporter", "public"] = Field(
        description="How the caller sees this report: as its handler (staff), as its reporter, "
        "or as the public (redacted)."
    )
    report_type: str
    title: str
    body: str
    state: str
    channel: str
    incident_date: date | None
    province: RegionRef | None
    regency: RegionRef | None
    address: str | None
    latitude: float | None
    longitude: float | None
    category: CategoryRef | None
    suggested_institution: InstitutionRef | None
    is_anonymous: bool
    is_confidential: bool
    reporter_name: str
    queue_institution: InstitutionRef | None
    responsible_institution: InstitutionRef | None
    resolution_class: str
    bounce_count: int
    needs_national_decision: bool
    submitted_at: datetime
    routed_at: datetime | None
    first_response_at: datetime | None
    answered_at: datetime | None
    closed_at: datetime | None
    updated_at: datetime
    deadlines: DeadlinesOut
    clock: ClockOut | None
    extension_days: int
    archive_reason: str
    duplicate_of: str | None
    satisfaction_rating: int | None
    ombudsman_consent_at: datetime | None
    allowed_actions: list[str]
    attachments: list[AttachmentOut]


class ReportPage(Schema):
    items: list[ReportSummary]
    next_cursor: str | None
    limit: int


class ReportCreated(Schema):
    created: bool = Field(description="False when the same submission was already received.")
    guest_secret: str | None = Field(
        description="For a report without a reporter account: the secret of its private link "
        "(send it as X-Report-Secret to act as the reporter). Shown once; never stored."
    )
    report: ReportOut


class MoveOut(Schema):
    tracking_number: str
    state: str
    event: EventOut | None
    report: ReportOut | None = Field(
        description="Null when the move took the report out of the caller's reach (a decline)."
    )
