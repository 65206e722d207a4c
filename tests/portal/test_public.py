"""The public list (filters, search, pagination) and the public detail page."""

from __future__ import annotations

import pytest
from django.test import Client

from lapor.institutions.models import Category
from lapor.reports import services
from lapor.reports.models import Report, ReportType, ResolutionClass
from tests.factories import World, submit
from tests.portal.conftest import jpeg_bytes
from tests.portal.helpers import html

pytestmark = pytest.mark.django_db


def _public(world: World, **overrides: object) -> Report:
    target = overrides.pop("target", world.city)
    report_type = str(overrides.pop("route_type", ReportType.COMPLAINT))
    report, _ = submit(world, **overrides)  # type: ignore[arg-type]
    resolution = (
        ResolutionClass.STANDARD if report_type == ReportType.COMPLAINT else ResolutionClass.SHORT
    )
    category = overrides.get("category_id")
    services.route_report(
        actor=world.national_admin,
        report=report,
        institution=target,  # type: ignore[arg-type]
        report_type=report_type,
        resolution_class=resolution,
        category=category,  # type: ignore[arg-type]
    )
    return Report.objects.get(pk=report.pk)


def _rows(page: str) -> set[str]:
    return {
        chunk.split("/", 1)[0] for chunk in page.split('<h2 class="h-small"><a href="/laporan/')[1:]
    }


def test_filters_narrow_the_list(world: World) -> None:
    school = Category.objects.create(code="C-SD", name="Sekolah dasar", parent=world.category)
    health = Category.objects.create(code="C-KES", name="Kesehatan")
    a = _public(world, title="Sekolah memungut biaya", category_id=school.pk)
    b = _public(
        world,
        title="Puskesmas tutup siang",
        category_id=health.pk,
        regency_code="64.71",
        target=world.other_city,
        route_type=ReportType.ASPIRATION,
    )
    c = _public(
        world,
        title="Layanan KTP lambat",
        province_code="11",
        regency_code="11.01",
        target=world.ministry,
        route_type=ReportType.INFORMATION,
    )
    client = Client()
    everything = _rows(html(client.get("/laporan/")))
    assert everything == {a.tracking_number, b.tracking_number, c.tracking_number}
    cases = {
        "type": ({"type": "aspirasi"}, {b}),
        "category with its children": ({"category": world.category.pk}, {a}),
        "leaf category": ({"category": health.pk}, {b}),
        "province": ({"province": "11"}, {c}),
        "regency": ({"province": "64", "regency": "64.71"}, {b}),
        "institution subtree": ({"institution": world.province.pk}, {a, b}),
        "institution": ({"institution": world.ministry.pk}, {c}),
        "status": ({"status": "routed"}, {a, b, c}),
        "status none": ({"status": "finished"}, set()),
        "search title": ({"q": "puskesmas"}, {b}),
        "search body": ({"q": "seragam"}, {a, b, c}),
    }
    for name, (params, expected) in cases.items():
        rows = _rows(html(client.get("/laporan/", params)))
        assert rows == {r.tracking_number for r in expected}, name


def test_invalid_filter_values_are_ignored_not_an_error(world: World) -> None:
    report = _public(world)
    for params in (
        {"type": "gosip"},
        {"category": "abc"},
        {"province": "99"},
        {"institution": "999999"},
        {"status": "archived"},  # not a public status: no way to list archived reports
    ):
        response = Client().get("/laporan/", params)
        assert response.status_code == 200, params
        assert report.tracking_number in _rows(html(response)), params


def test_pagination_20_per_page_and_bad_page_numbers(world: World) -> None:
    reports = [_public(world, title=f"Laporan nomor {n:02d}") for n in range(23)]
    client = Client()
    first = _rows(html(client.get("/laporan/")))
    second = _rows(html(client.get("/laporan/", {"page": 2})))
    assert len(first) == 20 and len(second) == 3
    assert first | second == {r.tracking_number for r in reports}
    assert "Halaman 1 dari 2" in html(client.get("/laporan/"))
    # Past the end: the last page; garbage: the first; never a 500.
    assert _rows(html(client.get("/laporan/", {"page": 99}))) == second
    assert _rows(html(client.get("/laporan/", {"page": "x"}))) == first
    assert _rows(html(client.get("/laporan/", {"page": "-1"}))) == second
    # The next-page link keeps the filters.
    page = html(client.get("/laporan/", {"q": "laporan"}))
    assert 'href="?q=laporan&amp;page=2"' in page


def test_the_detail_shows_the_public_timeline_and_only_the_institutions_files(
    world: World,
) -> None:
    report, reporter = submit(world, title="Jalan berlubang")
    services.add_information(
        actor=reporter,
        report=report,
        message="Foto lubangnya.",
        uploads=[("lubang.jpg", jpeg_bytes())],
    )
    world.route(report)
    services.post_follow_up(
        actor=world.city_admin,
        report=report,
        message="Tim sudah ke lokasi.",
        uploads=[("survei.jpg", jpeg_bytes("green"))],
    )
    services.post_follow_up(
        actor=world.city_admin,
        report=report,
        message="Catatan internal anggaran.",
        is_public=False,
        uploads=[("anggaran.jpg", jpeg_bytes("blue"))],
    )
    page = html(Client().get(f"/laporan/{report.tracking_number}/"))
    assert "Jalan berlubang" in page and "Tim sudah ke lokasi." in page
    assert "survei.jpg" in page
    assert "lubang.jpg" not in page  # the reporter's photo can identify them
    assert "Catatan internal" not in page and "anggaran.jpg" not in page
    assert "Foto lubangnya." in page  # the reporter's public message is part of the record


def test_the_404_page_is_the_sites(world: World) -> None:
    response = Client().get("/laporan/26-0000-0000/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in html(response) and "<nav" in html(response)


def test_the_home_page(world: World) -> None:
    page = html(Client().get("/"))
    for text in ("Cara melapor", "Pengaduan", "Aspirasi", "Permintaan informasi"):
        assert text in page
    assert 'action="/laporan/"' in page and 'name="q"' in page
    assert page.count("<li><strong>") >= 3
