"""Who sees what: every viewer x privacy flags x report state, through lapor.reports.privacy.

The expectations are written out per viewer below (what their membership covers), not
derived from the code under test. The reports are built once for the module and rolled back.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from lapor.lib import clock
from lapor.lib.redaction import ANONYMOUS_LABEL
from lapor.reports import services
from lapor.reports.models import Report, State
from lapor.reports.privacy import (
    events_visible_to,
    is_staff_viewer,
    public_reports,
    public_text,
    reporter_label,
    visible_to,
)
from tests.factories import World, build_world, fresh, submit
from tests.reports.lifecycle import DEPARTMENT, T0, drive, rolled_back

FULL_NAME = "Siti Rahmawati"
MASKED_NAME = "Siti R."

FLAGS = {
    "plain": {"is_anonymous": False, "is_confidential": False},
    "anonim": {"is_anonymous": True, "is_confidential": False},
    "rahasia": {"is_anonymous": False, "is_confidential": True},
    "anonim+rahasia": {"is_anonymous": True, "is_confidential": True},
}
# Where the report stands: waiting at the city's desk, routed to the city, forwarded to the
# city's education department, or archived by the city.
STAGES = ("awaiting_verification", "routed", "forwarded", "archived")
VERIFIED = {"routed", "forwarded"}

# What each viewer's membership covers among those reports: all of them (the whole tree, or
# the province or city they all sit in), only the ones forwarded to the department, or none.
ALL, DEPARTMENT_ONLY, NONE = "all", "department", "none"


@dataclass(frozen=True)
class Viewer:
    name: str
    who: str | None  # a World attribute; None for the public
    covers: str = NONE
    is_reporter: bool = False

    def sees_as_staff(self, stage: str) -> bool:
        return self.covers == ALL or (self.covers == DEPARTMENT_ONLY and stage == "forwarded")


VIEWERS = (
    Viewer("public", None),
    Viewer("anonymous_user", "anonymous_user"),
    Viewer("reporter", "reporter", is_reporter=True),
    Viewer("other_citizen", "citizen"),
    Viewer("national_admin", "national_admin", ALL),
    Viewer("auditor", "auditor", ALL),
    Viewer("province_admin", "province_admin", ALL),
    Viewer("city_admin", "city_admin", ALL),
    Viewer("city_leadership", "leader", ALL),
    Viewer("department_officer", "officer", DEPARTMENT_ONLY),
    Viewer("unit_officer", "unit_officer"),  # the unit lies below where these reports sit
    Viewer("other_city_admin", "other_admin"),
    Viewer("other_city_officer", "other_officer"),
    Viewer("ministry_admin", "ministry_admin"),
)


@dataclass
class Scene:
    world: World
    reports: dict[tuple[str, str], Report]
    timeline: Report  # a finished report with non-public events

    def user(self, viewer: Viewer) -> Any:
        if viewer.who is None:
            return None
        if viewer.who == "anonymous_user":
            return AnonymousUser()
        return getattr(self.world, viewer.who)


def _build(world: World, stage: str, flags: dict[str, bool]) -> Report:
    with clock.at(T0):
        report, _ = submit(world, suggested_institution_id=world.city.pk, **flags)
        if stage == "archived":
            services.archive_report(actor=world.city_admin, report=report, reason_code="spam")
        elif stage in VERIFIED:
            world.route(report, world.city)
            if stage == "forwarded":
                services.forward_report(
                    actor=world.city_admin, report=report, institution=world.department
                )
    return fresh(report)


def _timeline(world: World) -> Report:
    report, reporter = drive(world, State.IN_PROGRESS, placement=DEPARTMENT)
    with clock.at(T0):
        services.post_follow_up(
            actor=world.officer, report=report, message="Catatan internal.", is_public=False
        )
        services.post_answer(actor=world.officer, report=report, message="Selesai ditangani.")
        services.confirm_report(actor=reporter, report=report)
        services.rate_report(actor=reporter, report=report, rating=5)
    return report


@pytest.fixture(scope="module")
def scene(django_db_setup: None, django_db_blocker: Any) -> Iterator[Scene]:
    with django_db_blocker.unblock(), rolled_back():
        world = build_world()
        world.reporter.full_name = FULL_NAME
        world.reporter.save()
        reports = {
            (stage, flag): _build(world, stage, flags)
            for stage in STAGES
            for flag, flags in FLAGS.items()
        }
        yield Scene(world, reports, _timeline(world))


@pytest.fixture
def db(scene: Scene, django_db_blocker: Any) -> Iterator[None]:
    """This module's `db`: a savepoint over the module's rows (see test_transition_matrix)."""
    with django_db_blocker.unblock(), rolled_back():
        yield


def by_viewer(viewer: Viewer) -> str:
    return viewer.name


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("flag", FLAGS)
@pytest.mark.parametrize("viewer", VIEWERS, ids=by_viewer)
def test_visible_to(scene: Scene, db: None, viewer: Viewer, flag: str, stage: str) -> None:
    report = scene.reports[(stage, flag)]
    public = stage in VERIFIED and not FLAGS[flag]["is_confidential"]
    expected = public or viewer.is_reporter or viewer.sees_as_staff(stage)
    user = scene.user(viewer)
    assert visible_to(user).filter(pk=report.pk).exists() is expected
    assert Report.objects.visible_to(user).filter(pk=report.pk).exists() is expected
    # Narrowing an existing queryset gives the same answer.
    narrowed = visible_to(user, Report.objects.filter(pk=report.pk))
    assert list(narrowed.values_list("pk", flat=True)) == ([report.pk] if expected else [])
    assert public_reports().filter(pk=report.pk).exists() is public
    assert is_staff_viewer(user, report) is viewer.sees_as_staff(stage)


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("flag", FLAGS)
@pytest.mark.parametrize("viewer", VIEWERS, ids=by_viewer)
def test_reporter_label(scene: Scene, db: None, viewer: Viewer, flag: str, stage: str) -> None:
    report = scene.reports[(stage, flag)]
    label = reporter_label(report, scene.user(viewer))
    if FLAGS[flag]["is_anonymous"]:
        # Nobody, the reporter and the national admin included, reads an anonymous
        # reporter's name here: the identity is shown only through a logged reveal.
        assert label == ANONYMOUS_LABEL
    elif viewer.is_reporter or viewer.sees_as_staff(stage):
        assert label == FULL_NAME
    else:
        assert label == MASKED_NAME


def test_a_guest_reporters_contact_name_is_masked_for_the_public(scene: Scene, db: None) -> None:
    w = scene.world
    with clock.at(T0):
        report, _ = submit(w, by="guest", contact_name="Budi Santoso")
        w.route(report, w.city)
    report = fresh(report)
    assert reporter_label(report, None) == "Budi S."
    assert reporter_label(report, w.other_admin) == "Budi S."
    assert reporter_label(report, w.city_admin) == "Budi Santoso"


PUBLIC_EVENTS = ["submit", "route", "follow_up", "answer", "confirm"]
ALL_EVENTS = ["submit", "route", "forward", "follow_up", "follow_up", "answer", "confirm", "rate"]


@pytest.mark.parametrize("viewer", VIEWERS, ids=by_viewer)
def test_events_visible_to(scene: Scene, db: None, viewer: Viewer) -> None:
    # The timeline's report was forwarded to the department, so the department officer is
    # staff for it too.
    actions = [
        e.action for e in events_visible_to(scene.timeline, scene.user(viewer)).order_by("sequence")
    ]
    if viewer.covers in (ALL, DEPARTMENT_ONLY):
        assert actions == ALL_EVENTS
    else:
        # The forward, the internal note and the rating are not for the reporter or the public.
        assert actions == PUBLIC_EVENTS


def test_public_text_removes_nik_phone_and_email() -> None:
    text = (
        "Saya Budi, NIK 6472011234560001, HP 0812-3456-7890 atau +62 811 5555 4444, "
        "surel budi.santoso@contoh.co.id. Dipungut Rp 500.000 pada 06-07-2026."
    )
    cleaned = public_text(text)
    for secret in (
        "6472011234560001",
        "0812-3456-7890",
        "811 5555 4444",
        "budi.santoso@contoh.co.id",
        "@",
    ):
        assert secret not in cleaned
    assert "Rp 500.000" in cleaned
    assert "06-07-2026" in cleaned
    assert cleaned.startswith("Saya Budi, NIK ")
    assert public_text(cleaned) == cleaned
    assert public_text("") == ""


# --- who acted on an event ----------------------------------------------------------------


@pytest.mark.django_db
def test_event_actor_label_never_names_an_anonymous_reporter() -> None:
    from lapor.reports import services
    from lapor.reports.privacy import event_actor_label
    from tests.factories import build_world, submit

    world = build_world()
    report, reporter = submit(world, is_anonymous=True)
    world.route(report, world.city)
    services.add_information(actor=reporter, report=report, message="Tambahan bukti kuitansi.")
    events = list(report.events.select_related("actor", "report"))
    for viewer in (None, world.city_admin, world.national_admin, world.auditor, world.citizen):
        labels = [event_actor_label(e, viewer) for e in events]
        assert world.reporter.display_name() not in " ".join(labels)
        assert labels[0] == labels[-1] == "Pelapor anonim"
    # Staff in scope see who acted for the institution; the public sees the role only.
    assert world.national_admin.display_name() in event_actor_label(events[1], world.city_admin)
    assert event_actor_label(events[1], None) == "Admin nasional"


@pytest.mark.django_db
def test_staff_read_an_anonymous_reports_text_redacted_and_a_named_ones_as_written() -> None:
    from lapor.reports.privacy import text_for_staff
    from tests.factories import build_world, submit

    world = build_world()
    body = "Hubungi saya di 081234567890 atau budi@contoh.id, NIK 6472011234560001."
    anonymous, _ = submit(world, is_anonymous=True, body=body)
    named, _ = submit(world, body=body)
    redacted = text_for_staff(anonymous, anonymous.body)
    assert "081234567890" not in redacted and "budi@contoh.id" not in redacted
    assert "6472011234560001" not in redacted
    assert text_for_staff(named, named.body) == body


def test_an_anonymous_reporters_contact_is_withheld_unless_revealed(world: World) -> None:
    from lapor.reports.privacy import reporter_contact_hidden

    named, _ = submit(world)
    anonymous, _ = submit(world, is_anonymous=True)
    assert not reporter_contact_hidden(named)
    assert reporter_contact_hidden(anonymous)
    assert not reporter_contact_hidden(anonymous, revealed=True)
