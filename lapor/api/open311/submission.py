"""POST requests: a GeoReport service request becomes a report through reports.services.

Mapping: service_code -> category; lat/long -> coordinates; address_string -> address;
address_id -> a Kemendagri region code (our reading of "the jurisdiction's address system");
description -> body; attribute[title] or the first words of the description -> title;
email/phone/first_name/last_name -> the reporter's contact; attribute[...] -> report type,
incident date, region, institution, anonymous and confidential flags; media_url, device_id and
account_id are kept beside the report (Open311Request), never shown publicly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from lapor.api.open311.documents import BOOLEAN_VALUES, report_type_values
from lapor.api.open311.queries import parse_w3c
from lapor.api.open311.render import Open311Error
from lapor.channels.models import Open311Client, Open311Request, hash_key
from lapor.channels.parsing import make_title
from lapor.institutions import refcache
from lapor.institutions.lookups import active_category, region_by_code
from lapor.institutions.models import Institution, Region
from lapor.lib import touch
from lapor.reports import services
from lapor.reports.actors import ChannelActor, SystemActor
from lapor.reports.errors import DomainError
from lapor.reports.models import Channel, Report, ReportType

ATTRIBUTE_RE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")
KNOWN_ATTRIBUTES = frozenset(
    {
        "report_type",
        "title",
        "incident_date",
        "province",
        "regency",
        "institution",
        "anonymous",
        "confidential",
    }
)
SYSTEM_OPEN311 = SystemActor("open311")
LAST_USED_EVERY = timedelta(seconds=60)


@dataclass(frozen=True)
class Created:
    report: Report
    account_id: str
    created: bool


def authenticate(api_key: str) -> Open311Client:
    if not api_key:
        raise Open311Error(403, "api_key wajib diisi untuk membuat permintaan layanan.")
    key_hash = hash_key(api_key)
    # Kept per process until a key (or any reference row) changes: see refcache.
    client = refcache.remember(
        ("open311-client", key_hash),
        lambda: (
            Open311Client.objects.select_related("institution")
            .filter(key_hash=key_hash, is_active=True)
            .first()
        ),
    )
    if client is None:
        raise Open311Error(403, "api_key tidak valid atau sudah dicabut.")
    now = timezone.now()
    if touch.due(("open311-client", client.key_hash), client.last_used_at, now, LAST_USED_EVERY):
        Open311Client.objects.filter(pk=client.pk).update(last_used_at=now)
    return client


def attributes(form: QueryDict) -> dict[str, str]:
    found: dict[str, str] = {}
    for key in form:
        match = ATTRIBUTE_RE.match(key)
        if match is None:
            continue
        code = match.group(1)
        if code not in KNOWN_ATTRIBUTES:
            raise Open311Error(400, f"attribute[{code}] tidak dikenal untuk layanan ini.")
        found[code] = (form.get(key) or "").strip()
    return found


def _choice(attrs: dict[str, str], code: str, allowed: list[tuple[str, str]], default: str) -> str:
    value = attrs.get(code) or default
    if value not in {k for k, _ in allowed}:
        keys = ", ".join(k for k, _ in allowed)
        raise Open311Error(400, f"attribute[{code}] harus salah satu dari: {keys}.")
    return value


def _region_codes(form: QueryDict, attrs: dict[str, str]) -> tuple[str, str]:
    province, regency = attrs.get("province", ""), attrs.get("regency", "")
    address_id = (form.get("address_id") or "").strip()
    if address_id and not (province or regency):
        region = region_by_code(address_id)
        if region is None:
            raise Open311Error(400, "address_id harus kode wilayah Kemendagri, mis. 64.72.")
        if region.level == Region.Level.PROVINCE:
            province = region.code
        else:
            regency = region.code
    return province, regency


def _institution(attrs: dict[str, str], client: Open311Client) -> int | None:
    code = attrs.get("institution", "")
    if not code:
        return client.institution_id
    institution = Institution.objects.filter(code=code, is_active=True).first()
    if institution is None:
        raise Open311Error(400, "attribute[institution] bukan kode instansi yang aktif.")
    return institution.pk


def _coordinates(form: QueryDict) -> tuple[str | None, str | None]:
    lat, lon = (form.get("lat") or "").strip(), (form.get("long") or "").strip()
    if bool(lat) != bool(lon):
        raise Open311Error(400, "lat dan long harus dikirim bersama.")
    return (lat, lon) if lat else (None, None)


def _incident_date(attrs: dict[str, str]) -> date | None:
    value = attrs.get("incident_date", "")
    if not value:
        return None
    moment = parse_w3c("attribute[incident_date]", value)
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def _media_url(form: QueryDict) -> str:
    value = (form.get("media_url") or "").strip()
    if not value:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(value)
    except DjangoValidationError:
        raise Open311Error(400, "media_url bukan URL http(s) yang valid.") from None
    if len(value) > 1000:
        raise Open311Error(400, "media_url terlalu panjang.")
    return value


def report_input(form: QueryDict, client: Open311Client) -> services.ReportInput:
    code = (form.get("service_code") or "").strip()
    if not code:
        raise Open311Error(400, "service_code wajib diisi.")
    category = active_category(code=code)
    if category is None:
        raise Open311Error(404, f"service_code {code!r} tidak ditemukan.")
    attrs = attributes(form)
    description = (form.get("description") or "").strip()
    if not description:
        raise Open311Error(400, "description wajib diisi: laporan membutuhkan uraian.")
    lat, lon = _coordinates(form)
    province, regency = _region_codes(form, attrs)
    name = " ".join(p for p in ((form.get("first_name") or ""), (form.get("last_name") or "")) if p)
    return services.ReportInput(
        report_type=_choice(attrs, "report_type", report_type_values(), ReportType.COMPLAINT),
        title=attrs.get("title") or make_title(description, category.name),
        body=description,
        incident_date=_incident_date(attrs),
        province_code=province,
        regency_code=regency,
        address=(form.get("address_string") or "").strip(),
        latitude=lat,
        longitude=lon,
        category_id=category.pk,
        suggested_institution_id=_institution(attrs, client),
        channel=Channel.OPEN311,
        is_anonymous=_choice(attrs, "anonymous", list(BOOLEAN_VALUES), "false") == "true",
        is_confidential=_choice(attrs, "confidential", list(BOOLEAN_VALUES), "false") == "true",
        contact_name=name.strip(),
        contact_email=(form.get("email") or "").strip(),
        contact_phone=(form.get("phone") or "").strip(),
    )


def create_request(form: QueryDict, client: Open311Client, idempotency_key: str) -> Created:
    """Submit the report (channel open311) and keep what Open311 carried beside it."""
    data = report_input(form, client)
    media_url = _media_url(form)
    sender = data.contact_email or data.contact_phone
    actor = ChannelActor(Channel.OPEN311, sender) if sender else SYSTEM_OPEN311
    key = f"o311:{client.pk}:{idempotency_key}" if idempotency_key else None
    account_id = (form.get("account_id") or "").strip()[:100]
    try:
        with transaction.atomic():
            submission = services.submit_report(actor=actor, data=data, submission_key=key)
            if submission.created:
                Open311Request.objects.create(
                    report=submission.report,
                    client=client,
                    media_url=media_url,
                    device_id=(form.get("device_id") or "").strip()[:100],
                    account_id=account_id,
                )
    except DomainError as error:
        fields = getattr(error, "fields", {}) or {}
        details = [
            f"{name}: {'; '.join(msgs)}" for name, msgs in fields.items() if msgs != [error.message]
        ]
        raise Open311Error(400, error.message, details) from None
    return Created(submission.report, account_id, submission.created)
