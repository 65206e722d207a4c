"""Submission: a report enters the system from any channel, or is typed in by staff."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from lapor.accounts.models import User
from lapor.institutions.lookups import active_category, active_institution, region_by_code
from lapor.institutions.models import WIT, Institution, Region
from lapor.lib import clock
from lapor.lib.tracking import new_tracking_number
from lapor.reports import workflow
from lapor.reports.actors import ChannelActor, SystemActor
from lapor.reports.attachments import CleanFile
from lapor.reports.errors import NotAllowed, ValidationError
from lapor.reports.models import (
    OFFLINE_CHANNELS,
    Assignment,
    Channel,
    Report,
    ReportType,
    State,
)
from lapor.reports.permissions import can_take_intake, hash_secret
from lapor.reports.policy import current_policy, expected_deadlines
from lapor.reports.services._base import (
    Upload,
    clean_uploads,
    prepare_first_event,
    require_text,
    store_attachments,
    write_event,
)

# A system gateway may only submit through these channels.
GATEWAY_CHANNELS = frozenset(
    {
        Channel.API,
        Channel.OPEN311,
        Channel.SMS,
        Channel.EMAIL,
        Channel.WHATSAPP,
        Channel.SOCIAL_MEDIA,
    }
)


@dataclass(frozen=True)
class Submission:
    report: Report
    # The secret of the report's private link, for a reporter without an account (a guest on
    # the web, a citizen whose letter or SMS was taken in); empty when the reporter has one.
    guest_secret: str
    created: bool


@dataclass(frozen=True)
class ReportInput:
    """What a submission carries, whatever the channel."""

    report_type: str
    title: str
    body: str
    incident_date: date | None = None
    province_code: str = ""
    regency_code: str = ""
    address: str = ""
    latitude: Decimal | float | str | None = None
    longitude: Decimal | float | str | None = None
    category_id: int | None = None
    suggested_institution_id: int | None = None
    channel: str = Channel.WEB
    is_anonymous: bool = False
    is_confidential: bool = False
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    original_document: str = ""


def _fail(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: [message]})


def _guest_secret(submission_key: str | None) -> str:
    # A resent submission (same key) must show the same private link, so the secret is derived
    # from the key when there is one. Keys are unguessable and scoped by the caller.
    if not submission_key:
        return secrets.token_urlsafe(18)
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"guest-secret:{submission_key}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode().rstrip("=")


def _validate_location(data: ReportInput) -> tuple[Region | None, Region | None]:
    province = regency = None
    if data.regency_code:
        regency = region_by_code(data.regency_code)
        if regency is None or regency.level == Region.Level.PROVINCE:
            raise _fail("regency", "Kabupaten/kota tidak dikenal.")
        if regency.province is not None and regency.province.code == data.province_code:
            return regency.province, regency  # the province given is the regency's own
    if data.province_code:
        province = region_by_code(data.province_code)
        if province is None or province.level != Region.Level.PROVINCE:
            raise _fail("province", "Provinsi tidak dikenal.")
    if regency is not None:
        if province is not None and regency.province_id != province.pk:
            raise _fail("regency", "Kabupaten/kota tidak berada di provinsi yang dipilih.")
        province = regency.province
    return province, regency


def _validate_coordinates(data: ReportInput) -> tuple[Decimal | None, Decimal | None]:
    if data.latitude in (None, "") and data.longitude in (None, ""):
        return None, None
    try:
        lat = Decimal(str(data.latitude)).quantize(Decimal("0.000001"))
        lon = Decimal(str(data.longitude)).quantize(Decimal("0.000001"))
        # NaN survives quantize and would raise on the range comparison below.
        if not (lat.is_finite() and lon.is_finite()):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise _fail("latitude", "Koordinat harus berupa angka (lintang dan bujur).") from None
    # Indonesia's bounding box with a margin: a point elsewhere is a typo or a swapped pair.
    if not (Decimal("-11.5") <= lat <= Decimal("6.5") and Decimal("94") <= lon <= Decimal("141.5")):
        raise _fail("latitude", "Koordinat berada di luar wilayah Indonesia.")
    return lat, lon


def _validate_contact(data: ReportInput) -> tuple[str, str]:
    email = data.contact_email.strip()
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            raise _fail("contact_email", "Alamat surel tidak valid.") from None
    phone = "".join(ch for ch in data.contact_phone if ch.isdigit() or ch == "+")
    if data.contact_phone.strip() and not (8 <= len(phone.lstrip("+")) <= 15):
        raise _fail("contact_phone", "Nomor telepon tidak valid.")
    return email, phone


def _validate(data: ReportInput) -> dict[str, object]:
    if data.report_type not in ReportType.values:
        raise _fail("report_type", "Jenis laporan tidak dikenal.")
    if data.channel not in Channel.values:
        raise _fail("channel", "Kanal tidak dikenal.")
    title = require_text(data.title, "title", "Judul", max_length=200)
    if len(title) < 5:
        raise _fail("title", "Judul terlalu pendek (minimal 5 karakter).")
    body = require_text(data.body, "body", "Isi laporan", max_length=20000)
    if len(body) < 10:
        raise _fail("body", "Isi laporan terlalu pendek (minimal 10 karakter).")
    # "Today" anywhere in Indonesia: WIT is the zone furthest ahead.
    if data.incident_date and data.incident_date > clock.now().astimezone(ZoneInfo(WIT)).date():
        raise _fail("incident_date", "Tanggal kejadian tidak boleh di masa depan.")
    if data.incident_date and data.incident_date < date(1945, 8, 17):
        raise _fail("incident_date", "Tanggal kejadian tidak masuk akal.")
    province, regency = _validate_location(data)
    latitude, longitude = _validate_coordinates(data)
    category = None
    if data.category_id is not None:
        category = active_category(pk=data.category_id)
        if category is None:
            raise _fail("category", "Kategori tidak dikenal.")
    suggested = None
    if data.suggested_institution_id is not None:
        suggested = active_institution(data.suggested_institution_id)
        if suggested is None:
            raise _fail("suggested_institution", "Instansi tidak dikenal.")
    email, phone = _validate_contact(data)
    return {
        "report_type": data.report_type,
        "title": title,
        "body": body,
        "incident_date": data.incident_date,
        "province": province,
        "regency": regency,
        "address": data.address.strip()[:255],
        "latitude": latitude,
        "longitude": longitude,
        "category": category,
        "suggested_institution": suggested,
        "channel": data.channel,
        "is_anonymous": data.is_anonymous,
        "is_confidential": data.is_confidential,
        "contact_name": data.contact_name.strip()[:200],
        "contact_email": email,
        "contact_phone": phone,
        "original_document": data.original_document.strip()[:255],
    }


def _role_for_submission(actor: User | SystemActor | ChannelActor | None, data: ReportInput) -> str:
    # An unknown channel is bad input (400 with the field), not a refusal of the actor.
    if data.channel not in Channel.values:
        raise _fail("channel", "Kanal tidak dikenal.")
    if isinstance(actor, ChannelActor) and data.channel != actor.channel:
        raise NotAllowed("Gateway hanya dapat mengirim laporan melalui kanalnya sendiri.")
    if isinstance(actor, (SystemActor, ChannelActor)):
        if data.channel not in GATEWAY_CHANNELS:
            raise NotAllowed("Gateway hanya dapat mengirim laporan melalui kanalnya sendiri.")
        return workflow.CHANNEL
    if data.channel in OFFLINE_CHANNELS:
        if actor is None or not can_take_intake(actor):
            raise NotAllowed("Hanya petugas yang dapat mencatat pengaduan luring.")
        if data.channel == Channel.LETTER and not data.original_document.strip():
            raise _fail("original_document", "Nomor atau keterangan surat asli wajib diisi.")
        return workflow.INTAKE
    if data.channel != Channel.WEB:
        raise NotAllowed("Kanal ini hanya untuk gateway atau petugas.")
    return workflow.REPORTER


def submit_report(
    *,
    actor: User | SystemActor | ChannelActor | None,
    data: ReportInput,
    uploads: Sequence[Upload] = (),
    submission_key: str | None = None,
) -> Submission:
    """Create a report awaiting verification, with its tracking number and first event.

    `actor` None is a guest on the web (they get a secret for their private link); a user on the
    web is the reporter; staff with an offline channel type it in for someone (intake); the
    system acts for a gateway. A resent submission with the same `submission_key` returns the
    first report (created=False) and writes nothing. Side effects: files stored, one event, its
    announcement queued in the same transaction (lapor/reports/outbox.py).
    """
    role = _role_for_submission(actor, data)
    # An empty key is no key: stored as "" it would clash with the next empty one. A key is
    # scoped to who sends it, so another client's identical key never replays this report.
    submission_key = _scoped_key(actor, submission_key) if submission_key else None
    if submission_key and (
        existing := Report.objects.filter(submission_key=submission_key).first()
    ):
        return _replay(existing, submission_key)
    fields = _validate(data)
    files = clean_uploads(uploads)
    user = actor if isinstance(actor, User) else None
    reporter = user if role == workflow.REPORTER else None
    secret = _guest_secret(submission_key) if reporter is None else ""
    for attempt in range(5):
        try:
            report = _submit_once(
                fields, files, role, actor, user, reporter, secret, submission_key
            )
            return Submission(report, secret, True)
        except IntegrityError:
            # Another request with the same key won the race: answer as a replay. Otherwise
            # the tracking number collided (one in billions): the whole insert is tried again.
            if submission_key and (
                existing := Report.objects.filter(submission_key=submission_key).first()
            ):
                return _replay(existing, submission_key)
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def _submit_once(
    fields: dict[str, object],
    files: Sequence[CleanFile],
    role: str,
    actor: User | SystemActor | ChannelActor | None,
    user: User | None,
    reporter: User | None,
    secret: str,
    submission_key: str | None,
) -> Report:
    with transaction.atomic():
        report = _create(
            fields, reporter, user if role == workflow.INTAKE else None, secret, submission_key
        )
        event = write_event(
            report,
            action="submit",
            actor=actor,
            role=role,
            from_state="",
            to_state=report.state,
            is_public=True,
            data={"channel": report.channel},
            now=report.submitted_at,
            first=True,
        )
        store_attachments(report, files, event=event, user=user)
    return report


def _scoped_key(actor: User | SystemActor | ChannelActor | None, key: str) -> str:
    if isinstance(actor, User):
        scope = f"u{actor.pk}"
    elif isinstance(actor, ChannelActor):
        scope = f"c:{actor.channel}"
    elif isinstance(actor, SystemActor):
        scope = f"s:{actor.name}"
    else:
        scope = "g"
    return f"{scope}:{key}"[:100]


def _replay(existing: Report, submission_key: str) -> Submission:
    secret = _guest_secret(submission_key) if existing.guest_secret_hash else ""
    return Submission(existing, secret, False)


def _create(
    fields: dict[str, object],
    reporter: User | None,
    intake_by: User | None,
    secret: str,
    submission_key: str | None,
) -> Report:
    now = clock.now()
    suggested = fields["suggested_institution"]
    queue = suggested.top_level() if isinstance(suggested, Institution) else None
    report = Report(
        **fields,
        tracking_number=new_tracking_number(now.astimezone(ZoneInfo("Asia/Jakarta")).year),
        guest_secret_hash=hash_secret(secret) if secret else "",
        submission_key=submission_key,
        reporter=reporter,
        intake_by=intake_by,
        state=State.AWAITING_VERIFICATION,
        queue_institution=queue,
        submitted_at=now,
        verification_started_at=now,
    )
    # The verification clock and its warning point, as every later move computes them.
    for name, value in expected_deadlines(report, current_policy()).items():
        setattr(report, name, value)
    prepare_first_event(report)
    report.save()
    Assignment.objects.create(
        report=report, institution=queue, kind=Assignment.Kind.VERIFICATION, started_at=now
    )
    return report


__all__ = ["ReportInput", "Submission", "submit_report"]
