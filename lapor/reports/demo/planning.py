"""Plans: for each demo report, the state it should end in, its story, topic, place and the
moments its story is anchored at, chosen so that every state gets a fair share."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import datetime

from lapor.reports.demo.places import Spot, area_by_code, draw_spot
from lapor.reports.demo.timeline import Timeline
from lapor.reports.demo.topics import JUNK, TOPICS, Junk, Topic
from lapor.reports.models import DeadlinePolicy, Report, ReportType, ResolutionClass, State

# Share of the reports that end in each state.
STATE_SHARES: dict[str, float] = {
    State.AWAITING_VERIFICATION: 0.11,
    State.ON_HOLD: 0.05,
    State.ARCHIVED: 0.13,
    State.ROUTED: 0.11,
    State.IN_PROGRESS: 0.15,
    State.ANSWERED: 0.06,
    State.FINISHED: 0.32,
    State.ESCALATED: 0.07,
}

# For each state: (story, weight). The story name is a planner case and, mostly, a scenario.
STORIES: dict[str, tuple[tuple[str, int], ...]] = {
    State.AWAITING_VERIFICATION: (
        ("fresh", 4), ("late_verification", 3), ("clarified", 2), ("bounced", 2),
        ("national_decision", 1),
    ),
    State.ON_HOLD: (("held", 1),),
    State.ARCHIVED: (("junk", 5), ("duplicate", 2), ("no_clarification", 2)),
    State.ROUTED: (("routed_fresh", 3), ("routed_untouched", 4)),
    State.IN_PROGRESS: (
        ("progress_ok", 3), ("progress_near", 2), ("progress_overdue", 3),
        ("progress_extended", 1), ("reopened", 2),
    ),
    State.ANSWERED: (("answered", 1),),
    State.FINISHED: (
        ("confirmed", 6), ("finished_reopened", 1), ("finished_bounced", 1),
        ("finished_extended", 1),
    ),
    State.ESCALATED: (("escalated", 1),),
}  # fmt: skip

# Planner cases played by another scenario.
RUNNER = {"progress_near": "progress_ok"}
NEEDS_WRONG = {"bounced", "finished_bounced"}
NEEDS_NATIONAL_WRONG = {"national_decision"}
NATIONAL_SERVICES = {"bpjs", "bpn", "jalan_nasional"}
# Extensions and the Ombudsman are for complaints, not for suggestions or questions.
NEEDS_COMPLAINT = {"escalated", "progress_extended", "finished_extended"}
CLOSED_STATES = {State.ARCHIVED, State.FINISHED, State.ESCALATED}
OLDEST = 235  # working days back: about eleven months, so submissions stay within a year


@dataclass
class Plan:
    state: str
    story: str
    seed: int
    topic: Topic
    spot: Spot
    resolution_class: str
    limit_days: int
    submitted_at: datetime
    anchor: datetime | None = None  # the first routing
    answer_at: datetime | None = None
    answer_days: int = 0
    extension_days: int = 0
    junk: Junk | None = None
    original: Report | None = None  # for a duplicate, set when played

    @property
    def scenario(self) -> str:
        return RUNNER.get(self.story, self.story)


def state_counts(total: int) -> dict[str, int]:
    """How many reports end in each state: the shares, with a floor for every state."""
    floor = min(15, max(1, total // 20))
    counts = {state: max(floor, int(total * share)) for state, share in STATE_SHARES.items()}
    # Give or take the difference on the largest bucket.
    largest = max(counts, key=lambda s: counts[s])
    counts[largest] += total - sum(counts.values())
    return counts


def _topic_for(story: str, rng: random.Random) -> Topic:
    candidates = list(TOPICS)
    if story in NEEDS_WRONG:
        candidates = [t for t in candidates if t.wrong]
    if story in NEEDS_COMPLAINT:
        candidates = [t for t in candidates if t.report_type == ReportType.COMPLAINT]
    if story in NEEDS_NATIONAL_WRONG:
        candidates = [t for t in candidates if t.wrong == "city" and t.service in NATIONAL_SERVICES]
    return rng.choices(candidates, weights=[t.weight for t in candidates])[0]


def _spot_for(topic: Topic, rng: random.Random) -> Spot:
    if topic.areas:
        return draw_spot(rng, area_by_code(rng.choice(topic.areas)))
    return draw_spot(rng)


def _class_for(topic: Topic, rng: random.Random) -> str:
    if len(topic.classes) > 1 and rng.random() < 0.7:
        return ResolutionClass.STANDARD
    return rng.choice(topic.classes)


def _timing(plan: Plan, tl: Timeline, rng: random.Random) -> None:
    """Place the plan's anchor (first routing) and submission in the past."""
    ago, lim, name = tl.office_days_ago, plan.limit_days, plan.story
    unrouted = {
        "fresh": (0, 1),
        "late_verification": (5, 25),
        "clarified": (2, 8),
        "held": (1, 7),
        "junk": (1, OLDEST),
        "duplicate": (1, OLDEST),
        "no_clarification": (15, OLDEST),
    }
    if name in unrouted:
        low, high = unrouted[name]
        plan.submitted_at = tl.citizen_before(ago(_days_ago(plan, rng, low, high)), 0.5, 20)
        return
    days = _anchor_days(plan, rng)
    if name == "answered":
        plan.answer_at = ago(rng.randint(0, min(6, days - 2)))
    plan.anchor = ago(min(days, OLDEST))
    plan.submitted_at = tl.citizen_before(plan.anchor, 1, 80)
    assert lim > 0


def _anchor_days(plan: Plan, rng: random.Random) -> int:
    """How many working days ago the report is first routed."""
    lim, name, r = plan.limit_days, plan.story, rng.randint
    if name in ("progress_extended", "finished_extended"):
        plan.extension_days = r(3, 10)
    if name in ("confirmed", "finished_bounced"):
        late = rng.random() < 0.25
        plan.answer_days = r(lim + 1, lim + 15) if late else r(2, max(2, lim - 1))
    cases = {
        "bounced": (3, 12),
        "national_decision": (6, 20),
        "routed_fresh": (0, 2),
        "progress_ok": (1, max(1, int(lim * 0.6))),
        "progress_near": (lim - 2, lim),
        "progress_overdue": (lim + 2, lim + 150),
        "progress_extended": (lim, lim + plan.extension_days - 2),
        "reopened": (16, 60),
        "answered": (3, 40),
        "confirmed": (plan.answer_days + 14, OLDEST),
        "finished_reopened": (40, OLDEST),
        "finished_bounced": (plan.answer_days + 20, OLDEST),
        "finished_extended": (lim + plan.extension_days + 12, OLDEST),
        "escalated": (lim + 3, lim + 150),
    }
    if name == "routed_untouched":
        # Half only miss the first response; half miss the completion deadline as well.
        low, high = (6, max(6, lim - 1)) if rng.random() < 0.5 else (lim + 2, lim + 120)
    else:
        low, high = cases[name]
    return _days_ago(plan, rng, low, max(low, min(high, OLDEST)))


def _days_ago(plan: Plan, rng: random.Random, low: int, high: int) -> int:
    """A number of working days in low..high. Closed reports lean towards the older end: the
    open ones are recent by nature, and together the months should look evenly busy."""
    if plan.state in CLOSED_STATES and high - low > 20:
        return round(rng.triangular(low, high, high))
    return rng.randint(low, high)


def make_plans(
    total: int, rng: random.Random, timeline: Timeline, policy: DeadlinePolicy
) -> list[Plan]:
    """Every report's plan, in submission order."""
    plans: list[Plan] = []
    junk_turn = itertools.count()
    for state, count in state_counts(total).items():
        names = [n for n, _ in STORIES[state]]
        weights = [w for _, w in STORIES[state]]
        for index in range(count):
            # The first stories of a state cover every variant once, then by weight.
            story = names[index] if index < len(names) else rng.choices(names, weights)[0]
            topic = _topic_for(story, rng)
            resolution_class = _class_for(topic, rng)
            plan = Plan(
                state=state,
                story=story,
                seed=rng.getrandbits(32),
                topic=topic,
                spot=_spot_for(topic, rng),
                resolution_class=resolution_class,
                limit_days=policy.completion_days(resolution_class),
                submitted_at=timeline.now,
                # Junk cycles through every archive reason before repeating one.
                junk=JUNK[next(junk_turn) % len(JUNK)] if story == "junk" else None,
            )
            _timing(plan, timeline, rng)
            plans.append(plan)
    plans.sort(key=lambda p: p.submitted_at)
    return plans
