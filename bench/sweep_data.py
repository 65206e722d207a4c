"""The sweep benchmark's data: an organisation across the three time zones and N open reports,
a share of them past a deadline threshold at `now`, inserted with COPY.

Every report is what the services would have stored for it (the deadlines and warning points
come from the same calculator as the recompute, the sweeper's queue position from the same
rule), with its `submit` event and its open routing hop, so that a pass does real work on real
rows. Needs Django set up on a PostgreSQL database.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection

from lapor.institutions.models import Institution, Region
from lapor.institutions.services import create_institution
from lapor.reports.models import Report, ReportType, ResolutionClass, State
from lapor.reports.policy import current_policy
from lapor.reports.services.deadlines import STAGE_OF_STATE, DeadlineCalculator

# Open reports by state (roughly what a national system holds), and completion classes.
STATE_MIX = (
    (State.AWAITING_VERIFICATION, 0.10),
    (State.ON_HOLD, 0.04),
    (State.ROUTED, 0.30),
    (State.IN_PROGRESS, 0.40),
    (State.ANSWERED, 0.16),
)
CLASS_MIX = (
    (ResolutionClass.SHORT, 0.25),
    (ResolutionClass.STANDARD, 0.60),
    (ResolutionClass.INVESTIGATION, 0.15),
)
# What a sweep does with a report of each (state, phase).
ACTIONS = {
    (State.AWAITING_VERIFICATION, "warned"): ("deadline_warning",),
    (State.AWAITING_VERIFICATION, "due"): ("overdue",),
    (State.ROUTED, "warned"): ("deadline_warning",),
    (State.ROUTED, "due"): ("overdue", "ombudsman_offered"),
    (State.IN_PROGRESS, "warned"): ("deadline_warning",),
    (State.IN_PROGRESS, "due"): ("overdue", "ombudsman_offered"),
    (State.ON_HOLD, "due"): ("expire_hold",),
    (State.ANSWERED, "due"): ("close_after_window",),
}
MARGIN = timedelta(hours=1)
LOOKBACK_DAYS = 120


@dataclass(frozen=True)
class Place:
    institution_id: int
    tz: str
    province: str | None


def seed_institutions() -> list[Place]:
    """The national body, every province and regency/city government, 34 ministries and 20
    agencies: the K/L/D that own report clocks."""
    national = create_institution(code="N", name="Pengelola Nasional", kind="national")
    made = []
    for region in Region.objects.select_related("province").order_by("code"):
        kind = {"province": "province", "regency": "regency", "city": "city"}[region.level]
        made.append(
            create_institution(
                code=f"R{region.code}",
                name=f"Pemerintah {region.name}",
                kind=kind,
                parent=national,
                region=region,
            )
        )
    for i in range(34):
        made.append(
            create_institution(
                code=f"K{i}", name=f"Kementerian {i}", kind="ministry", parent=national
            )
        )
    for i in range(20):
        made.append(
            create_institution(code=f"L{i}", name=f"Lembaga {i}", kind="agency", parent=national)
        )
    rows = Institution.objects.select_related("region__province").filter(
        pk__in=[i.pk for i in made]
    )
    return [Place(i.pk, i.effective_timezone, i.province_code) for i in rows]


class Starts:
    """For each (zone, province, stage, days): the local start dates that put a stage in each
    phase at `now` (pending: no threshold passed; warned: warning passed, deadline not; due)."""

    def __init__(self, calc: DeadlineCalculator, now: datetime) -> None:
        self.calc, self.now = calc, now
        self._cache: dict[tuple[Any, ...], dict[str, list[date]]] = {}

    def phases(self, place: Place, state: str, klass: str) -> dict[str, list[date]]:
        key = (place.tz, place.province, state, klass)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._compute(place, state, klass)
        return found

    def _compute(self, place: Place, state: str, klass: str) -> dict[str, list[date]]:
        stage = STAGE_OF_STATE[state]
        today = self.now.astimezone(ZoneInfo(place.tz)).date()
        out: dict[str, list[date]] = {"pending": [], "warned": [], "due": []}
        for back in range(1, LOOKBACK_DAYS):
            day = today - timedelta(days=back)
            due = self.calc.for_group(
                stage, place.tz, place.province, day, klass, 0, state == State.ROUTED
            )
            deadline = next(v for k, v in due.items() if k.endswith("_due_at") and "first" not in k)
            warn = due["deadline_warn_at"]
            assert deadline is not None
            if deadline < self.now - MARGIN:
                out["due"].append(day)
            elif warn is not None and warn < self.now - MARGIN < self.now + MARGIN < deadline:
                out["warned"].append(day)
            elif (warn or deadline) > self.now + MARGIN:
                out["pending"].append(day)
        out["due"] = out["due"][:60]  # overdue by up to about three months
        return out


def _pick(rng: random.Random, mix: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([m[0] for m in mix], weights=[m[1] for m in mix])[0]


def report_rows(
    places: list[Place],
    count: int,
    share: float,
    now: datetime,
    seed: int = 2026,
    prefix: str = "B",
) -> tuple[list[str], Any, Counter[str]]:
    """(columns, a generator of rows for COPY, the actions a sweep at `now` must take)."""
    rng = random.Random(seed)
    calc = DeadlineCalculator(current_policy())
    starts = Starts(calc, now)
    # Everything that reads the database (calendars) is done before the COPY starts: the
    # connection is busy with the COPY while the rows are generated.
    for place in {(p.tz, p.province): p for p in places}.values():
        for state, _ in STATE_MIX:
            for klass in ("", *(c for c, _ in CLASS_MIX)):
                if klass or state in (State.AWAITING_VERIFICATION, State.ON_HOLD):
                    starts.phases(place, state, klass)
    fields = [f for f in Report._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    index = {c: i for i, c in enumerate(columns)}
    base: list[Any] = []
    for f in fields:
        value = f.get_default()
        base.append(now if f.column == "updated_at" else value)
    expected: Counter[str] = Counter()
    every = max(1, round(1 / share)) if share else 0

    def rows() -> Any:
        for n in range(count):
            place = places[rng.randrange(len(places))]
            state = _pick(rng, STATE_MIX)
            klass = (
                _pick(rng, CLASS_MIX)
                if state in (State.ROUTED, State.IN_PROGRESS, State.ANSWERED)
                else ""
            )
            crossing = every and n % every == 0
            if not crossing:
                phase = "pending"
            elif state in (State.ON_HOLD, State.ANSWERED):
                phase = "due"
            else:
                phase = rng.choice(("warned", "due"))
            options = starts.phases(place, state, klass)[phase]
            if not options:  # e.g. no pending date for a short stage: take the most recent due
                phase, options = "due", starts.phases(place, state, klass)["due"]
            expected.update(ACTIONS.get((state, phase), ()))
            day = rng.choice(options)
            start = datetime.combine(
                day, time(8 + rng.randrange(8), rng.randrange(60)), tzinfo=ZoneInfo(place.tz)
            ).astimezone(UTC)
            row = base.copy()
            values = _values(calc, place, state, klass, day, start)
            values.update(
                tracking_number=f"{prefix}{n:012d}",
                title="Jalan rusak di depan sekolah dasar",
                body="Jalan berlubang sejak tiga bulan dan membahayakan murid yang lewat.",
                report_type=(
                    ReportType.ASPIRATION
                    if klass == ResolutionClass.SHORT
                    else ReportType.COMPLAINT
                ),
                resolution_class=klass,
                state=state,
                last_event_sequence=1,
            )
            for name, value in values.items():
                row[index[name]] = value
            yield row

    return columns, rows(), expected


def _values(
    calc: DeadlineCalculator, place: Place, state: str, klass: str, day: date, start: datetime
) -> dict[str, Any]:
    stage = STAGE_OF_STATE[state]
    due = calc.for_group(stage, place.tz, place.province, day, klass, 0, state == State.ROUTED)
    v: dict[str, Any] = {"queue_institution_id": place.institution_id, **due}
    hour = timedelta(hours=1)
    if state == State.AWAITING_VERIFICATION:
        v.update(submitted_at=start, verification_started_at=start)
        v["next_sweep_at"] = due["deadline_warn_at"]
        return v
    if state == State.ON_HOLD:
        v.update(submitted_at=start - 24 * hour, verification_started_at=start - 24 * hour)
        v.update(held_at=start, next_sweep_at=due["clarification_due_at"])
        return v
    v["responsible_institution_id"] = place.institution_id
    if state == State.ANSWERED:
        v.update(
            submitted_at=start - 12 * 24 * hour, verification_started_at=start - 12 * 24 * hour
        )
        v.update(routed_at=start - 10 * 24 * hour, first_response_at=start - 5 * 24 * hour)
        v.update(answered_at=start, next_sweep_at=due["reporter_window_due_at"])
        return v
    v.update(submitted_at=start - 24 * hour, verification_started_at=start - 24 * hour)
    v.update(routed_at=start, next_sweep_at=due["deadline_warn_at"])
    if state == State.IN_PROGRESS:
        v["first_response_at"] = start + 2 * hour
    return v


def copy_reports(columns: list[str], rows: Any) -> int:
    """COPY the rows into the report table; then each new report's submit event and open hop."""
    copied = 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM reports_report")
        (first,) = cursor.fetchone()
        raw = cursor.cursor
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        with raw.copy(f"COPY reports_report ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                copied += 1
        cursor.execute(
            "INSERT INTO reports_reportevent (report_id, sequence, action, actor_role, from_state,"
            " to_state, reason, message, is_public, data, created_at)"
            " SELECT id, 1, 'submit', 'reporter', '', 'awaiting_verification', '', '', true,"
            " '{}'::jsonb, submitted_at FROM reports_report WHERE id > %s",
            [first],
        )
        cursor.execute(
            "INSERT INTO reports_assignment (report_id, institution_id, kind, started_at)"
            " SELECT id, queue_institution_id,"
            " CASE WHEN routed_at IS NULL THEN 'verification' ELSE 'route' END,"
            " COALESCE(routed_at, verification_started_at) FROM reports_report WHERE id > %s",
            [first],
        )
    return copied
