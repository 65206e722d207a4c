"""GET /api/v1/institutions, /regions and /categories (public reference data)."""

from __future__ import annotations

import pytest
from django.test import Client

from lapor.institutions.models import Category
from tests.api.support import *  # noqa: F403
from tests.api.support import error_code
from tests.factories import World

pytestmark = pytest.mark.django_db


def test_the_institution_tree_and_its_filters(client: Client, w: World) -> None:
    everything = client.get("/api/v1/institutions").json()
    assert everything["total"] == 8
    names = [i["name"] for i in everything["items"]]
    assert names[0] == w.national.name  # tree order: the root first
    city = next(i for i in everything["items"] if i["id"] == w.city.pk)
    assert city == {
        "id": w.city.pk,
        "code": w.city.code,
        "name": w.city.name,
        "kind": "city",
        "parent_id": w.province.pk,
        "depth": w.city.depth,
        "region_code": "64.72",
        "timezone": "Asia/Makassar",
    }
    children = client.get("/api/v1/institutions", {"parent": w.province.pk}).json()["items"]
    assert {i["id"] for i in children} == {w.city.pk, w.other_city.pk}
    subtree = client.get("/api/v1/institutions", {"within": w.city.pk}).json()["items"]
    assert {i["id"] for i in subtree} == {w.city.pk, w.department.pk, w.unit.pk}
    ministries = client.get("/api/v1/institutions", {"kind": "ministry"}).json()["items"]
    assert [i["id"] for i in ministries] == [w.ministry.pk]
    found = client.get("/api/v1/institutions", {"q": "balikpapan"}).json()["items"]
    assert {i["id"] for i in found} == {w.other_city.pk, w.other_department.pk}
    page = client.get("/api/v1/institutions", {"limit": 2, "offset": 2}).json()
    assert len(page["items"]) == 2 and page["total"] == 8
    unknown = client.get("/api/v1/institutions", {"parent": 999999})
    assert unknown.status_code == 400
    assert error_code(unknown) == "unknown_institution"
    assert client.get("/api/v1/institutions", {"kind": "planet"}).status_code == 400


def test_regions_are_provinces_or_one_provinces_regencies(client: Client, w: World) -> None:
    provinces = client.get("/api/v1/regions").json()
    assert len(provinces) >= 34
    assert all(r["level"] == "province" for r in provinces)
    kaltim = client.get("/api/v1/regions", {"province": "64"}).json()
    codes = {r["code"] for r in kaltim}
    assert {"64.71", "64.72"} <= codes
    assert all(r["province_code"] == "64" for r in kaltim)
    regency = client.get("/api/v1/regions", {"province": "64.72"})
    assert regency.status_code == 400
    assert error_code(regency) == "not_a_province"
    assert error_code(client.get("/api/v1/regions", {"province": "99"})) == "unknown_province"


def test_categories_form_a_tree(client: Client, w: World) -> None:
    child = Category.objects.create(code="C-SEKOLAH", name="Sekolah", parent=w.category)
    Category.objects.create(code="C-LAMA", name="Lama", is_active=False)
    every = client.get("/api/v1/categories").json()
    assert {c["id"] for c in every} == {w.category.pk, child.pk}
    below = client.get("/api/v1/categories", {"parent": w.category.pk}).json()
    assert below == [
        {"id": child.pk, "code": "C-SEKOLAH", "name": "Sekolah", "parent_id": w.category.pk}
    ]
