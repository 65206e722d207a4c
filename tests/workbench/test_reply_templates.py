"""Reply templates: managed in the Django admin, offered to officers of the institution and
of the institutions above it, inserted into the message box and edited before sending."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse

from lapor.workbench.models import ReplyTemplate
from tests.factories import World, make_user
from tests.workbench.conftest import at_city, client_for, routed


def _templates(world: World) -> dict[str, ReplyTemplate]:
    def make(name: str, institution, kind: str, active: bool = True) -> ReplyTemplate:  # type: ignore[no-untyped-def]
        return ReplyTemplate.objects.create(
            institution=institution,
            kind=kind,
            title=f"Templat {name}",
            body=f"Isi templat {name}.",
            is_active=active,
        )

    return {
        "national": make("nasional", world.national, "greeting"),
        "province": make("provinsi", world.province, "closing"),
        "city": make("kota", world.city, "answer"),
        "department": make("dinas", world.department, "answer"),
        "unit": make("sekolah", world.unit, "answer"),
        "other": make("balikpapan", world.other_city, "greeting"),
        "inactive": make("lama", world.city, "answer", active=False),
    }


def test_officer_gets_the_templates_of_their_institution_and_above(world: World) -> None:
    templates = _templates(world)
    report = routed(world, at_city(world), to=world.department)
    html = (
        client_for(world.officer)
        .get(reverse("workbench:report", args=[report.tracking_number]))
        .content.decode()
    )
    for name in ("national", "province", "city", "department"):
        assert templates[name].body in html, name
    for name in ("unit", "other", "inactive"):
        assert templates[name].title not in html, name


def test_each_message_box_gets_its_own_insert_buttons(world: World) -> None:
    template = _templates(world)["department"]
    report = routed(world, at_city(world), to=world.department)
    html = (
        client_for(world.officer)
        .get(reverse("workbench:report", args=[report.tracking_number]))
        .content.decode()
    )
    for box in ("id_follow_up-message", "id_answer-message"):
        source = f"tpl-{box}-{template.pk}"
        assert f'id="{source}"' in html  # copyable without JavaScript
        assert f'data-insert-template="{source}" data-target="{box}"' in html
    assert "workbench/workbench.js" in html


def test_no_templates_where_nothing_can_be_written(world: World) -> None:
    template = _templates(world)["city"]
    report = routed(world, at_city(world))
    html = (
        client_for(world.leader)
        .get(reverse("workbench:report", args=[report.tracking_number]))
        .content.decode()
    )
    assert template.title not in html


def test_templates_are_managed_in_the_admin(world: World) -> None:
    assert ReplyTemplate in admin.site._registry
    root = make_user("superadmin", is_staff=True, is_superuser=True)
    client = client_for(root)
    add = reverse("admin:workbench_replytemplate_add")
    assert client.get(add).status_code == 200
    response = client.post(
        add,
        {
            "institution": world.city.pk,
            "kind": "closing",
            "title": "Penutup standar",
            "body": "Terima kasih atas laporan Anda.",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    created = ReplyTemplate.objects.get(title="Penutup standar")
    assert created.institution == world.city
    listing = client.get(reverse("admin:workbench_replytemplate_changelist"), {"q": "Penutup"})
    assert "Penutup standar" in listing.content.decode()
