"""Intake benchmark: sustained report submissions against gunicorn + PostgreSQL.

Run with `make bench-intake` (`.venv/bin/python bench/bench_intake.py`). It recreates the
PostgreSQL database `bench_intake` (on BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432),
migrates it, creates a category, an institution, an API integration token and an Open311 key,
starts gunicorn on 127.0.0.1, and drives it with 32 concurrent clients (threads, http.client,
keep-alive) for 30 s per endpoint:

* `POST /api/v1/reports` (JSON, bearer token of an integration), and
* Open311 `POST /open311/v2/requests.json` (form-encoded, api_key).

It prints submissions per second and p50/p95/p99 latency, then counts every submitted report
back in the database (each 2xx answer's tracking number must exist; nothing else may), prints
the machine (CPU, cores, RAM, load average) and writes its section of docs/benchmarks.md.

The server runs as in production: DEBUG off, the database task queue, sync workers. A
submission queues its event's announcement in its own transaction; afterwards one `db_worker`
works on that queue for --worker-seconds and its throughput is reported (messages and webhooks
are the worker's work).
The API's per-token and per-address submission limits are switched off
(API_RATE_LIMIT_*=0): with them on, 32 clients from one address are refused after 300/minute,
which is the point of the limits, not of this benchmark.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402

SECTION = "## Intake (make bench-intake)"
DOC = ROOT / "docs" / "benchmarks.md"
PYTHON = sys.executable
TARGET_RATE, TARGET_P95_MS = 200.0, 150.0


# --- machine and environment -------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu, ram_kb = common.cpu_model(), common.memory_kib()
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": f"{ram_kb / 1024 / 1024:.1f} GiB" if ram_kb else "unknown",
        "python": platform.python_version(),
    }


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "TASKS_BACKEND": "db",
            "LOG_LEVEL": "WARNING",
            "API_RATE_LIMIT_SUBMIT_PER_MINUTE": "0",
            "API_RATE_LIMIT_SUBMIT_PER_MINUTE_PER_IP": "0",
            "LAPOR_VAR_DIR": str(ROOT / "var" / "bench"),
        }
    )
    env.pop("SQLITE_PATH", None)
    return env


def recreate_database(base_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(f"{base_url.rstrip('/')}/postgres", autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
        version = conn.execute("SHOW server_version").fetchone()
    return str(version[0]) if version else "?"


# --- fixtures (inside Django, on the benchmark database) -------------------------------------


@dataclass
class Fixtures:
    category_id: int
    category_code: str
    api_token: str | None
    api_note: str
    open311_key: str


def seed() -> Fixtures:
    from lapor.channels.models import Open311Client
    from lapor.institutions.models import Category
    from lapor.institutions.services import create_institution

    national = create_institution(code="BENCH-NAS", name="Pengelola nasional", kind="national")
    city = create_institution(
        code="BENCH-KOTA", name="Pemerintah Kota Uji", kind="city", parent=national
    )
    category = Category.objects.create(code="BENCH-JALAN", name="Jalan rusak")
    _, open311_key = Open311Client.issue("Bench Open311")
    token, note = None, ""
    try:
        from lapor.api.auth import issue_token

        _, token = issue_token(name="Bench API", institution=city)
    except ImportError as error:  # the REST API is not there (yet)
        note = f"REST API token not available: {error}"
    return Fixtures(category.pk, category.code, token, note, open311_key)


# --- load ------------------------------------------------------------------------------------


@dataclass
class Sample:
    started: float
    seconds: float
    status: int
    tracking: str | None


@dataclass
class Phase:
    name: str
    samples: list[Sample] = field(default_factory=list)
    duration: float = 0.0
    server_cpu: float = 0.0  # CPU seconds of the gunicorn processes during the phase
    database_cpu: float = 0.0  # ... of the rest of the machine: PostgreSQL, mostly
    client_cpu: float = 0.0  # ... of this process (the client threads)

    @property
    def ok(self) -> list[Sample]:
        return [s for s in self.samples if 200 <= s.status < 300]

    def percentile(self, p: float) -> float:
        times = sorted(s.seconds for s in self.ok)
        if not times:
            return float("nan")
        index = min(len(times) - 1, max(0, round(p / 100 * len(times)) - 1))
        return times[index] * 1000

    @property
    def rate(self) -> float:
        return len(self.ok) / self.duration if self.duration else 0.0


class Client(threading.Thread):
    def __init__(self, port: int, make_request: Any, phase: Phase, stop_at: float, index: int):
        super().__init__(daemon=True)
        self.port, self.make_request, self.phase = port, make_request, phase
        self.stop_at, self.index, self.count = stop_at, index, 0
        self.samples: list[Sample] = []

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        while time.perf_counter() < self.stop_at:
            self.count += 1
            method, path, body, headers, parse = self.make_request(self.index, self.count)
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                status, data = 599, b""
            elapsed = time.perf_counter() - started
            tracking = parse(data) if 200 <= status < 300 else None
            self.samples.append(Sample(started, elapsed, status, tracking))
        conn.close()


def api_request(fixtures: Fixtures) -> Any:
    headers = {
        "Authorization": f"Bearer {fixtures.api_token}",
        "Content-Type": "application/json",
    }

    def make(index: int, count: int) -> tuple[str, str, bytes, dict[str, str], Any]:
        body = {
            "report_type": "pengaduan",
            "title": f"Jalan berlubang klien {index} nomor {count}",
            "body": "Lubang besar di tengah jalan membahayakan pengendara motor, mohon diperbaiki.",
            "province": "64",
            "regency": "64.72",
            "category": fixtures.category_id,
            "contact_phone": f"0812{index:04d}{count % 10000:04d}",
        }
        return "POST", "/api/v1/reports", json.dumps(body).encode(), headers, _api_tracking

    return make


def _api_tracking(data: bytes) -> str | None:
    try:
        return str(json.loads(data)["report"]["tracking_number"])
    except (ValueError, KeyError, TypeError):
        return None


def open311_request(fixtures: Fixtures) -> Any:
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}

    def make(index: int, count: int) -> tuple[str, str, bytes, dict[str, str], Any]:
        form = {
            "api_key": fixtures.open311_key,
            "service_code": fixtures.category_code,
            "lat": "-0.502106",
            "long": "117.153709",
            "address_string": "Jl. Juanda, Samarinda",
            "email": f"warga{index}.{count}@contoh.id",
            "description": f"Lubang besar di Jl. Juanda (klien {index}, laporan {count}).",
        }
        body = urllib.parse.urlencode(form).encode()
        return "POST", "/open311/v2/requests.json", body, headers, _open311_tracking

    return make


def _open311_tracking(data: bytes) -> str | None:
    try:
        return str(json.loads(data)[0]["service_request_id"])
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def process_tree_cpu(root: int) -> float:
    """CPU seconds (user + system) of `root` and its children, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if root in (int(stat.parent.name), int(fields[1])):
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def machine_cpu() -> float:
    """Busy CPU seconds of the whole machine (all cores) since boot, from /proc/stat. Per
    process sums miss the PostgreSQL backends that exit during a phase (connections are
    recycled), so the database's share is the machine's minus the server's and the client's."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def drive(
    name: str, port: int, make: Any, clients: int, seconds: float, server_pid: int = 0
) -> Phase:
    phase = Phase(name)
    stop_at = time.perf_counter() + seconds
    threads = [Client(port, make, phase, stop_at, i) for i in range(clients)]
    cpu_before = process_tree_cpu(server_pid) if server_pid else 0.0
    machine_before, client_before = machine_cpu(), time.process_time()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.duration = time.perf_counter() - started
    phase.server_cpu = process_tree_cpu(server_pid) - cpu_before if server_pid else 0.0
    phase.client_cpu = time.process_time() - client_before
    phase.database_cpu = machine_cpu() - machine_before - phase.server_cpu - phase.client_cpu
    for thread in threads:
        phase.samples.extend(thread.samples)
    return phase


# --- server ----------------------------------------------------------------------------------


def start_gunicorn(
    env: dict[str, str], port: int, workers: int, threads: int, app: str = "lapor.wsgi:application"
) -> Any:
    command = [
        str(Path(PYTHON).parent / "gunicorn"),
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--backlog",
        "2048",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/open311/v2/discovery.json")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop(server: Any) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(server.pid, signal.SIGKILL)


# --- counting back ---------------------------------------------------------------------------


def count_back(phase: Phase, channel: str) -> dict[str, int]:
    from lapor.reports.models import Report

    numbers = {s.tracking for s in phase.ok if s.tracking}
    found = 0
    chunk = sorted(numbers)
    for start in range(0, len(chunk), 1000):
        found += Report.objects.filter(
            tracking_number__in=chunk[start : start + 1000], channel=channel
        ).count()
    return {
        "answered_2xx": len(phase.ok),
        "without_number": sum(1 for s in phase.ok if not s.tracking),
        "distinct_numbers": len(numbers),
        "found": found,
        "in_database": Report.objects.filter(channel=channel).count(),
    }


# --- report ----------------------------------------------------------------------------------


def summary_rows(phases: list[Phase], counts: dict[str, dict[str, int]]) -> list[str]:
    rows = [
        "| endpoint | submissions | seconds | per second | p50 ms | p95 ms | p99 ms "
        "| CPU ms per submission: server / database and the rest / client | errors "
        "| counted back "
        "| target met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|",
    ]
    for phase in phases:
        errors = Counter(s.status for s in phase.samples if not 200 <= s.status < 300)
        error_text = ", ".join(f"{k}: {v}" for k, v in sorted(errors.items())) or "none"
        c = counts[phase.name]
        lost = c["answered_2xx"] - c["found"]
        back = (
            f"{c['found']:,}/{c['answered_2xx']:,} ({'none lost' if lost == 0 else f'{lost} LOST'})"
        )
        per = 1000 / len(phase.ok) if phase.ok else float("nan")
        cpu = (
            f"{phase.server_cpu * per:.1f} / {phase.database_cpu * per:.1f} / "
            f"{phase.client_cpu * per:.1f}"
        )
        met = phase.rate >= TARGET_RATE and phase.percentile(95) < TARGET_P95_MS and lost == 0
        rows.append(
            f"| {phase.name} | {len(phase.ok):,} | {phase.duration:.1f} | {phase.rate:,.0f} "
            f"| {phase.percentile(50):.0f} | {phase.percentile(95):.0f} "
            f"| {phase.percentile(99):.0f} | {cpu} | {error_text} | {back} "
            f"| {'yes' if met else 'no'} |"
        )
    return rows


def write_section(text: str) -> None:
    common.write_section(SECTION, text)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="per endpoint (default 30)")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every endpoint")
    # As docs/deployment.md runs it: sync workers, 2 x cores + 1 of them.
    default_workers = 2 * (os.cpu_count() or 1) + 1
    parser.add_argument(
        "--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", default_workers))
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=int(os.environ.get("BENCH_THREADS", 1)),
        help="1: sync workers (the default, as deployed); more: gthread",
    )
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--no-write", action="store_true", help="do not update the docs")
    parser.add_argument(
        "--worker-seconds",
        type=float,
        default=30.0,
        help="after the load, how long a db_worker drains the queue (0: skip)",
    )
    return parser.parse_args()


def prepare(name: str) -> tuple[dict[str, str], str]:
    """A fresh, migrated database; this process set up on it. Returns (server env, PG version)."""
    base = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
    pg_version = recreate_database(base, name)
    env = server_env(f"{base.rstrip('/')}/{name}")
    for key in ("DATABASE_URL", "DEBUG", "SECRET_KEY", "LAPOR_VAR_DIR"):
        os.environ[key] = env[key]
    os.environ.pop("SQLITE_PATH", None)
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
    import django

    django.setup()
    return env, pg_version


@dataclass
class Round:
    title: str
    phases: list[Phase]
    channels: list[str]
    warmups: list[Phase]


def run_round(
    title: str, app: str, env: dict[str, str], targets: list[Any], args: argparse.Namespace
) -> Round:
    port = free_port()
    server = start_gunicorn(env, port, args.workers, args.threads, app)
    result = Round(title, [], [], [])
    try:
        for label, channel, make in targets:
            result.warmups.append(drive("warm-up", port, make, args.clients, args.warmup))
            print(f"{title}: {label}, {args.clients} clients for {args.seconds:.0f} s", flush=True)
            result.phases.append(drive(label, port, make, args.clients, args.seconds, server.pid))
            result.channels.append(channel)
    finally:
        stop(server)
    return result


def ceilings(rounds: list[Round], clients: int) -> list[str]:
    """What the CPU accounting says the machine can do at most, per endpoint."""
    cores = os.cpu_count() or 1
    # Closed loop: latency is about clients / rate, so a p95 under the target needs a rate
    # comfortably above clients / target (the 1.3 is the spread between p50 and p95 seen here).
    needed = clients / (TARGET_P95_MS / 1000) * 1.3
    lines = []
    for phase in (p for r in rounds for p in r.phases):
        if not phase.ok:
            continue
        total = (phase.server_cpu + phase.database_cpu + phase.client_cpu) / len(phase.ok)
        lines.append(
            f"- {phase.name}: {total * 1000:.1f} ms of CPU per submission in all, so "
            f"{cores} cores top out near {cores / total:.0f} per second; a p95 under "
            f"{TARGET_P95_MS:.0f} ms with {clients} clients needs about {needed:.0f} per second."
        )
    return ["Ceilings on this machine:", "", *lines] if lines else []


def drain_for(env: dict[str, str], seconds: float) -> str:
    """Run one db_worker on the queue the load left for `seconds`; say what it got done."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from lapor.notifications.models import Notification
    from lapor.reports.outbox import announce_events_task

    announcements = DBTaskResult.objects.filter(task_path=announce_events_task.module_path)
    waiting = announcements.filter(status="READY").count()
    # The queue table went from empty to thousands of rows in a minute: without fresh planner
    # statistics (autovacuum's job in a running system) every claim sorts the whole queue.
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {DBTaskResult._meta.db_table}")
    worker_env = {**env, "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    worker_env["SMS_BACKEND"] = "console"
    command = [PYTHON, "manage.py", "db_worker", "--no-startup-delay", "--no-reload"]
    print(f"Worker: draining the queue for {seconds:.0f} s ({waiting:,} announcements)", flush=True)
    worker = subprocess.Popen(
        command, cwd=ROOT, env=worker_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(seconds)
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=60)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
    done = announcements.filter(status="SUCCESSFUL").count()
    sent = Notification.objects.filter(status="sent").count()
    created = Notification.objects.count()
    rate = done / seconds
    left = f"{(waiting - done) / rate / 60:.0f} more minutes" if rate else "unknown"
    return (
        f"The worker afterwards (one `db_worker` process, console/locmem gateways, "
        f"{seconds:.0f} s on the queue the load left, its table analysed first): "
        f"{done:,} of {waiting:,} submissions "
        f"announced ({rate:.0f} per second), {created:,} messages created and {sent:,} sent. "
        f"At that rate the rest of the queue needed about {left}; the worker scales out "
        "(several workers share the queue on PostgreSQL)."
    )


def total_check(rounds: list[Round]) -> tuple[int, int]:
    """(reports in the database, 2xx answers of every phase and warm-up): equal when nothing
    was lost and nothing extra was made."""
    from lapor.reports.models import Report

    answered = sum(len(p.ok) for r in rounds for p in [*r.phases, *r.warmups])
    return Report.objects.count(), answered


def worker_kind(args: argparse.Namespace) -> str:
    if args.threads <= 1:
        return f"{args.workers} sync workers"
    return f"{args.workers} workers x {args.threads} threads (gthread)"


def report_text(args: argparse.Namespace, rounds: list[Round], context: dict[str, str]) -> str:
    info = machine()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    in_db, answered = total_check(rounds)
    lines = [
        SECTION,
        "",
        f"Run on {when} by `bench/bench_intake.py`.",
        "",
        f"- Machine: {info['platform']}; {info['cpu']}; {info['cores']} cores; RAM {info['ram']}",
        f"- Load average (1, 5, 15 min) before: {context['load_before']}; "
        f"after: {context['load_after']}",
        f"- Python {info['python']}; PostgreSQL {context['pg']} on 127.0.0.1 "
        f"(database `{context['db']}`, fresh and migrated)",
        f"- gunicorn: {worker_kind(args)}, as docs/deployment.md runs it; DEBUG off, "
        "task queue in the database",
        f"- Load: {args.clients} concurrent clients (threads, http.client; keep-alive where the "
        "server keeps connections open, which sync workers do not), "
        f"{args.seconds:.0f} s per endpoint after {args.warmup:.0f} s of warm-up, "
        "every request a new report",
    ]
    for item in rounds:
        counts = {p.name: count_back(p, c) for p, c in zip(item.phases, item.channels, strict=True)}
        lines += ["", f"{item.title}:", "", *summary_rows(item.phases, counts)]
    lines += [
        "",
        f"Counted back: {in_db:,} reports in the database for {answered:,} 2xx answers "
        "(measured and warm-up, all runs) "
        + ("- none lost, none extra." if in_db == answered else "- MISMATCH."),
        "",
        f"Targets: at least {TARGET_RATE:.0f} submissions per second with p95 under "
        f"{TARGET_P95_MS:.0f} ms, none lost (every 2xx answer's tracking number is in the "
        "database with the right channel).",
        "",
        "Reading the figures: the server is CPU-bound on two cores shared with PostgreSQL and the "
        f"{args.clients} client threads, so throughput is about (2 cores minus the database's "
        "and the clients' share) / server CPU per submission, and latency is the queue of "
        f"{args.clients} clients in front of it (each client sends its next report as soon as "
        "the last is answered: p50 is about clients / rate). A submission writes the report, "
        "its assignment, its event and the event's announcement task in one transaction; "
        "the messages and webhook deliveries are the worker's work, after the answer. "
        "CPU per submission: user + system time of the gunicorn processes, of the rest of "
        "the machine (PostgreSQL, mostly) and of the client threads, divided by the "
        "submissions answered.",
        "",
        "Why sync workers: with gthread workers (2 x 8 threads, measured 2026-12-04) the rates "
        "were alike but p95 was 160-280 ms: each keep-alive connection stays with the worker "
        "that accepted it, the workers end up with unequal shares of the clients, and the "
        "clients of the busier one wait longer. Sync workers take the next connection only "
        "when free, so the queue is shared and fair (p95 about 1.2 x p50); behind nginx, as "
        "deployed, gunicorn sees a new connection per request anyway.",
    ]
    lines += ["", *ceilings(rounds, args.clients)]
    if context.get("worker"):
        lines += ["", str(context["worker"])]
    if context.get("api_note"):
        lines += ["", f"Not measured: the REST API. {context['api_note']}"]
    return "\n".join(lines) + "\n"


def main() -> None:
    args = parse_args()
    name = os.environ.get("BENCH_PG_DB", "bench_intake")
    env, pg_version = prepare(name)
    fixtures = seed()
    targets: list[Any] = [("Open311 POST requests", "open311", open311_request(fixtures))]
    if fixtures.api_token:
        targets.insert(0, ("REST POST /api/v1/reports", "api", api_request(fixtures)))
    context = {"load_before": load_average(), "pg": pg_version, "db": name}
    context["api_note"] = fixtures.api_note
    # The machine is shared and its speed drifts by tens of percent within minutes: several
    # rounds (each with a fresh gunicorn) show the spread instead of one lucky or unlucky run.
    rounds = [
        run_round(f"Round {n} of {args.rounds}", "lapor.wsgi:application", env, targets, args)
        for n in range(1, args.rounds + 1)
    ]
    context["load_after"] = load_average()
    if args.worker_seconds > 0:
        context["worker"] = drain_for(env, args.worker_seconds)
    text = report_text(args, rounds, context)
    print()
    print(text)
    if not args.no_write:
        write_section(text)
        print(f"Written to {DOC.relative_to(ROOT)}.")
    lost = sum(
        count_back(p, c)["answered_2xx"] - count_back(p, c)["found"]
        for r in rounds
        for p, c in zip(r.phases, r.channels, strict=True)
    )
    if lost:
        raise SystemExit(f"{lost} submitted report(s) missing from the database")


if __name__ == "__main__":
    main()
