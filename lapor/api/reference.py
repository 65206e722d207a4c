"""Reference data for forms and integrations: institutions, regions, categories. Public."""

from __future__ import annotations

from typing import Any, Literal

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import P, Query, QueryEx, Router, Schema

from lapor.api.calendar import _resolve_province
from lapor.api.errors import ApiError
from lapor.api.types import Id, Text200
from lapor.institutions.models import Category, Institution, Region

router = Router(tags=["reference"])

InstitutionKind = Literal[
    "national", "ministry", "agency", "province", "regency", "city", "department", "unit"
]
MAX_INSTITUTIONS = 1000


class InstitutionOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    depth: int
    region_code: str | None
    timezone: str


class InstitutionPage(Schema):
    items: list[InstitutionOut]
    total: int
    limit: int
    offset: int


class RegionOut(Schema):
    code: str
    name: str
    level: str
    province_code: str
    timezone: str


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    parent_id: int | None


def _institution(pk: int, field: str) -> Institution:
    institution = Institution.objects.filter(pk=pk).first()
    if institution is None:
        message = _("Instansi tidak dikenal.")
        raise ApiError(400, "unknown_institution", message, {field: [message]})
    return institution


@router.get("/institutions", response=InstitutionPage, summary="Pohon instansi")
def list_institutions(
    request: HttpRequest,
    parent: QueryEx[Id | None, P(description="Hanya anak langsung instansi ini")] = None,
    within: QueryEx[Id | None, P(description="Instansi ini dan seluruh subpohonnya")] = None,
    kind: QueryEx[InstitutionKind | None, P()] = None,
    q: QueryEx[Text200 | None, P(description="Bagian dari nama")] = None,
    limit: QueryEx[int, P(ge=1, le=MAX_INSTITUTIONS)] = MAX_INSTITUTIONS,
    offset: QueryEx[int, P(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    """Active institutions in tree order (by materialised path): each names its parent and
    depth, so a client rebuilds the tree. Filter by `parent` (children), `within` (subtree),
    `kind` and `q`."""
    qs = Institution.objects.active().select_related("region__province")
    if parent is not None:
        qs = qs.filter(parent=_institution(parent, "parent"))
    if within is not None:
        qs = qs.subtree_of(_institution(within, "within"))
    if kind:
        qs = qs.filter(kind=kind)
    if q and q.strip():
        qs = qs.filter(Q(name__icontains=q.strip()) | Q(code__iexact=q.strip()))
    total = qs.count()
    rows = qs.order_by("path")[offset : offset + limit]
    return {
        "items": [
            {
                "id": i.pk,
                "code": i.code,
                "name": i.name,
                "kind": i.kind,
                "parent_id": i.parent_id,
                "depth": i.depth,
                "region_code": i.region.code if i.region else None,
                "timezone": i.effective_timezone,
            }
            for i in rows
        ],
        "total": total,
        "limit": limit,
        "offset": offset,
    }


@router.get("/regions", response=list[RegionOut], summary="Wilayah Kemendagri")
def list_regions(
    request: HttpRequest,
    province: str | None = Query(
        None, description="Kode provinsi (mis. 64): daftar kabupaten/kotanya", examples=["64"]
    ),
) -> list[dict[str, Any]]:
    """The provinces; with `province`, that province's regencies and cities."""
    code = _resolve_province(province)
    qs = Region.objects.all()
    qs = qs.filter(province__code=code) if code else qs.filter(level=Region.Level.PROVINCE)
    return [
        {
            "code": r.code,
            "name": r.name,
            "level": r.level,
            "province_code": r.province_code,
            "timezone": r.timezone,
        }
        for r in qs.order_by("code")
    ]


@router.get("/categories", response=list[CategoryOut], summary="Kategori laporan")
def list_categories(
    request: HttpRequest,
    parent: QueryEx[Id | None, P(description="Hanya subkategori langsung")] = None,
) -> list[dict[str, Any]]:
    """Active report categories (a tree: each names its parent)."""
    qs = Category.objects.filter(is_active=True)
    if parent is not None:
        qs = qs.filter(parent_id=parent)
    return [
        {"id": c.pk, "code": c.code, "name": c.name, "parent_id": c.parent_id}
        for c in qs.order_by("code")
    ]
