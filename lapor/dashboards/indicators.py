"""The indicator values and their derived rates. Pure: no database.

Definitions (docs/ranking.md explains them for readers; every figure is over the reports
SUBMITTED in the period, attributed to the institution whose queue holds them):

- received: reports submitted.
- verified: reports that passed verification (routed at least once).
- routed: reports now with a handling institution (routed, in progress, answered, finished or
  escalated); the denominator of the handling rates.
- followed up: routed reports with a first response (a public follow-up or the answer).
- first response on time: followed up by the end of the policy's first-response working day.
- answered: routed reports that received a final answer (possibly reopened since).
- finished: reports in the "finished" state.
- finished on time: finished, and the standing final answer came by the end of the completion
  deadline (class days plus granted extension, in working days from routing).
- reopened: answered reports the reporter reopened at least once (reopen rate = reopened /
  answered); reopen_events counts every reopen move.
- bounced: "not our authority" moves made by the institution.
- satisfaction: ratings 1-5 given by reporters (mean, count).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields

from lapor.dashboards.models.stats import COUNTER_FIELDS

RATINGS = (1, 2, 3, 4, 5)


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Counters:
    received: int = 0
    verified: int = 0
    routed: int = 0
    followed_up: int = 0
    first_response_on_time: int = 0
    answered: int = 0
    finished: int = 0
    finished_on_time: int = 0
    reopened: int = 0
    reopen_events: int = 0
    escalated: int = 0
    archived: int = 0
    rating_1: int = 0
    rating_2: int = 0
    rating_3: int = 0
    rating_4: int = 0
    rating_5: int = 0
    bounced: int = 0

    @classmethod
    def from_values(cls, values: Iterable[int | None]) -> Counters:
        return cls(*(int(v or 0) for v in values))

    def add(self, other: Counters) -> None:
        # Through the instance dicts: roll-ups add thousands of rows per page.
        mine, theirs = self.__dict__, other.__dict__
        for name in COUNTER_FIELDS:
            mine[name] += theirs[name]

    def as_tuple(self) -> tuple[int, ...]:
        d = self.__dict__
        return tuple(d[name] for name in COUNTER_FIELDS)

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    # --- derived --------------------------------------------------------------------------

    @property
    def rating_count(self) -> int:
        return sum(getattr(self, f"rating_{r}") for r in RATINGS)

    @property
    def rating_sum(self) -> int:
        return sum(r * getattr(self, f"rating_{r}") for r in RATINGS)

    def satisfied(self, threshold: int) -> int:
        return sum(getattr(self, f"rating_{r}") for r in RATINGS if r >= threshold)

    @property
    def satisfaction_mean(self) -> float | None:
        return ratio(self.rating_sum, self.rating_count)

    @property
    def verify_rate(self) -> float | None:
        return ratio(self.verified, self.received)

    @property
    def follow_up_rate(self) -> float | None:
        return ratio(self.followed_up, self.routed)

    @property
    def first_response_rate(self) -> float | None:
        return ratio(self.first_response_on_time, self.routed)

    @property
    def finish_rate(self) -> float | None:
        return ratio(self.finished, self.routed)

    @property
    def on_time_rate(self) -> float | None:
        return ratio(self.finished_on_time, self.routed)

    @property
    def reopen_rate(self) -> float | None:
        return ratio(self.reopened, self.answered)


def percentile(histogram: Mapping[int, int], p: float) -> float | None:
    """The p-quantile (0..1) of the values a histogram counts, interpolated like SQL's
    percentile_cont: position p * (N - 1) in the sorted values, linear between neighbours."""
    total = sum(histogram.values())
    if total == 0:
        return None
    position = p * (total - 1)
    lower_rank, upper_rank = math.floor(position), math.ceil(position)
    lower = upper = None
    seen = 0
    for value in sorted(histogram):
        count = histogram[value]
        if count <= 0:
            continue
        if lower is None and lower_rank < seen + count:
            lower = value
        if upper_rank < seen + count:
            upper = value
            break
        seen += count
    assert lower is not None and upper is not None
    return lower + (upper - lower) * (position - lower_rank)


@dataclass
class Durations:
    """Working days to first response and to completion, as histograms {days: reports}."""

    first_response: Counter[int] = field(default_factory=Counter)
    completion: Counter[int] = field(default_factory=Counter)

    def add(self, other: Durations) -> None:
        self.first_response.update(other.first_response)
        self.completion.update(other.completion)

    @property
    def first_response_median(self) -> float | None:
        return percentile(self.first_response, 0.5)

    @property
    def first_response_p90(self) -> float | None:
        return percentile(self.first_response, 0.9)

    @property
    def completion_median(self) -> float | None:
        return percentile(self.completion, 0.5)

    @property
    def completion_p90(self) -> float | None:
        return percentile(self.completion, 0.9)
