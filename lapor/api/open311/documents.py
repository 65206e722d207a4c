"""The GeoReport v2 documents, element by element in the specification's order."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from lapor.api.open311.render import El, array, leaf, node
from lapor.institutions.models import Category, Region
from lapor.reports.models import Report, ReportType, State
from lapor.reports.privacy import public_text

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When the shape of our service list or definitions last changed (sortable, as the discovery
# specification asks). Categories themselves are read live at every request.
CHANGESET = "2026-11-30 00:00"
DESCRIPTION_MAX = 4000
CLOSED_STATES = frozenset({State.FINISHED, State.ESCALATED})
BOOLEAN_VALUES = (("true", "Ya"), ("false", "Tidak"))


def w3c(value: datetime | None) -> str | None:
    """A W3C datetime with its offset, in Jakarta time (WIB), e.g. 2026-03-02T10:00:00+07:00."""
    if value is None:
        return None
    return value.astimezone(ZoneInfo(settings.TIME_ZONE)).replace(microsecond=0).isoformat()


def discovery(endpoint_url: str) -> El:
    return node(
        "discovery",
        leaf("changeset", CHANGESET),
        leaf("contact", settings.OPEN311_CONTACT),
        leaf("key_service", settings.OPEN311_KEY_SERVICE),
        array(
            "endpoints",
            [
                node(
                    "endpoint",
                    leaf("specification", SPECIFICATION),
                    leaf("url", endpoint_url),
                    leaf("changeset", CHANGESET),
                    leaf("type", "test" if settings.DEBUG else "production"),
                    array(
                        "formats",
                        [leaf("format", "text/xml"), leaf("format", "application/json")],
                    ),
                )
            ],
        ),
    )


def _lineage(category: Category, by_id: dict[int, Category]) -> list[Category]:
    chain = [category]
    seen = {category.pk}
    while chain[-1].parent_id is not None and chain[-1].parent_id not in seen:
        parent = by_id.get(chain[-1].parent_id)
        if parent is None:
            break
        seen.add(parent.pk)
        chain.append(parent)
    return list(reversed(chain))


def service(category: Category, by_id: dict[int, Category]) -> El:
    lineage = _lineage(category, by_id)
    group = lineage[-2].name if len(lineage) > 1 else category.name
    return node(
        "service",
        leaf("service_code", category.code),
        leaf("service_name", category.name),
        leaf("description", " › ".join(c.name for c in lineage)),
        leaf("metadata", True),  # every service takes the attributes below (report type, ...)
        leaf("type", "realtime"),
        leaf("keywords", ", ".join(c.name.lower() for c in lineage)),
        leaf("group", group),
    )


def services(categories: list[Category]) -> El:
    by_id = {c.pk: c for c in Category.objects.all()}
    return array("services", [service(c, by_id) for c in categories])


def _values(pairs: list[tuple[str, str]]) -> El:
    return array("values", [node("value", leaf("key", k), leaf("name", n)) for k, n in pairs])


def _attribute(
    order: int,
    code: str,
    datatype: str,
    description: str,
    datatype_description: str = "",
    values: list[tuple[str, str]] | None = None,
) -> El:
    children = [
        leaf("variable", True),
        leaf("code", code),
        leaf("datatype", datatype),
        leaf("required", False),
        leaf("datatype_description", datatype_description),
        leaf("order", order),
        leaf("description", description),
    ]
    if values is not None:
        children.append(_values(values))
    return node("attribute", *children)


def report_type_values() -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in ReportType.choices]


def service_definition(category: Category) -> El:
    provinces = list(
        Region.objects.filter(level=Region.Level.PROVINCE)
        .order_by("code")
        .values_list("code", "name")
    )
    attributes = [
        _attribute(
            1,
            "report_type",
            "singlevaluelist",
            "Jenis laporan",
            "Bawaan: pengaduan",
            report_type_values(),
        ),
        _attribute(
            2, "title", "string", "Judul laporan", "Bawaan: kata-kata pertama dari description"
        ),
        _attribute(3, "incident_date", "datetime", "Tanggal kejadian", "YYYY-MM-DD"),
        _attribute(4, "province", "singlevaluelist", "Provinsi lokasi kejadian", "", provinces),
        _attribute(
            5,
            "regency",
            "string",
            "Kabupaten/kota lokasi kejadian",
            "Kode wilayah Kemendagri, mis. 64.72",
        ),
        _attribute(
            6, "institution", "string", "Instansi yang dituju (bila diketahui)", "Kode instansi"
        ),
        _attribute(
            7,
            "anonymous",
            "singlevaluelist",
            "Rahasiakan identitas pelapor dari instansi dan publik (anonim)",
            "Bawaan: false",
            list(BOOLEAN_VALUES),
        ),
        _attribute(
            8,
            "confidential",
            "singlevaluelist",
            "Rahasiakan isi laporan dari publik (rahasia); laporan tidak akan tampil di Open311",
            "Bawaan: false",
            list(BOOLEAN_VALUES),
        ),
    ]
    return node(
        "service_definition", leaf("service_code", category.code), array("attributes", attributes)
    )


def created(report: Report, account_id: str) -> El:
    due = w3c(report.verification_due_at)
    notice = (
        f"Laporan diterima dengan nomor {report.tracking_number} dan menunggu verifikasi"
        + (f" (batas verifikasi {due})" if due else "")
        + ". Laporan tampil di GET requests setelah diverifikasi dan bila tidak dirahasiakan."
    )
    return array(
        "service_requests",
        [
            node(
                "request",
                leaf("service_request_id", report.tracking_number),
                leaf("service_notice", notice),
                leaf("account_id", account_id),
            )
        ],
    )


def token(report: Report, token_value: str) -> El:
    return array(
        "service_requests",
        [
            node(
                "request",
                leaf("service_request_id", report.tracking_number),
                leaf("token", token_value),
            )
        ],
    )


def _expected(report: Report) -> datetime | None:
    if report.state in (State.ROUTED, State.IN_PROGRESS):
        return report.completion_due_at
    if report.state == State.ANSWERED:
        return report.reporter_window_due_at
    return None


def _address(report: Report) -> str:
    parts = [public_text(report.address.strip())] if report.address.strip() else []
    parts += [r.name for r in (report.regency, report.province) if r is not None]
    return ", ".join(parts)


def _number(value: Any) -> float | None:
    return float(value) if value is not None else None


def request_element(report: Report) -> El:
    """One public report as a GeoReport request: no reporter, personal data masked."""
    closed = report.state in CLOSED_STATES
    category = report.category
    agency = report.responsible_institution or report.queue_institution
    updated = report.closed_at if closed else getattr(report, "last_public_at", None)
    description = public_text(f"{report.title}\n\n{report.body}")
    region = report.regency or report.province
    return node(
        "request",
        leaf("service_request_id", report.tracking_number),
        leaf("status", "closed" if closed else "open"),
        leaf("status_notes", str(report.get_state_display())),
        leaf("service_name", category.name if category else ""),
        leaf("service_code", category.code if category else ""),
        leaf("description", description[:DESCRIPTION_MAX]),
        leaf("agency_responsible", agency.name if agency else ""),
        leaf("service_notice", ""),
        leaf("requested_datetime", w3c(report.submitted_at)),
        leaf("updated_datetime", w3c(updated or report.updated_at)),
        leaf("expected_datetime", w3c(_expected(report))),
        leaf("address", _address(report)),
        leaf("address_id", region.code if region else ""),
        leaf("zipcode", ""),
        leaf("lat", _number(report.latitude)),
        leaf("long", _number(report.longitude)),
        leaf("media_url", ""),
    )


def requests_document(reports: list[Report]) -> El:
    return array("service_requests", [request_element(r) for r in reports])
