"""The verify-and-route screen and its institution search."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lapor.institutions.models import Institution
from lapor.reports import services
from lapor.reports.models import State
from tests.factories import World, fresh, make_institution
from tests.workbench.conftest import NOT_STAFF, PERSONAS, at_city, client_for, routed

SEARCH = reverse("workbench:institution_search")
OPTION = re.compile(r'<option value="(\d+)"[^>]*>([^<]+)</option>')


def _route_url(tracking: str) -> str:
    return reverse("workbench:route", args=[tracking])


def _options(html: str, select_id: str = "id_route-institution") -> dict[int, str]:
    select = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None
    return {int(pk): label for pk, label in OPTION.findall(select.group(1))}


@pytest.mark.parametrize("persona", PERSONAS)
def test_route_screen_opens_for_the_admins_who_may_verify(world: World, persona: str) -> None:
    report = at_city(world)
    response = client_for(getattr(world, persona)).get(_route_url(report.tracking_number))
    expected = {
        "national_admin": 200,
        "province_admin": 200,
        "city_admin": 200,
        "auditor": 403,
        "leader": 403,
    }.get(persona, 403 if persona in NOT_STAFF else 404)
    assert response.status_code == expected


def test_route_screen_of_a_routed_report_is_a_conflict(world: World) -> None:
    report = routed(world, at_city(world))
    response = client_for(world.city_admin).get(_route_url(report.tracking_number))
    assert response.status_code == 409
    assert "tidak sedang menunggu verifikasi" in response.content.decode()


def test_route_screen_has_everything_for_the_decision(world: World) -> None:
    report = at_city(world)
    html = client_for(world.city_admin).get(_route_url(report.tracking_number)).content.decode()
    for text in (
        report.body,
        "5 hari kerja",
        "14 hari kerja",
        "60 hari kerja",
        "Tunda: minta klarifikasi pelapor",
        "Arsipkan",
        "Duplikat dari laporan nomor",
        world.category.name,
    ):
        assert text in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'hx-get="/ruang-kerja/instansi/cari/"' in html


def test_the_plain_select_lists_only_where_the_admin_may_route(world: World) -> None:
    report = at_city(world)
    html = client_for(world.city_admin).get(_route_url(report.tracking_number)).content.decode()
    options = _options(html)
    assert set(options) == {world.city.pk, world.department.pk, world.unit.pk}
    assert options[world.department.pk] == (
        "Pemerintah Provinsi Kalimantan Timur › Pemerintah Kota Samarinda › "
        "Dinas Pendidikan Kota Samarinda"
    )
    national = client_for(world.national_admin).get(_route_url(report.tracking_number))
    every = set(Institution.objects.active().exclude(kind="national").values_list("pk", flat=True))
    assert set(_options(national.content.decode())) == every


def test_the_suggested_institution_is_preselected(world: World) -> None:
    report = at_city(world)
    html = client_for(world.city_admin).get(_route_url(report.tracking_number)).content.decode()
    assert f'<option value="{world.city.pk}" selected>' in html


def test_without_javascript_the_search_filters_the_select(world: World) -> None:
    report = at_city(world)
    client = client_for(world.province_admin)
    html = client.get(_route_url(report.tracking_number), {"q": "pendidikan"}).content.decode()
    assert set(_options(html)) == {world.department.pk}


def test_htmx_search_returns_matching_options_within_scope(world: World) -> None:
    client = client_for(world.city_admin)
    response = client.get(SEARCH, {"q": "dinas"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    options = dict(OPTION.findall(response.content.decode()))
    # Dinas Kesehatan Balikpapan lies outside the city admin's subtree.
    assert set(options) == {str(world.department.pk)}
    assert "selected" in response.content.decode()  # a single match is picked
    national = client_for(world.national_admin).get(SEARCH, {"q": "dinas"})
    assert set(dict(OPTION.findall(national.content.decode()))) == {
        str(world.department.pk),
        str(world.other_department.pk),
    }
    none = client_for(world.officer).get(SEARCH, {"q": "dinas"})
    assert OPTION.findall(none.content.decode()) == []


def test_htmx_search_is_limited_and_says_so(world: World) -> None:
    for index in range(55):
        make_institution(f"Puskesmas Samarinda {index:02d}", "unit", world.city, "64.72")
    html = client_for(world.city_admin).get(SEARCH, {"q": "puskesmas"}).content.decode()
    assert len(OPTION.findall(html)) == 50
    assert "persempit pencarian" in html


def test_route_to_the_department_with_class_14(world: World) -> None:
    report = at_city(world)
    data = {
        "route-report_type": "pengaduan",
        "route-resolution_class": "standard",
        "route-category": world.category.pk,
        "route-institution": world.department.pk,
        "route-note": "Sudah diverifikasi.",
    }
    response = client_for(world.city_admin).post(_route_url(report.tracking_number), data)
    assert response.status_code == 302
    done = fresh(report)
    assert done.state == State.ROUTED
    assert done.queue_institution == world.department
    assert done.responsible_institution == world.city
    assert done.resolution_class == "standard" and done.category == world.category


def test_the_national_decision_belongs_to_the_national_admin(world: World) -> None:
    report = routed(world, at_city(world))
    services.decline_report(actor=world.city_admin, report=report, reason="Bukan kami.")
    world.route(report, world.other_city)
    services.decline_report(actor=world.other_admin, report=report, reason="Bukan kami juga.")
    assert fresh(report).needs_national_decision
    html = client_for(world.national_admin).get(reverse("workbench:inbox")).content.decode()
    assert report.tracking_number in html and "Perlu keputusan nasional" in html
    # Back in the national queue: outside every institution's scope.
    assert (
        client_for(world.province_admin).get(_route_url(report.tracking_number)).status_code == 404
    )
    assert (
        client_for(world.national_admin).get(_route_url(report.tracking_number)).status_code == 200
    )
