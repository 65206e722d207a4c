"""One report's life, played through the real services at chosen past moments.

Every step runs inside `clock.at(moment)`, so events, deadlines and hops carry the moment the
step happened. A step that a service refuses stops the story (the report keeps the state it
reached) and is reported as a warning: the demo never writes around the services.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lapor.accounts.models import User
from lapor.institutions.models import Institution
from lapor.lib import clock
from lapor.reports import services
from lapor.reports.actors import SYSTEM, GuestActor, SystemActor
from lapor.reports.demo import places
from lapor.reports.demo.organisation import Directory
from lapor.reports.demo.places import Spot
from lapor.reports.demo.timeline import Timeline
from lapor.reports.demo.topics import Topic
from lapor.reports.errors import DomainError
from lapor.reports.models import Report, State
from lapor.reports.permissions import can_route_to
from lapor.reports.services import ReportInput


class StoryStopped(Exception):
    """A service refused a step; the story ends where it is."""


@dataclass
class Story:
    directory: Directory
    timeline: Timeline
    rng: random.Random
    topic: Topic
    spot: Spot
    resolution_class: str
    words: dict[str, Any]
    report: Report | None = None
    reporter: User | GuestActor | None = None
    guest_secret: str = ""
    last: datetime | None = None
    warnings: list[str] = field(default_factory=list)

    # --- the frame ------------------------------------------------------------------------

    def text(self, template: str) -> str:
        return template.format_map(self.words)

    def pick(self, options: tuple[str, ...]) -> str:
        return self.text(self.rng.choice(options))

    @property
    def r(self) -> Report:
        assert self.report is not None
        return self.report

    def step(self, name: str, moment: datetime | None, call: Callable[[], Report]) -> None:
        """Run one service call at `moment`; a missing moment (no time left) stops the story."""
        if moment is None:
            raise StoryStopped(f"{name}: no time left")
        assert self.last is None or moment > self.last, (name, moment, self.last)
        assert moment <= self.timeline.now, (name, moment)
        try:
            with clock.at(moment):
                self.report = call()
        except DomainError as error:
            number = self.report.tracking_number if self.report else "(new)"
            self.warnings.append(f"{number} {name}: {error.message}")
            raise StoryStopped(name) from error
        self.last = moment

    @property
    def queue(self) -> Institution | None:
        pk = self.r.queue_institution_id
        return self.directory.by_pk(pk) if pk else None

    def handler(self) -> User:
        queue = self.queue
        assert queue is not None
        return self.directory.handler_for(queue)

    def verifier(self, target: Institution | None = None) -> User:
        admin = self.directory.admin_for(self.queue)
        if self.r.needs_national_decision or (
            target is not None and not can_route_to(admin, target)
        ):
            return self.directory.national_admin
        return admin

    # --- intake ---------------------------------------------------------------------------

    def submit(self, moment: datetime, data: ReportInput, actor: User | SystemActor | None) -> None:
        def call() -> Report:
            result = services.submit_report(actor=actor, data=data)
            self.guest_secret = result.guest_secret
            return result.report

        self.step("submit", moment, call)
        reporter = actor if isinstance(actor, User) and data.channel == "web" else None
        self.reporter = reporter or GuestActor(self.guest_secret)

    # --- verification ---------------------------------------------------------------------

    def hold(self, moment: datetime | None) -> None:
        question = self.rng.choice(places.HOLD_QUESTIONS)
        by = self.verifier()
        self.step(
            "hold", moment, lambda: services.hold_report(actor=by, report=self.r, question=question)
        )

    def clarify(self, moment: datetime | None) -> None:
        message = self.pick(places.CLARIFICATIONS)
        who = self.reporter
        assert who is not None
        self.step(
            "clarify",
            moment,
            lambda: services.clarify_report(actor=who, report=self.r, message=message),
        )

    def expire_hold(self, moment: datetime | None) -> None:
        self.step("expire_hold", moment, lambda: services.expire_hold(actor=SYSTEM, report=self.r))

    def archive(
        self, moment: datetime | None, reason: str, duplicate_of: Report | None = None
    ) -> None:
        by = self.verifier()
        note = f"Sama dengan laporan {duplicate_of.tracking_number}." if duplicate_of else ""
        self.step(
            "archive",
            moment,
            lambda: services.archive_report(
                actor=by, report=self.r, reason_code=reason, note=note, duplicate_of=duplicate_of
            ),
        )

    def route(
        self, moment: datetime | None, target: Institution, note: str = "", by: User | None = None
    ) -> None:
        by = by or self.verifier(target)
        category = self.directory.categories[self.topic.category]
        self.step(
            "route",
            moment,
            lambda: services.route_report(
                actor=by,
                report=self.r,
                institution=target,
                report_type=self.topic.report_type,
                resolution_class=self.resolution_class,
                category=category,
                note=note,
            ),
        )

    def decline(self, moment: datetime | None, reason: str) -> None:
        by = self.handler()
        self.step(
            "decline",
            moment,
            lambda: services.decline_report(actor=by, report=self.r, reason=reason),
        )

    # --- handling -------------------------------------------------------------------------

    def forward(self, moment: datetime | None, target: Institution) -> None:
        queue = self.queue
        assert queue is not None
        by = (
            self.directory.admin_for(queue)
            if queue.kind in Institution.TOP_LEVEL_KINDS
            else self.handler()
        )
        note = self.rng.choice(places.FORWARD_NOTES)
        self.step(
            "forward",
            moment,
            lambda: services.forward_report(actor=by, report=self.r, institution=target, note=note),
        )

    def follow_up(self, moment: datetime | None) -> None:
        by, message = self.handler(), self.pick(self.topic.follow_ups)
        self.step(
            "follow_up",
            moment,
            lambda: services.post_follow_up(actor=by, report=self.r, message=message),
        )

    def answer(self, moment: datetime | None) -> None:
        by, message = self.handler(), self.pick(self.topic.answers)
        self.step(
            "answer", moment, lambda: services.post_answer(actor=by, report=self.r, message=message)
        )

    def extend(self, moment: datetime | None, days: int) -> None:
        by, reason = self.handler(), self.rng.choice(places.EXTENSION_REASONS)
        self.step(
            "extend",
            moment,
            lambda: services.extend_deadline(actor=by, report=self.r, days=days, reason=reason),
        )

    # --- the reporter and the end ---------------------------------------------------------

    def add_information(self, moment: datetime | None) -> None:
        who, message = self.reporter, self.rng.choice(places.ADDITIONAL_INFO)
        assert who is not None
        self.step(
            "add_information",
            moment,
            lambda: services.add_information(actor=who, report=self.r, message=message),
        )

    def reopen(self, moment: datetime | None) -> None:
        who, message = self.reporter, self.rng.choice(places.REOPEN_MESSAGES)
        assert who is not None
        self.step(
            "reopen",
            moment,
            lambda: services.reopen_report(actor=who, report=self.r, message=message),
        )

    def confirm(self, moment: datetime | None) -> None:
        who = self.reporter
        assert who is not None
        rating = self.rng.choice([None, 3, 4, 4, 5, 5, 5])
        comment = self.rng.choice(places.CONFIRM_COMMENTS) if rating else ""
        self.step(
            "confirm",
            moment,
            lambda: services.confirm_report(
                actor=who, report=self.r, rating=rating, comment=comment
            ),
        )

    def close_after_window(self, moment: datetime | None) -> None:
        self.step(
            "close_after_window",
            moment,
            lambda: services.close_after_window(actor=SYSTEM, report=self.r),
        )

    def rate(self, moment: datetime | None) -> None:
        who, rating = self.reporter, self.rng.choice([1, 2, 3, 4])
        assert who is not None
        self.step(
            "rate", moment, lambda: services.rate_report(actor=who, report=self.r, rating=rating)
        )

    def consent(self, moment: datetime | None) -> None:
        who = self.reporter
        assert who is not None
        self.step(
            "consent_ombudsman",
            moment,
            lambda: services.consent_to_ombudsman(actor=who, report=self.r),
        )

    def escalate(self, moment: datetime | None) -> None:
        by = self.rng.choice([self.directory.national_admin, self.verifier()])
        note = self.rng.choice(places.ESCALATION_NOTES)
        self.step(
            "escalate",
            moment,
            lambda: services.escalate_to_ombudsman(actor=by, report=self.r, note=note),
        )

    @property
    def state(self) -> str:
        return State(self.r.state)
