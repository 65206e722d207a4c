"""The stories: after submission, which moves a report goes through and when.

Each function continues a submitted report up to the state its plan aims for. Handling starts at
`plan.anchor` (the first routing), which the planner placed far enough in the past for the
story's deadlines to have passed, or not, as the scenario intends.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from lapor.institutions.models import Institution
from lapor.reports.demo.catalog import PROVINCE_CODE
from lapor.reports.demo.planning import Plan
from lapor.reports.demo.story import Story

Scenario = Callable[[Story, Plan], None]


# --- building blocks ----------------------------------------------------------------------


def _route_and_settle(s: Story, p: Plan) -> None:
    """Verify and route at the anchor, then forward down to the handling unit."""
    assert p.anchor is not None
    if s.rng.random() < 0.1:
        s.add_information(s.timeline.between(s.last or p.submitted_at, p.anchor))
    target = s.directory.target_for(s.topic, s.spot.area.code)
    top = s.directory.top_level_of(target)
    first = top if target.pk != top.pk and s.rng.random() < 0.4 else target
    s.route(p.anchor, first)
    _settle(s, first, target)


def _settle(s: Story, first: Institution, target: Institution) -> None:
    assert s.last is not None
    if first.pk != target.pk:
        s.forward(s.timeline.office_after(s.last, 0, 1), target)
    units = s.directory.units_below(target)
    if units and s.rng.random() < 0.5:
        # The unit the text names (a puskesmas, a land office of the city), else any.
        text = f"{s.r.title} {s.r.body} {s.spot.area.city}"
        named = [u for u in units if u.name in text or u.name.endswith(s.spot.area.city)]
        s.forward(s.timeline.office_after(s.last, 0, 1), s.rng.choice(named or units))


def _bounce_then_route(s: Story, p: Plan) -> None:
    """A hasty first routing to the wrong institution, "not our authority", then the right one."""
    assert p.anchor is not None
    s.route(p.anchor, _wrong_target(s), by=s.directory.national_admin)
    s.decline(s.timeline.office_after(s.last or p.anchor, 1, 3), s.topic.decline_reason)
    target = s.directory.target_for(s.topic, s.spot.area.code)
    assert s.last is not None
    s.route(s.timeline.office_after(s.last, 0, 2), target, note="Dialihkan ke instansi berwenang.")
    _settle(s, target, target)


def _wrong_target(s: Story) -> Institution:
    wrong = s.topic.wrong
    if wrong == "city":
        return s.directory.government_of(s.spot.area.code)
    return s.directory.institutions[wrong]


def _follow_ups(s: Story, count: int, until: datetime | None = None) -> None:
    """`count` follow-ups, each a few working days apart, all before `until` (if given)."""
    for _ in range(count):
        assert s.last is not None
        moment = s.timeline.office_after(s.last, 1, 4)
        if until is not None and (moment is None or moment >= until):
            moment = s.timeline.office_between(s.last, until)
        if moment is None:
            return
        s.follow_up(moment)


def _answer_within(s: Story, days: int) -> None:
    """Follow up, then post the final answer about `days` working days from now on."""
    assert s.last is not None
    answer_at = s.timeline.office_after(s.last, days, days + 1)
    if answer_at is not None:
        _follow_ups(s, s.rng.randint(0, 2), until=answer_at)
    if answer_at is None or answer_at <= s.last:
        answer_at = s.timeline.office_after(s.last, 0, 1)
    s.answer(answer_at)


def _close(s: Story) -> None:
    """The reporter confirms within the window, or stays silent and the system closes it."""
    assert s.last is not None
    if s.rng.random() < 0.55:
        s.confirm(s.timeline.citizen_after(s.last, 3, 120))
        return
    due = s.r.reporter_window_due_at
    assert due is not None
    s.close_after_window(s.timeline.citizen_after(max(due, s.last), 0.2, 10))
    if s.rng.random() < 0.25:
        s.rate(s.timeline.citizen_after(s.last, 2, 200))


# --- awaiting verification and on hold ----------------------------------------------------


def fresh(s: Story, p: Plan) -> None:
    if s.rng.random() < 0.2:
        s.add_information(s.timeline.citizen_after(p.submitted_at, 1, 24))


def late_verification(s: Story, p: Plan) -> None:
    """Nobody looked at it: the verification deadline has passed."""


def clarified(s: Story, p: Plan) -> None:
    s.hold(s.timeline.office_after(p.submitted_at, 0, 1))
    assert s.last is not None
    s.clarify(s.timeline.citizen_after(s.last, 2, 72))


def bounced(s: Story, p: Plan) -> None:
    assert p.anchor is not None
    s.route(p.anchor, _wrong_target(s), by=s.directory.national_admin)
    s.decline(s.timeline.office_after(p.anchor, 1, 3), s.topic.decline_reason)


def national_decision(s: Story, p: Plan) -> None:
    """Declined twice: only the national admin may route it now."""
    bounced(s, p)
    assert s.last is not None
    province = s.directory.institutions[PROVINCE_CODE]
    s.route(s.timeline.office_after(s.last, 0, 2), province, by=s.directory.national_admin)
    s.decline(
        s.timeline.office_after(s.last, 1, 2),
        "Bukan kewenangan pemerintah provinsi; mohon diputuskan oleh pengelola nasional.",
    )


def held(s: Story, p: Plan) -> None:
    s.hold(s.timeline.office_after(p.submitted_at, 0, 1))


# --- archived -----------------------------------------------------------------------------


def junk(s: Story, p: Plan) -> None:
    assert p.junk is not None
    s.archive(s.timeline.office_after(p.submitted_at, 0, 3), p.junk.reason)


def duplicate(s: Story, p: Plan) -> None:
    moment = s.timeline.office_after(p.submitted_at, 0, 2)
    if p.original is None:
        s.archive(moment, "too_general")
    else:
        s.archive(moment, "duplicate", duplicate_of=p.original)


def no_clarification(s: Story, p: Plan) -> None:
    s.hold(s.timeline.office_after(p.submitted_at, 0, 2))
    due = s.r.clarification_due_at
    assert due is not None and s.last is not None
    # The nightly sweep archives it within hours of the window closing.
    s.expire_hold(s.timeline.citizen_after(max(due, s.last), 0.1, 8))


# --- routed and in progress ---------------------------------------------------------------


def routed_fresh(s: Story, p: Plan) -> None:
    _route_and_settle(s, p)


def routed_untouched(s: Story, p: Plan) -> None:
    """Routed and forwarded, then nothing: first response (and maybe completion) overdue."""
    _route_and_settle(s, p)


def progress_ok(s: Story, p: Plan) -> None:
    _route_and_settle(s, p)
    assert s.last is not None
    s.follow_up(s.timeline.office_after(s.last, 0, 2))
    _follow_ups(s, s.rng.randint(0, 1))


def progress_overdue(s: Story, p: Plan) -> None:
    _route_and_settle(s, p)
    assert s.last is not None
    s.follow_up(s.timeline.office_after(s.last, 1, 5))
    _follow_ups(s, s.rng.randint(0, 2))
    if s.rng.random() < 0.3:
        s.add_information(s.timeline.citizen_after(s.last, 24, 400))


def progress_extended(s: Story, p: Plan) -> None:
    _route_and_settle(s, p)
    assert s.last is not None
    s.follow_up(s.timeline.office_after(s.last, 1, 3))
    due = s.r.completion_due_at
    assert due is not None
    extend_at = s.timeline.office_between(s.last, min(due, s.timeline.now))
    s.extend(extend_at, p.extension_days)


def reopened(s: Story, p: Plan) -> None:
    """Answered, disputed by the reporter, handled again."""
    _route_and_settle(s, p)
    _answer_within(s, s.rng.randint(2, max(2, min(p.limit_days, 10))))
    assert s.last is not None
    s.reopen(s.timeline.citizen_after(s.last, 4, 96))
    s.follow_up(s.timeline.office_after(s.last, 1, 3))


def answered(s: Story, p: Plan) -> None:
    _route_and_settle(s, p)
    assert p.answer_at is not None and s.last is not None
    _follow_ups(s, s.rng.randint(0, 2), until=p.answer_at)
    late = s.last is not None and p.answer_at <= s.last
    s.answer(s.timeline.office_after(s.last, 0, 1) if late else p.answer_at)


# --- finished and escalated ---------------------------------------------------------------


def confirmed(s: Story, p: Plan) -> None:
    _route_and_settle(s, p)
    _answer_within(s, p.answer_days)
    _close(s)


def finished_reopened(s: Story, p: Plan) -> None:
    reopened(s, p)
    _answer_within(s, s.rng.randint(1, 5))
    _close(s)


def finished_bounced(s: Story, p: Plan) -> None:
    _bounce_then_route(s, p)
    _answer_within(s, p.answer_days)
    _close(s)


def finished_extended(s: Story, p: Plan) -> None:
    progress_extended(s, p)
    due = s.r.completion_due_at
    assert due is not None and s.last is not None
    s.answer(s.timeline.office_between(s.last, min(due, s.timeline.now)))
    _close(s)


def escalated(s: Story, p: Plan) -> None:
    """Overdue; the reporter asks for the Ombudsman; an admin hands it over."""
    _route_and_settle(s, p)
    due = s.r.completion_due_at
    assert due is not None
    _follow_ups(s, s.rng.randint(0, 2), until=due)
    assert s.last is not None
    s.consent(s.timeline.citizen_after(max(due, s.last), 4, 240))
    s.escalate(s.timeline.office_after(s.last, 1, 5))


SCENARIOS: dict[str, Scenario] = {
    f.__name__: f
    for f in (
        fresh, late_verification, clarified, bounced, national_decision, held, junk, duplicate,
        no_clarification, routed_fresh, routed_untouched, progress_ok, progress_overdue,
        progress_extended, reopened, answered, confirmed, finished_reopened, finished_bounced,
        finished_extended, escalated,
    )
}  # fmt: skip
