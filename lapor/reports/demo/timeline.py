"""Moments for the demo stories: office hours in WITA on working days, citizens at any hour,
always in the past and never earlier than the previous step."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from lapor.workdays.calendar import WorkCalendar

WITA = ZoneInfo("Asia/Makassar")
OFFICE_OPENS, OFFICE_CLOSES = 8 * 60, 16 * 60  # minutes after local midnight
GAP = timedelta(minutes=2)


class Timeline:
    def __init__(self, rng: random.Random, now: datetime, calendar: WorkCalendar) -> None:
        self.rng = rng
        self.now = now
        self.calendar = calendar
        self.today = now.astimezone(WITA).date()

    # --- days ---------------------------------------------------------------------------

    def working_days_ago(self, n: int) -> date:
        """The n-th working day before today (0: today, or the last working day before it)."""
        day = self.today
        while not self.calendar.is_working_day(day):
            day -= timedelta(days=1)
        for _ in range(n):
            day -= timedelta(days=1)
            while not self.calendar.is_working_day(day):
                day -= timedelta(days=1)
        return day

    def working_day_after(self, day: date, n: int) -> date:
        if n > 0:
            return self.calendar.add_working_days(day, n)
        while not self.calendar.is_working_day(day):
            day += timedelta(days=1)
        return day

    # --- moments ------------------------------------------------------------------------

    def _local(self, day: date, minutes: int) -> datetime:
        return datetime.combine(day, time.min, tzinfo=WITA) + timedelta(minutes=minutes)

    def _pick(self, low: datetime, high: datetime) -> datetime | None:
        high = min(high, self.now - GAP)
        if high - low < GAP:
            return None
        seconds = self.rng.uniform(0, (high - low).total_seconds())
        return (low + timedelta(seconds=seconds)).replace(microsecond=0) + timedelta(seconds=1)

    def office_on(self, day: date, after: datetime | None = None) -> datetime | None:
        """A moment in office hours on `day`, later than `after`, not in the future."""
        low = self._local(day, OFFICE_OPENS)
        if after is not None:
            low = max(low, after + GAP)
        return self._pick(low, self._local(day, OFFICE_CLOSES))

    def office_days_ago(self, n: int) -> datetime:
        """A moment in office hours on the n-th working day before today."""
        for extra in range(10):
            moment = self.office_on(self.working_days_ago(n + extra))
            if moment is not None:
                return moment
        raise RuntimeError("no office moment found")  # pragma: no cover

    def between(self, low: datetime, high: datetime) -> datetime | None:
        """Any moment strictly between `low` and `high` (and not in the future)."""
        return self._pick(low + GAP, high)

    def office_between(self, low: datetime, high: datetime) -> datetime | None:
        """A moment in office hours strictly between `low` and `high` if there is one, else any
        moment between them (staff do work late when a deadline presses)."""
        high = min(high, self.now)
        first, last = low.astimezone(WITA).date(), high.astimezone(WITA).date()
        days = [
            first + timedelta(days=i)
            for i in range((last - first).days + 1)
            if self.calendar.is_working_day(first + timedelta(days=i))
        ]
        self.rng.shuffle(days)
        for day in days[:5]:
            moment = self._pick(
                max(self._local(day, OFFICE_OPENS), low + GAP),
                min(self._local(day, OFFICE_CLOSES), high - GAP),
            )
            if moment is not None:
                return moment
        return self.between(low, high)

    def office_after(self, after: datetime, min_days: int, max_days: int) -> datetime | None:
        """Office hours `min_days`..`max_days` working days after `after`; squeezed into what
        is left before now if that lands in the future; None if no time is left at all."""
        day = self.working_day_after(
            after.astimezone(WITA).date(), self.rng.randint(min_days, max_days)
        )
        for _ in range(5):
            if day > self.today:
                break
            moment = self.office_on(day, after)
            if moment is not None:
                return moment
            day = self.working_day_after(day, 1)
        return self.office_between(after, self.now)

    def office_before(self, moment: datetime) -> datetime:
        """`moment` if it falls in office hours, else an office-hours moment shortly before it."""
        local = moment.astimezone(WITA)
        day = local.date()
        minutes = local.hour * 60 + local.minute
        if self.calendar.is_working_day(day) and OFFICE_OPENS <= minutes < OFFICE_CLOSES:
            return moment
        if not (self.calendar.is_working_day(day) and minutes >= OFFICE_CLOSES):
            day = self.working_days_before(day)
        latest = min(moment, self._local(day, OFFICE_CLOSES))
        picked = self._pick(self._local(day, OFFICE_OPENS), latest)
        return picked or self._local(day, OFFICE_OPENS)

    def working_days_before(self, day: date) -> date:
        day -= timedelta(days=1)
        while not self.calendar.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def citizen_after(self, after: datetime, min_hours: float, max_hours: float) -> datetime | None:
        """A citizen's moment (06:00-22:00 local) some hours after `after`."""
        moment = after + timedelta(hours=self.rng.uniform(min_hours, max_hours))
        local = moment.astimezone(WITA)
        if not 6 <= local.hour < 22:
            morning = local.date() + timedelta(days=1 if local.hour >= 22 else 0)
            moment = self._local(morning, self.rng.randint(6 * 60, 9 * 60))
        moment = moment.replace(microsecond=0)
        if moment >= self.now - GAP:
            return self.between(after, self.now)
        return moment

    def citizen_before(self, before: datetime, min_hours: float, max_hours: float) -> datetime:
        """A citizen's moment some hours before `before` (for a submission ahead of routing)."""
        moment = before - timedelta(hours=self.rng.uniform(min_hours, max_hours))
        local = moment.astimezone(WITA)
        if not 6 <= local.hour < 22:
            # Moved to a waking hour of the same day (or the day before, if after midnight).
            day = local.date() - timedelta(days=1 if local.hour < 6 else 0)
            moment = self._local(day, self.rng.randint(6 * 60, 22 * 60 - 1))
        return moment.replace(microsecond=0)
