"""Automated WCAG 2.1 AA checks with axe-core on the main pages, in a real browser.

axe-core is vendored for the tests only (tests/browser/vendor/axe-core, MPL-2.0) and injected
into each page after it has loaded; nothing is fetched from outside. Closed <details> (the
action forms, the filters) are opened first so their contents are checked too. A page passes
only with no violation of the wcag2a, wcag2aa, wcag21a and wcag21aa rules; the assertion message
lists each violation with its impact, help text and the offending elements' HTML.

axe cannot judge everything (meaningful text, keyboard order, focus visibility on every
element); test_portal_flows and test_workbench_flows cover keyboard use separately.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from lapor.lib import clock
from lapor.reports import services
from lapor.reports.actors import GuestActor
from lapor.reports.models import Report, ReportType, ResolutionClass
from tests.browser.conftest import login
from tests.factories import PASSWORD, World, build_world, submit

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 360, "height": 780}
DESK = {"width": 1280, "height": 900}
LOCALES = {"id": "id-ID", "en": "en-US"}

RUN_AXE = """async (tags) => {
  document.querySelectorAll("details").forEach((d) => { d.open = true; });
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({
      target: n.target.join(" "),
      html: n.html,
      summary: n.failureSummary,
    })),
  }));
}"""


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core's WCAG 2.1 A/AA rules on the page as it is now."""
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE, WCAG_21_AA)  # type: ignore[no-any-return]


def describe(violations: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} [{violation['impact']}]: {violation['help']}"
            f" ({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}: {node['html']}")
            for detail in (node["summary"] or "").splitlines():
                lines.append(f"        {detail.strip()}")
    return "\n".join(lines)


def check_pages(page: Any, pages: list[tuple[str, str]], lang: str) -> None:
    """Visit each (name, path) and assert that axe finds nothing, listing every page's
    violations in one message."""
    found: dict[str, list[dict[str, Any]]] = {}
    for name, path in pages:
        response = page.goto(path)
        assert response is not None and response.status == 200, (name, path)
        assert page.locator("html").get_attribute("lang") == lang, (name, path)
        if violations := axe_violations(page):
            found[f"{name} ({path})"] = violations
    assert not found, "axe-core found WCAG 2.1 AA violations:\n" + "\n".join(
        f"{name}:\n{describe(violations)}" for name, violations in found.items()
    )


def _guest_report(world: World, title: str, days_ago: int = 0) -> tuple[Report, str]:
    """A guest's report routed to the department `days_ago` (40 days: past its deadline)."""
    with clock.at(timezone.now() - timedelta(days=days_ago)):
        report, guest = submit(
            world,
            by="guest",
            suggested_institution_id=world.city.pk,
            category_id=world.category.pk,
            title=title,
            body="Wali murid diminta membayar Rp 500.000. Hubungi 0812-3456-7890 bila perlu.",
        )
        services.route_report(
            actor=world.city_admin,
            report=report,
            institution=world.department,
            report_type=ReportType.COMPLAINT,
            resolution_class=ResolutionClass.STANDARD,
        )
    assert isinstance(guest, GuestActor)
    return report, guest.secret


def _answered_guest_report(world: World) -> tuple[Report, str]:
    report, secret = _guest_report(world, "Pungutan uang seragam di SD Negeri 001")
    services.post_follow_up(
        actor=world.officer, report=report.pk, message="Kami sedang memeriksa sekolah tersebut."
    )
    services.post_answer(
        actor=world.officer,
        report=report.pk,
        message="Pungutan telah dihentikan dan uang dikembalikan kepada wali murid.",
    )
    return report, secret


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_portal_pages_on_a_phone_pass_axe(new_page: Any, lang: str) -> None:
    world = build_world()
    report, secret = _answered_guest_report(world)
    late, late_secret = _guest_report(world, "Jalan rusak di Sempaja", days_ago=40)
    page = new_page(locale=LOCALES[lang], **PHONE)
    tracking = report.tracking_number
    check_pages(
        page,
        [
            ("home", "/"),
            ("submit form", "/lapor/"),
            ("track form", "/lacak/"),
            ("public list", "/laporan/"),
            ("public detail", f"/laporan/{tracking}/"),
            # The reporter's own pages with their actions opened: an answered report (dispute,
            # confirm) and one past its deadline (red stage box, add information, Ombudsman).
            ("private page (answered)", f"/lacak/{tracking}/?kunci={secret}"),
            (
                "private page (overdue)",
                f"/lacak/{late.tracking_number}/?kunci={late_secret}",
            ),
            ("login", "/akun/masuk/"),
            ("register", "/akun/daftar/"),
        ],
        lang,
    )
    # The overdue report's stage box was indeed the red one (the checked colours).
    page.goto(f"/lacak/{late.tracking_number}/")
    assert page.locator(".stage.deadline-red").is_visible()


def test_the_forms_with_server_side_errors_pass_axe(page: Any) -> None:
    """Error messages must be labelled and readable too: submit the forms empty, with the
    browser's own checks switched off so the server answers."""
    build_world()
    found: dict[str, list[dict[str, Any]]] = {}
    for name, path, button in (
        ("submit form", "/lapor/", "Kirim laporan"),
        ("track form", "/lacak/", "Buka laporan"),
        ("register", "/akun/daftar/", "Daftar"),
    ):
        page.goto(path)
        page.evaluate("() => document.querySelectorAll('form').forEach(f => f.noValidate = true)")
        page.locator("main").get_by_role("button", name=button).first.click()
        page.wait_for_load_state()
        assert page.locator("#form-errors").is_visible(), name
        assert page.locator("main .errorlist").count(), name
        if violations := axe_violations(page):
            found[name] = violations
    assert not found, "axe-core found WCAG 2.1 AA violations:\n" + "\n".join(
        f"{name}:\n{describe(violations)}" for name, violations in found.items()
    )


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_workbench_pages_pass_axe(new_page: Any, lang: str) -> None:
    world = build_world()
    waiting, _ = submit(
        world, suggested_institution_id=world.city.pk, title="Lampu jalan mati di Sungai Kunjang"
    )
    waiting_number = waiting.tracking_number
    routed, secret = _answered_guest_report(world)
    # Rows of every deadline colour in the inbox: past due (red) and at 80 % (yellow).
    _guest_report(world, "Jalan rusak di Sempaja", days_ago=40)
    _guest_report(world, "Antrean panjang di puskesmas", days_ago=18)
    # The guest disputes the answer: the report is back in handling, with the move forms.
    services.reopen_report(
        actor=GuestActor(secret), report=routed.pk, message="Uang belum dikembalikan."
    )
    for staff in (world.city_admin, world.officer):  # logging in applies their language
        staff.language = lang
        staff.save(update_fields=["language"])
    admin = new_page(locale=LOCALES[lang], **DESK)
    login(admin, world.city_admin.username, PASSWORD)
    admin.goto("/ruang-kerja/")
    colours = {c for c in ("green", "yellow", "red") if admin.locator(f"tr.deadline-{c}").count()}
    assert colours == {"green", "yellow", "red"}, colours
    check_pages(
        admin,
        [
            ("inbox", "/ruang-kerja/"),
            ("report page (awaiting verification)", f"/ruang-kerja/laporan/{waiting_number}/"),
            ("route screen", f"/ruang-kerja/laporan/{waiting_number}/disposisi/"),
            ("intake form", "/ruang-kerja/pengaduan-luring/"),
        ],
        lang,
    )
    # The officer's view of a report in handling: the move forms (follow-up, answer...).
    officer = new_page(locale=LOCALES[lang], **DESK)
    login(officer, world.officer.username, PASSWORD)
    check_pages(
        officer,
        [
            ("officer inbox", "/ruang-kerja/"),
            ("report page (in handling)", f"/ruang-kerja/laporan/{routed.tracking_number}/"),
        ],
        lang,
    )


def test_the_check_catches_a_real_violation(page: Any) -> None:
    """The harness itself: a grey-on-white paragraph and an unlabelled field must be caught
    (so an empty result means axe ran and found nothing, not that it did not run)."""
    page.goto("/")
    page.evaluate(
        """() => document.querySelector("main").insertAdjacentHTML("beforeend",
        '<p style="color: #bbb">Abu-abu muda</p><input type="text" name="canary">')"""
    )
    found = {violation["id"] for violation in axe_violations(page)}
    assert {"color-contrast", "label"} <= found, found
