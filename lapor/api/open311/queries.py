"""GET requests: the filters of the specification over public reports only."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from lapor.api.open311.render import Open311Error
from lapor.lib.tracking import normalize_tracking_number
from lapor.reports.models import Report, ReportEvent, State
from lapor.reports.privacy import public_reports

WINDOW = timedelta(days=90)
MAX_ROWS = 1000
# Bounds that keep an offset and a date within what every database stores: page x page_size
# stays far below a 64-bit integer, a date window far from year 1 and year 9999.
MAX_PAGE = 1_000_000
MAX_CODES = 200
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2999, 12, 31, tzinfo=UTC)
STATUS_STATES = {
    "open": (State.ROUTED, State.IN_PROGRESS, State.ANSWERED),
    "closed": (State.FINISHED, State.ESCALATED),
}


def base_queryset() -> QuerySet[Report]:
    last_public = (
        ReportEvent.objects.filter(report=OuterRef("pk"), is_public=True)
        .order_by("-sequence")
        .values("created_at")[:1]
    )
    return (
        public_reports(Report.objects.all())
        .select_related(
            "category", "responsible_institution", "queue_institution", "province", "regency"
        )
        .annotate(last_public_at=Subquery(last_public))
    )


def parse_w3c(name: str, value: str) -> datetime:
    """A W3C datetime (with Z or an offset), or a date alone (midnight UTC), between the years
    1900 and 2999."""
    moment = _parse_w3c(name, value)
    if not EARLIEST <= moment <= LATEST:
        raise Open311Error(400, f"{name} harus antara tahun 1900 dan 2999.")
    return moment


def _parse_w3c(name: str, value: str) -> datetime:
    value = value.strip()
    if len(value) == 10 and value[4:5] == "-":
        try:
            day = parse_date(value)
        except ValueError:
            day = None
        if day is None:
            raise Open311Error(400, f"{name} bukan tanggal yang valid.")
        return datetime.combine(day, time.min, tzinfo=UTC)
    try:
        # "+07:00" often arrives as " 07:00" when a client forgets to encode the "+".
        moment = parse_datetime(value.replace(" ", "+"))
    except (ValueError, OverflowError):
        moment = None
    if moment is None:
        raise Open311Error(400, f"{name} harus berformat W3C, mis. 2026-01-01T00:00:00Z.")
    if timezone.is_naive(moment):
        raise Open311Error(400, f"{name} harus menyertakan zona waktu (Z atau +07:00).")
    return moment


def _window(params: QueryDict) -> tuple[datetime, datetime]:
    start_raw, end_raw = params.get("start_date", ""), params.get("end_date", "")
    start = parse_w3c("start_date", start_raw) if start_raw else None
    end = parse_w3c("end_date", end_raw) if end_raw else None
    if start and end:
        if end < start:
            raise Open311Error(400, "end_date tidak boleh sebelum start_date.")
        if end - start > WINDOW:
            raise Open311Error(400, "Rentang start_date sampai end_date paling lama 90 hari.")
        return start, end
    if start:
        return start, min(start + WINDOW, LATEST)
    end = end or timezone.now()
    return max(end - WINDOW, EARLIEST), end


def _page(params: QueryDict) -> tuple[int, int]:
    raw_page, raw_size = params.get("page") or "1", params.get("page_size") or str(MAX_ROWS)
    if len(raw_page) > 12 or len(raw_size) > 12:
        raise Open311Error(400, f"page antara 1 dan {MAX_PAGE}; page_size antara 1 dan {MAX_ROWS}.")
    try:
        page, size = int(raw_page), int(raw_size)
    except ValueError:
        raise Open311Error(400, "page dan page_size harus bilangan bulat.") from None
    if not 1 <= page <= MAX_PAGE:
        raise Open311Error(400, f"page harus antara 1 dan {MAX_PAGE}.")
    if not 1 <= size <= MAX_ROWS:
        raise Open311Error(400, f"page_size harus antara 1 dan {MAX_ROWS}.")
    return page, size


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def find_requests(params: QueryDict) -> list[Report]:
    qs = base_queryset()
    ids = _split(",".join(params.getlist("service_request_id")))
    if len(ids) > MAX_ROWS:
        raise Open311Error(400, f"service_request_id paling banyak {MAX_ROWS} nomor sekaligus.")
    if ids:
        # The specification: a list of ids overrides every other argument.
        numbers = {normalize_tracking_number(i) for i in ids if len(i) <= 40} - {None}
        return list(qs.filter(tracking_number__in=numbers).order_by("-submitted_at", "-id"))
    codes = _split(",".join(params.getlist("service_code")))
    if len(codes) > MAX_CODES:
        raise Open311Error(400, f"service_code paling banyak {MAX_CODES} kode sekaligus.")
    if codes:
        qs = qs.filter(category__code__in=codes)
    statuses = _split(",".join(params.getlist("status")))
    if statuses:
        unknown = [s for s in statuses if s not in STATUS_STATES]
        if unknown:
            raise Open311Error(400, "status harus open atau closed.")
        qs = qs.filter(state__in=[st for s in statuses for st in STATUS_STATES[s]])
    start, end = _window(params)
    qs = qs.filter(submitted_at__gte=start, submitted_at__lte=end)
    page, size = _page(params)
    offset = (page - 1) * size
    return list(qs.order_by("-submitted_at", "-id")[offset : offset + size])


def find_request(identifier: str) -> Report | None:
    number = normalize_tracking_number(identifier)
    if number is None:
        return None
    return base_queryset().filter(tracking_number=number).first()
