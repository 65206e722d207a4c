"""Who is told what about an event: the rules as one table, and the people each rule names.

Pure lookups: nothing here writes. `services.notifications_for_event` turns the answer into rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from lapor.accounts.models import Membership, Role, User
from lapor.institutions.models import Institution
from lapor.reports.models import Assignment, Report, ReportEvent, State

# Message kinds (= template names under templates/notifications/).
REPORTER_KINDS = {
    "submit": "submit",
    "route": "route",
    "follow_up": "follow_up",  # public ones only
    "hold": "hold",
    "answer": "answer",
    "close_after_window": "close_after_window",
    "archive": "archive",
    "expire_hold": "archive",  # archived for want of a clarification: same message, its reason
    "escalate": "escalate",
    "ombudsman_offered": "ombudsman_offered",
}

# Kinds a staff member who chose the daily digest gets in the digest instead of one by one.
DIGEST_KINDS = frozenset({"new_work", "decline", "clarify", "deadline_warning"})


@dataclass(frozen=True)
class Situation:
    """Where the report stood when the event happened (it may have moved on since): the queue
    it sat in and its state. Recipients follow the event, not whatever happened after it."""

    report: Report
    event: ReportEvent
    queue: Institution | None
    state: str


def situation(report: Report, event: ReportEvent) -> Situation:
    # Every move that changes the queue opens an Assignment at the event's own time; the
    # submission opens the first one.
    hops = Assignment.objects.filter(report=report).select_related(
        "institution__parent", "institution__region__province"
    )
    if event.action == "submit":
        hop = hops.order_by("started_at", "id").first()
    else:
        hop = hops.filter(started_at__lte=event.created_at).order_by("-started_at", "-id").first()
    queue = hop.institution if hop is not None else report.queue_institution
    return Situation(report, event, queue, event.to_state or report.state)


@dataclass(frozen=True)
class StaffRule:
    kind: str
    people: Callable[[Situation], list[User]]


def _users(memberships: Iterable[Membership]) -> list[User]:
    seen: dict[int, User] = {}
    for membership in memberships:
        user = membership.user
        if user.is_active and user.erased_at is None:
            seen.setdefault(user.pk, user)
    return sorted(seen.values(), key=lambda u: u.pk)


def _active(**filters: object) -> list[User]:
    return _users(
        Membership.objects.filter(is_active=True, institution__is_active=True, **filters)
        .select_related("user")
        .order_by("id")
    )


def national_admins() -> list[User]:
    return _active(role=Role.NATIONAL_ADMIN)


def covering(institution: Institution, roles: Iterable[str]) -> list[User]:
    """Members in `roles` of the institution or of any institution above it (their subtree
    contains it, so the report is in their workbench inbox)."""
    return _active(role__in=list(roles), institution_id__in=institution.ancestor_ids())


def admins_at(institution: Institution) -> list[User]:
    return _active(role=Role.INSTITUTION_ADMIN, institution=institution)


def verifiers(queue: Institution | None) -> list[User]:
    """Who verifies a report awaiting verification: the queue's admins, or the national ones."""
    if queue is None:
        return national_admins()
    return covering(queue, [Role.INSTITUTION_ADMIN])


def handlers(at: Situation) -> list[User]:
    """Who must act on the report where it sat: verifiers, or the handlers of the unit."""
    if at.state == State.AWAITING_VERIFICATION or at.queue is None:
        return verifiers(at.queue)
    return covering(at.queue, [Role.INSTITUTION_ADMIN, Role.UNIT_OFFICER])


def _submitted_into_queue(at: Situation) -> list[User]:
    # A report sent straight to an institution is new work at its verification desk. The
    # national queue is everyone's default and is watched in the workbench, not by message.
    if at.queue is None:
        return []
    return verifiers(at.queue)


def _overdue(at: Situation) -> list[User]:
    """The admins of the institution that owns the clock, and of the level above it."""
    owner = at.report.responsible_institution
    if owner is None and at.queue is not None:
        owner = at.queue.top_level() or at.queue
    if owner is None:
        return national_admins()
    people = admins_at(owner)
    parent = owner.parent
    if parent is None or parent.kind == Institution.Kind.NATIONAL:
        people += national_admins()
    else:
        people += admins_at(parent)
    return _users_unique(people)


def _users_unique(users: list[User]) -> list[User]:
    return sorted({u.pk: u for u in users}.values(), key=lambda u: u.pk)


STAFF_RULES: dict[str, StaffRule] = {
    "submit": StaffRule("new_work", _submitted_into_queue),
    "route": StaffRule("new_work", handlers),
    "forward": StaffRule("new_work", handlers),
    # "Not our authority": the report lands, bounced back, in the queue one level up.
    "decline": StaffRule("decline", handlers),
    "clarify": StaffRule("clarify", handlers),
    "deadline_warning": StaffRule("deadline_warning", handlers),
    "overdue": StaffRule("overdue", _overdue),
    "reopen": StaffRule("reopen", handlers),
    "add_information": StaffRule("add_information", handlers),
}


def reporter_kind(event: ReportEvent) -> str | None:
    """The message kind the reporter gets for `event`, or None."""
    kind = REPORTER_KINDS.get(event.action)
    if kind == "follow_up" and not event.is_public:
        return None
    return kind


def staff_recipients(at: Situation) -> tuple[str, list[User]] | None:
    """(kind, people) for staff, the actor left out: nobody is told of their own move."""
    rule = STAFF_RULES.get(at.event.action)
    if rule is None:
        return None
    people = [u for u in rule.people(at) if u.pk != at.event.actor_id]
    reporter_id = at.report.reporter_id
    # A staff member who is also this report's reporter hears about it as its reporter only.
    people = [u for u in people if u.pk != reporter_id]
    return rule.kind, people
