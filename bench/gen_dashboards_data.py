"""Generate the dashboard benchmark database: 2,200,000 reports across 700 institutions.

    .venv/bin/python bench/gen_dashboards_data.py [--reports 2200000] [--database bench_dashboards]

Drops and recreates the PostgreSQL database (127.0.0.1:5432, user postgres), migrates it,
seeds the holidays, then writes with COPY (psycopg) for speed:

- the tree: the national body; 700 K/L/D (34 ministries, 114 agencies, 38 provinces and 514
  regencies/cities on their real Kemendagri regions, so time zones and regional calendars are
  right); 10 departments under each province and 5 units under each ministry (1,251 nodes);
- one admin per K/L/D and one officer per department/unit, with last logins; leadership per
  province; a national admin and an auditor; complaint-team decrees for most K/L/D;
- 50 categories; 2,200,000 reports submitted 2015-01-01..yesterday (growing volume), sized by
  a Zipf-like weight per institution, with consistent fields: states, routing, first response,
  answer, closing, reopen, "not our authority" bounces, ratings, due dates of open stages;
- their events (submit, route, decline, follow_up, answer, reopen, confirm or close, archive,
  escalate), with staff actors, so admin activity and the refresh's event reads are real.

Then runs `refresh_dashboard_stats --full` and ANALYZE, and prints how long each step took.
Columns the generator does not know (added later by other features) are filled with their
type's empty value when NOT NULL, so the generator keeps working as the schema grows.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER = "postgres://postgres@127.0.0.1:5432"
SEED = 2026
START = datetime(2015, 1, 1, tzinfo=UTC)
DAY = 86400.0
CHANNELS = [
    "web",
    "api",
    "sms",
    "email",
    "whatsapp",
    "social_media",
    "letter",
    "walk_in",
    "phone",
    "suggestion_box",
    "open311",
]
CHANNEL_P = [0.52, 0.10, 0.12, 0.04, 0.08, 0.04, 0.03, 0.03, 0.02, 0.01, 0.01]
RATING_P = [0.05, 0.08, 0.15, 0.32, 0.40]
COMPLETION_DAYS = {"short": 5, "standard": 14, "investigation": 60}


def log(message: str, started: float) -> None:
    print(f"[{time.monotonic() - started:7.1f} s] {message}", flush=True)


def recreate(database: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            [database],
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{database}"')
        conn.execute(f'CREATE DATABASE "{database}"')


def manage(database: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": f"{SERVER}/{database}", "LOG_LEVEL": "WARNING"}
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


class Copier:
    """COPY rows into a table, filling NOT NULL columns the generator does not know."""

    def __init__(self, conn: psycopg.Connection[Any], table: str, columns: list[str]) -> None:
        rows = conn.execute(
            "SELECT column_name, is_nullable, data_type, column_default FROM "
            "information_schema.columns WHERE table_name = %s",
            [table],
        ).fetchall()
        extra = {}
        for name, nullable, dtype, default in rows:
            if name in columns or nullable == "YES" or default is not None:
                continue
            extra[name] = _empty(dtype)
        self.table, self.columns = table, columns + list(extra)
        self.suffix = "".join("\t" + value for value in extra.values())
        self.conn = conn

    def write(self, lines: list[str]) -> None:
        if not lines:
            return
        suffix = self.suffix
        with self.conn.cursor() as cur:
            sql = f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN"
            with cur.copy(sql) as copy:  # type: ignore[arg-type]
                copy.write("".join(line + suffix + "\n" for line in lines))


def _empty(dtype: str) -> str:
    if dtype in ("integer", "smallint", "bigint", "numeric", "double precision"):
        return "0"
    if dtype == "boolean":
        return "f"
    if dtype in ("jsonb", "json"):
        return "{}"
    return ""


NULL = "\\N"


def ts(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat()


def opt(seconds: float | None) -> str:
    return NULL if seconds is None else ts(seconds)


# --- the organisation ---------------------------------------------------------------------


def build_tree(conn: psycopg.Connection[Any]) -> dict[str, Any]:
    regions = conn.execute("SELECT id, code, level FROM institutions_region").fetchall()
    provinces = sorted((code, pk) for pk, code, level in regions if level == "province")
    regencies = sorted((code, pk) for pk, code, level in regions if level != "province")
    by_code = {code: pk for pk, code, _level in regions}
    nodes: list[tuple[int, str, str, str, int | None, int | None]] = []  # id, name, kind, ...

    def add(name: str, kind: str, parent: int | None, region: int | None) -> int:
        pk = len(nodes) + 1
        nodes.append((pk, name, kind, "", parent, region))
        return pk

    root = add("Pengelola SP4N-LAPOR! Nasional", "national", None, None)
    top: list[int] = []
    for i in range(34):
        top.append(add(f"Kementerian {i + 1:02d}", "ministry", root, None))
    for i in range(114):
        top.append(add(f"Lembaga {i + 1:03d}", "agency", root, None))
    province_ids = {}
    for code, region in provinces:
        province_ids[code] = add(f"Pemerintah Provinsi {code}", "province", root, region)
        top.append(province_ids[code])
    for code, region in regencies:
        kind = "city" if code.split(".")[1] >= "70" else "regency"
        top.append(add(f"Pemerintah {kind} {code}", kind, province_ids[code.split(".")[0]], region))
    children: dict[int, list[int]] = {}
    for code, pk in province_ids.items():
        children[pk] = [
            add(f"Dinas {j + 1} Provinsi {code}", "department", pk, by_code[code])
            for j in range(10)
        ]
    for pk in top[:34]:
        children[pk] = [add(f"Unit {j + 1} K{pk}", "unit", pk, None) for j in range(5)]
    paths: dict[int, str] = {}
    depth: dict[int, int] = {}
    for pk, _name, _kind, _path, parent, _region in nodes:
        paths[pk] = (paths[parent] if parent else "") + f"{pk:07d}."
        depth[pk] = depth[parent] + 1 if parent else 0
    copier = Copier(
        conn,
        "institutions_institution",
        [
            "id",
            "code",
            "name",
            "kind",
            "parent_id",
            "region_id",
            "timezone",
            "path",
            "depth",
            "is_active",
        ],
    )
    copier.write(
        [
            f"{pk}\tB{pk:06d}\t{name}\t{kind}\t{parent or NULL}\t{region or NULL}\t\t"
            f"{paths[pk]}\t{depth[pk]}\tt"
            for pk, name, kind, _p, parent, region in nodes
        ]
    )
    return {
        "root": root,
        "top": top,
        "children": children,
        "count": len(nodes),
        "kinds": {pk: kind for pk, _n, kind, *_ in nodes},
    }


def build_people(conn: psycopg.Connection[Any], tree: dict[str, Any], rng: Any) -> dict[str, Any]:
    now = time.time()
    users: list[str] = []
    members: list[str] = []
    admin_of: dict[int, int] = {}
    unusable = "!"  # no password: the benchmark logs in with force_login

    def user(name: str, last_login: float | None) -> int:
        pk = len(users) + 1
        users.append(
            f"{pk}\t{unusable}\t{opt(last_login)}\tf\t{name}\t\t\t{name}@bench.id\tf\tt\t"
            f"{ts(now - 400 * DAY)}\t{name}\t\t\tid\t\\N"
        )
        return pk

    def member(user_id: int, institution: int, role: str) -> None:
        members.append(f"{len(members) + 1}\t{user_id}\t{institution}\t{role}\tt\t{ts(now)}")

    national = user("nasional", now - 3600)
    member(national, tree["root"], "national_admin")
    member(user("auditor", now - 86400), tree["root"], "auditor")
    for pk in tree["top"]:
        # Most admins logged in within a month; a fifth has not for a long time.
        seen = now - (rng.exponential(6) if rng.random() < 0.8 else rng.uniform(40, 400)) * DAY
        admin_of[pk] = user(f"admin{pk}", seen)
        member(admin_of[pk], pk, "institution_admin")
        if tree["kinds"][pk] == "province":
            member(user(f"pimpinan{pk}", now - 5 * DAY), pk, "leadership")
    for kids in tree["children"].values():
        for pk in kids:
            admin_of[pk] = user(f"petugas{pk}", now - rng.exponential(10) * DAY)
            member(admin_of[pk], pk, "unit_officer")
    Copier(
        conn,
        "accounts_user",
        [
            "id",
            "password",
            "last_login",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
            "full_name",
            "nik",
            "phone",
            "language",
            "erased_at",
        ],
    ).write(users)
    Copier(
        conn,
        "accounts_membership",
        ["id", "user_id", "institution_id", "role", "is_active", "created_at"],
    ).write(members)
    decrees: list[str] = []
    for pk in tree["top"]:
        roll = rng.random()
        if roll < 0.7:
            decrees.append(f"{len(decrees) + 1}\t{pk}\tSK/{pk}/2024\t2024-01-15\t\\N\t\t{ts(now)}")
        elif roll < 0.8:
            decrees.append(
                f"{len(decrees) + 1}\t{pk}\tSK/{pk}/2019\t2019-01-15\t2021-12-31\t\t{ts(now)}"
            )
    Copier(
        conn,
        "institutions_complaintteamdecree",
        ["id", "institution_id", "number", "issued_on", "valid_until", "document", "created_at"],
    ).write(decrees)
    categories = []
    for i in range(10):
        categories.append(f"{i + 1}\tK{i + 1}\tTopik {i + 1}\t\\N\tt")
    for i in range(40):
        categories.append(f"{11 + i}\tK{i % 10 + 1}.{i}\tSubtopik {i}\t{i % 10 + 1}\tt")
    Copier(conn, "institutions_category", ["id", "code", "name", "parent_id", "is_active"]).write(
        categories
    )
    return {"national": national, "admin_of": admin_of}


# --- reports and events -------------------------------------------------------------------

REPORT_COLUMNS = [
    "id",
    "tracking_number",
    "guest_secret_hash",
    "report_type",
    "title",
    "body",
    "province_id",
    "category_id",
    "channel",
    "is_anonymous",
    "is_confidential",
    "contact_name",
    "contact_email",
    "contact_phone",
    "original_document",
    "state",
    "queue_institution_id",
    "responsible_institution_id",
    "resolution_class",
    "bounce_count",
    "needs_national_decision",
    "submitted_at",
    "verification_started_at",
    "verification_due_at",
    "routed_at",
    "first_response_due_at",
    "first_response_at",
    "completion_due_at",
    "extension_days",
    "answered_at",
    "reporter_window_due_at",
    "closed_at",
    "escalated_at",
    "archive_reason",
    "satisfaction_rating",
    "satisfaction_comment",
    "last_event_sequence",
    "updated_at",
]
EVENT_COLUMNS = [
    "id",
    "report_id",
    "sequence",
    "action",
    "actor_id",
    "actor_role",
    "from_state",
    "to_state",
    "reason",
    "message",
    "is_public",
    "data",
    "created_at",
]


class Reports:
    """Writes reports and their events in chunks; every field consistent with the workflow."""

    def __init__(
        self, conn: psycopg.Connection[Any], tree: dict[str, Any], people: dict[str, Any], rng: Any
    ) -> None:
        self.conn, self.tree, self.people, self.rng = conn, tree, people, rng
        known = {
            row[0]
            for row in conn.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'reports_report'"
            ).fetchall()
        }
        # The deadline sweeper's red flag (when the schema has it): set as a sweep would have.
        self.flags = {"overdue_stage", "overdue_since"} <= known
        extra = ["overdue_stage", "overdue_since"] if self.flags else []
        self.reports = Copier(conn, "reports_report", REPORT_COLUMNS + extra)
        self.events = Copier(conn, "reports_reportevent", EVENT_COLUMNS)
        self.now = time.time() - 3600
        self.start = START.timestamp()
        self.event_id = 0
        top = tree["top"]
        weights = 1.0 / np.arange(1, len(top) + 1) ** 0.8
        order = rng.permutation(len(top))
        self.top = np.asarray(top)[order]
        self.weights = weights / weights.sum()
        self.regions = dict(
            conn.execute("SELECT id, region_id FROM institutions_institution").fetchall()
        )
        self.province_of = dict(
            conn.execute(
                "SELECT r.id, COALESCE(r.province_id, r.id) FROM institutions_region r"
            ).fetchall()
        )

    def write(self, first_id: int, count: int) -> None:
        rng = self.rng
        u = rng.random(count)
        submitted = self.start + (self.now - self.start) * u**0.75
        chosen = rng.choice(len(self.top), size=count, p=self.weights)
        draws = rng.random((count, 10))
        kinds = rng.choice(3, size=count, p=[0.70, 0.18, 0.12])
        channels = rng.choice(len(CHANNELS), size=count, p=CHANNEL_P)
        categories = rng.integers(11, 51, size=count)
        ratings = rng.choice(5, size=count, p=RATING_P) + 1
        reports: list[str] = []
        events: list[str] = []
        for i in range(count):
            self._one(
                first_id + i,
                float(submitted[i]),
                int(self.top[chosen[i]]),
                draws[i],
                int(kinds[i]),
                CHANNELS[channels[i]],
                int(categories[i]),
                int(ratings[i]),
                reports,
                events,
            )
        self.reports.write(reports)
        self.events.write(events)

    def _event(
        self,
        out: list[str],
        report: int,
        seq: int,
        action: str,
        actor: int | None,
        role: str,
        before: str,
        after: str,
        at: float,
        data: str = "{}",
    ) -> None:
        self.event_id += 1
        out.append(
            f"{self.event_id}\t{report}\t{seq}\t{action}\t{actor or NULL}\t{role}\t{before}\t"
            f"{after}\t\t\tt\t{data}\t{ts(at)}"
        )

    def _one(
        self,
        pk: int,
        sub: float,
        target: int,
        d: Any,
        kind: int,
        channel: str,
        category: int,
        rating: int,
        reports: list[str],
        events: list[str],
    ) -> None:
        now = self.now
        rtype = ("pengaduan", "aspirasi", "informasi")[kind]
        rclass = ("investigation" if d[0] < 0.15 else "standard") if kind == 0 else "short"
        kids = self.tree["children"].get(target)
        unit = kids[int(d[1] * len(kids))] if kids and d[2] < 0.35 else target
        admin = self.people["admin_of"][unit]
        national = self.people["national"]
        ev: list[tuple[Any, ...]] = [("submit", None, "reporter", "", "awaiting_verification", sub)]
        f: dict[str, Any] = dict.fromkeys(
            [
                "queue",
                "responsible",
                "verification_due",
                "routed",
                "fr_due",
                "fr",
                "done_due",
                "answered",
                "window_due",
                "closed",
                "escalated",
                "rating",
            ]
        )
        f.update(state="awaiting_verification", bounce=0, reason="", cls="", vstart=sub)
        age = now - sub
        if d[3] < 0.07:
            f["closed"] = min(sub + (0.2 + d[4] * 3) * DAY, now)
            f.update(state="archived", reason="spam" if d[5] < 0.5 else "duplicate")
            ev.append(
                (
                    "archive",
                    national,
                    "national_admin",
                    "awaiting_verification",
                    "archived",
                    f["closed"],
                )
            )
        elif age < 4 * DAY and d[4] < 0.6:
            f["verification_due"] = sub + 5 * DAY
        else:
            self._handled(f, ev, sub, target, unit, admin, national, rclass, d, rating)
        if rtype != "pengaduan" or f["routed"] is not None:
            f["cls"] = rclass if f["routed"] is not None or f["state"] != "archived" else ""
        if f["routed"] is None:
            f["cls"] = ""
        region = self.regions.get(target)
        province = self.province_of.get(region) if region else None
        last = max(e[5] for e in ev)
        reports.append(
            "\t".join(
                [
                    str(pk),
                    f"B{pk:09d}",
                    "",
                    rtype,
                    f"Laporan {pk}",
                    "Isi laporan.",
                    str(province) if province else NULL,
                    str(category),
                    channel,
                    "t" if d[6] < 0.1 else "f",
                    "t" if d[7] < 0.05 else "f",
                    "",
                    "",
                    "",
                    "",
                    f["state"],
                    str(f["queue"]) if f["queue"] else NULL,
                    str(f["responsible"]) if f["responsible"] else NULL,
                    f["cls"],
                    str(f["bounce"]),
                    "f",
                    ts(sub),
                    ts(f["vstart"]),
                    opt(f["verification_due"]),
                    opt(f["routed"]),
                    opt(f["fr_due"]),
                    opt(f["fr"]),
                    opt(f["done_due"]),
                    "0",
                    opt(f["answered"]),
                    opt(f["window_due"]),
                    opt(f["closed"]),
                    opt(f["escalated"]),
                    f["reason"],
                    str(f["rating"]) if f["rating"] else NULL,
                    "",
                    str(len(ev)),
                    ts(last),
                    *(self._flag(f) if self.flags else ()),
                ]
            )
        )
        for seq, (action, actor, role, before, after, at, *data) in enumerate(ev, start=1):
            self._event(
                events, pk, seq, action, actor, role, before, after, at, data[0] if data else "{}"
            )

    def _flag(self, f: dict[str, Any]) -> tuple[str, str]:
        """(overdue_stage, overdue_since) of a report whose open stage's deadline passed."""
        if f["state"] == "awaiting_verification" and f["verification_due"] is not None:
            if f["verification_due"] < self.now:
                return "verification", ts(f["verification_due"])
        if f["state"] in ("routed", "in_progress") and f["done_due"] is not None:
            if f["done_due"] < self.now:
                return "completion", ts(f["done_due"])
        return "", NULL

    def _handled(
        self,
        f: dict[str, Any],
        ev: list[tuple[Any, ...]],
        sub: float,
        target: int,
        unit: int,
        admin: int,
        national: int,
        rclass: str,
        d: Any,
        rating: int,
    ) -> None:
        now = self.now
        routed = min(sub + (0.05 + d[4] * 4) * DAY, now)
        first_unit = unit
        if d[5] < 0.04 and now - sub > 10 * DAY:
            # "Not our authority": first routed elsewhere, declined, then routed here.
            wrong = int(self.top[int(d[9] * len(self.top))])
            ev.append(
                (
                    "route",
                    national,
                    "national_admin",
                    "awaiting_verification",
                    "routed",
                    routed,
                    f'{{"institution_id": {wrong}}}',
                )
            )
            declined = routed + (0.5 + d[8] * 3) * DAY
            ev.append(
                (
                    "decline",
                    self.people["admin_of"][wrong],
                    "institution_admin",
                    "routed",
                    "awaiting_verification",
                    declined,
                    f'{{"declined_by_id": {wrong}}}',
                )
            )
            routed = declined + (0.2 + d[8] * 2) * DAY
            f["bounce"] = 1
        f.update(queue=first_unit, responsible=target, routed=routed, state="routed")
        ev.append(
            (
                "route",
                national,
                "national_admin",
                "awaiting_verification",
                "routed",
                routed,
                f'{{"institution_id": {unit}}}',
            )
        )
        limit = COMPLETION_DAYS[rclass] * 1.4 * DAY
        fr = routed + self.rng.exponential(3.5) * DAY if d[6] < 0.93 else None
        answer = routed + (0.2 + 0.8 * d[7] if d[8] < 0.7 else 1 + 1.5 * d[7]) * limit
        if fr is not None and fr < now and (fr < answer):
            f.update(fr=fr, state="in_progress")
            ev.append(("follow_up", admin, "unit_officer", "routed", "in_progress", fr))
        if d[9] < 0.9 and answer < now:
            if f["fr"] is None:
                f["fr"] = answer
            f.update(answered=answer, state="answered")
            ev.append(("answer", admin, "unit_officer", f["state"], "answered", answer))
            final = answer
            if d[0] > 0.94 and answer + 2 * DAY < now:
                reopened = answer + (0.5 + d[1] * 4) * DAY
                again = reopened + (1 + d[2] * 9) * DAY
                ev.append(("reopen", None, "reporter", "answered", "in_progress", reopened))
                if again < now:
                    ev.append(("answer", admin, "unit_officer", "in_progress", "answered", again))
                    f["answered"] = final = again
                else:
                    f.update(state="in_progress", done_due=routed + limit)
                    return
            closed = final + (1 + d[3] * 13) * DAY
            if closed < now:
                by_reporter = d[4] < 0.5
                f.update(state="finished", closed=closed)
                f["rating"] = rating if by_reporter and d[5] < 0.7 else None
                ev.append(
                    (
                        "confirm" if by_reporter else "close_after_window",
                        None,
                        "reporter" if by_reporter else "system",
                        "answered",
                        "finished",
                        closed,
                    )
                )
            else:
                f["window_due"] = final + 14 * DAY
            return
        f["done_due"] = routed + limit
        if f["fr"] is None:
            f["fr_due"] = routed + 7 * DAY
        if f["done_due"] < now - 30 * DAY and d[0] < 0.05:
            escalated = f["done_due"] + (5 + 25 * d[1]) * DAY
            if escalated < now:
                f.update(
                    state="escalated",
                    escalated=escalated,
                    closed=escalated,
                    done_due=None,
                    fr_due=None,
                )
                ev.append(
                    ("escalate", national, "national_admin", "routed", "escalated", escalated)
                )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=2_200_000)
    parser.add_argument("--database", default="bench_dashboards")
    parser.add_argument("--chunk", type=int, default=25_000)
    parser.add_argument("--skip-refresh", action="store_true")
    args = parser.parse_args()
    started = time.monotonic()
    recreate(args.database)
    manage(args.database, "migrate", "--noinput", "-v", "0")
    manage(args.database, "seed_holidays", "--years", "2014-2027")
    log("database migrated, holidays seeded", started)
    rng = np.random.default_rng(SEED)
    with psycopg.connect(f"{SERVER}/{args.database}", autocommit=True) as conn:
        # Bulk load: foreign keys hold by construction, so their triggers are skipped for this
        # session (superuser on the benchmark database only), and commits do not wait for WAL.
        conn.execute("SET session_replication_role = replica")
        conn.execute("SET synchronous_commit = off")
        tree = build_tree(conn)
        people = build_people(conn, tree, rng)
        log(f"{tree['count']} institutions ({len(tree['top'])} K/L/D), staff, decrees", started)
        writer = Reports(conn, tree, people, rng)
        for first in range(1, args.reports + 1, args.chunk):
            writer.write(first, min(args.chunk, args.reports - first + 1))
            if (first - 1) % (args.chunk * 20) == 0:
                log(f"{first - 1 + args.chunk:,} reports", started)
        for table in (
            "institutions_institution",
            "accounts_user",
            "accounts_membership",
            "institutions_complaintteamdecree",
            "institutions_category",
            "reports_report",
            "reports_reportevent",
        ):
            conn.execute(  # table names are the constants above
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        log(f"{args.reports:,} reports and {writer.event_id:,} events written", started)
        conn.execute("VACUUM ANALYZE")
        log("vacuum analyze", started)
    if not args.skip_refresh:
        refresh_started = time.monotonic()
        manage(args.database, "refresh_dashboard_stats", "--full")
        log(f"refresh_dashboard_stats --full: {time.monotonic() - refresh_started:.0f} s", started)
        with psycopg.connect(f"{SERVER}/{args.database}", autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
    log("done", started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
