"""Who sees which dashboard: each role its own subtree; read-only roles write nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lapor.accounts.models import Role
from tests.dashboards.builders import march, refresh, story
from tests.factories import make_staff


@pytest.fixture
def data(world):
    story(world, submitted=march(3), routed=march(3, 10), responded=march(4))
    story(world, to=world.other_city, submitted=march(3), routed=march(3, 10))
    refresh()
    world.province_leader = make_staff(Role.LEADERSHIP, world.province)
    return world


def get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


def inst(world, name):
    return reverse("dashboards:institution", args=[getattr(world, name).pk])


NATIONAL_OK = ("national_admin", "auditor")
OTHERS = ("province_admin", "city_admin", "officer", "unit_officer", "leader", "other_admin")


@pytest.mark.parametrize("who", NATIONAL_OK + OTHERS)
def test_national_dashboard_only_for_national_roles(data, client, who):
    status = get(client, getattr(data, who), reverse("dashboards:national")).status_code
    assert status == (200 if who in NATIONAL_OK else 404)


@pytest.mark.parametrize(
    ("who", "institution", "status"),
    [
        ("national_admin", "city", 200),
        ("auditor", "other_city", 200),
        ("province_admin", "city", 200),
        ("province_admin", "other_city", 200),
        ("city_admin", "city", 200),
        ("city_admin", "unit", 200),
        ("city_admin", "other_city", 404),
        ("city_admin", "province", 404),
        ("leader", "city", 200),
        ("leader", "department", 200),
        ("leader", "other_city", 404),
        ("officer", "department", 200),
        ("officer", "unit", 200),
        ("officer", "city", 404),
        ("unit_officer", "department", 404),
        ("other_admin", "city", 404),
        ("ministry_admin", "city", 404),
        ("province_leader", "other_department", 200),
    ],
)
def test_institution_dashboard_scope(data, client, who, institution, status):
    assert get(client, getattr(data, who), inst(data, institution)).status_code == status


def test_unknown_institution_is_404(data, client):
    url = reverse("dashboards:institution", args=[999999])
    assert get(client, data.national_admin, url).status_code == 404


def test_citizen_is_refused_and_anonymous_sent_to_login(data, client):
    assert get(client, data.reporter, inst(data, "city")).status_code == 403
    client.logout()
    response = client.get(inst(data, "city"))
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_province_leadership_sees_every_city_side_by_side(data, client):
    response = get(
        client, data.province_leader, reverse("dashboards:province", args=[data.province.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pemerintah Kota Samarinda" in html and "Pemerintah Kota Balikpapan" in html
    city_leader = get(client, data.leader, reverse("dashboards:province", args=[data.province.pk]))
    assert city_leader.status_code == 404
    not_a_province = reverse("dashboards:province", args=[data.city.pk])
    assert get(client, data.national_admin, not_a_province).status_code == 404


@pytest.mark.parametrize(
    ("who", "target"),
    [
        ("national_admin", reverse("dashboards:national")),
        ("city_admin", "institution"),
        ("leader", "institution"),
        ("province_leader", "province"),
    ],
)
def test_home_sends_each_role_to_its_dashboard(data, client, who, target):
    response = get(client, getattr(data, who), reverse("dashboards:home"))
    if target in ("institution", "province"):
        pk = data.province.pk if target == "province" else data.city.pk
        target = reverse(f"dashboards:{target}", args=[pk])
    assert response.status_code == 302 and response["Location"] == target


def test_lists_follow_the_same_scope(data, client):
    base = reverse("dashboards:reports") + "?periode=2025&indikator=received"
    assert get(client, data.city_admin, f"{base}&instansi={data.city.pk}").status_code == 200
    assert get(client, data.city_admin, f"{base}&instansi={data.other_city.pk}").status_code == 404
    assert get(client, data.city_admin, base).status_code == 404
    assert get(client, data.auditor, base).status_code == 200


@pytest.mark.parametrize("who", ["leader", "auditor", "officer"])
def test_read_only_roles_cannot_write_action_plans(data, client, who):
    # The officer's own department: a unit officer reads it but plans are the admin's.
    place = data.department if who == "officer" else data.city
    url = reverse("dashboards:plan_new", args=[place.pk])
    response = get(client, getattr(data, who), url)
    assert response.status_code == 403
    assert client.post(url, {"title": "x", "period_start": "2025-01-01",
                             "period_end": "2025-12-31"}).status_code == 403  # fmt: skip


def test_institution_admin_writes_its_action_plan(data, client):
    url = reverse("dashboards:plan_new", args=[data.city.pk])
    assert get(client, data.city_admin, url).status_code == 200
    other = reverse("dashboards:plan_new", args=[data.other_city.pk])
    assert client.get(other).status_code == 404
