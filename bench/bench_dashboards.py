"""Benchmark of the dashboards on PostgreSQL with 2,200,000 reports (make bench-dashboards).

    .venv/bin/python bench/bench_dashboards.py [--database bench_dashboards] [--generate]

The database comes from bench/gen_dashboards_data.py (--generate runs it first when the
database is missing). Pages are requested in-process through Django's test client (the whole
middleware, view and template stack, no network), with DEBUG off and collected static files:

- cold: a fresh database connection and an empty Django cache before each request (what the
  first visitor after a summary refresh pays; PostgreSQL's own buffers stay as they are: the
  machine is shared, so the server is not restarted);
- warm: the same request again (figures served from the cache, which holds them until the
  next refresh);
- warm, no app cache: the cache emptied but the connection kept: the database work alone.

The 2,200,000-row CSV export runs in a child process that reports its peak resident memory
(VmHWM). Prints the machine and writes the "Dashboards" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402

SERVER = "postgres://postgres@127.0.0.1:5432"
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Dashboards (make bench-dashboards)"
PERIOD = "periode=2025"
STATIC = Path(tempfile.gettempdir()) / "lapor-bench-static"


def configure(database: str) -> None:
    os.environ["DATABASE_URL"] = f"{SERVER}/{database}"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-dashboards-" + "x" * 40)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["STATIC_ROOT"] = str(STATIC)
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
    import django

    django.setup()


def database_ready(database: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(f"{SERVER}/{database}") as conn:
            row = conn.execute("SELECT count(*) FROM dashboards_statsrefresh").fetchone()
            return bool(row and row[0])
    except psycopg.Error:
        return False


def machine() -> dict[str, str]:
    cpu = common.cpu_model()
    mem_kb = common.memory_kib()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]  # type: ignore[index]
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    return {
        "platform": platform.platform(),
        "cpu": f"{cpu} ({os.cpu_count()} logical CPUs)",
        "ram": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "python": platform.python_version(),
        "postgresql": pg,
        "load": load,
    }


def data_figures() -> dict[str, int]:
    from django.db import connection

    figures = {}
    with connection.cursor() as cursor:
        for label, table in (
            ("reports", "reports_report"),
            ("events", "reports_reportevent"),
            ("institutions", "institutions_institution"),
            ("facts", "dashboards_reportfact"),
            ("monthly_stats", "dashboards_monthlystats"),
            ("monthly_durations", "dashboards_monthlyduration"),
            ("monthly_breakdowns", "dashboards_monthlybreakdown"),
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - constant names
            figures[label] = cursor.fetchone()[0]  # type: ignore[index]
        cursor.execute("SELECT pg_database_size(current_database())")
        figures["database_bytes"] = cursor.fetchone()[0]  # type: ignore[index]
        cursor.execute(
            "SELECT count(*) FROM dashboards_reportfact "
            "WHERE day BETWEEN '2025-01-01' AND '2025-12-31'"
        )
        figures["period_reports"] = cursor.fetchone()[0]  # type: ignore[index]
        cursor.execute("SELECT count(*) FROM reports_report WHERE overdue_since IS NOT NULL")
        figures["overdue"] = cursor.fetchone()[0]  # type: ignore[index]
    return figures


def pages() -> list[tuple[str, str]]:
    """(label, URL): the three pages of the issue, then three more for context. The institution
    and the province are the ones with the most reports (subtree included)."""
    from django.db.models import Count

    from lapor.dashboards.models import ReportFact
    from lapor.institutions.models import Institution

    per_path = list(ReportFact.objects.values_list("institution__path").annotate(n=Count("pk")))

    def biggest(kinds: tuple[str, ...]) -> Institution:
        tops = list(Institution.objects.filter(kind__in=kinds))
        counts = {
            t.pk: sum(n for path, n in per_path if (path or "").startswith(t.path)) for t in tops
        }
        return max(tops, key=lambda t: counts[t.pk])

    province = biggest(("province",))
    institution = biggest(("ministry", "agency", "regency", "city"))
    ranking = f"/dasbor/peringkat/?kelompok=kabupaten-kota&{PERIOD}"
    dashboard = f"/dasbor/instansi/{institution.pk}/"
    return [
        ("national ranking (514 regencies/cities)", ranking),
        (f"institution dashboard ({institution.name})", f"{dashboard}?{PERIOD}"),
        (
            f"province leadership view ({province.name}, its regencies, cities and departments)",
            f"/dasbor/provinsi/{province.pk}/?{PERIOD}",
        ),
        ("national dashboard", f"/dasbor/nasional/?{PERIOD}"),
        ("public statistics (no login)", f"/statistik/?{PERIOD}"),
        (
            "the same institution, 15 Feb - 10 Apr 2025 (partial months from the facts)",
            f"{dashboard}?dari=2025-02-15&sampai=2025-04-10",
        ),
    ]


def timed(client: Any, url: str, prepare: Any) -> float:
    prepare()
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed * 1000


def measure(cold_runs: int, warm_runs: int) -> list[dict[str, Any]]:
    from django.core.cache import cache
    from django.db import connections
    from django.test import Client

    from lapor.accounts.models import Membership

    admin = Membership.objects.filter(role="national_admin").select_related("user").first()
    assert admin is not None
    client = Client()
    client.force_login(admin.user)

    def cold() -> None:
        connections.close_all()
        cache.clear()

    results = []
    for label, url in pages():
        colds = [timed(client, url, cold) for _ in range(cold_runs)]
        client.get(url)
        warms = [timed(client, url, lambda: None) for _ in range(warm_runs)]
        nocache = [timed(client, url, cache.clear) for _ in range(max(3, warm_runs // 4))]
        results.append(
            {
                "label": label,
                "url": url,
                "cold_median": statistics.median(colds),
                "cold_max": max(colds),
                "warm_median": statistics.median(warms),
                "warm_p95": sorted(warms)[int(0.95 * (len(warms) - 1))],
                "nocache_median": statistics.median(nocache),
            }
        )
        r = results[-1]
        print(
            f"{label}: cold {r['cold_median']:.0f} ms (max {r['cold_max']:.0f}), "
            f"warm {r['warm_median']:.1f} ms, no app cache {r['nocache_median']:.0f} ms",
            flush=True,
        )
    return results


def export_child() -> None:
    """Run the full CSV export in this process and print its figures as JSON."""
    from django.test import Client

    from lapor.accounts.models import Membership

    def vmhwm() -> int:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM"):
                return int(line.split()[1])
        return 0

    admin = Membership.objects.filter(role="national_admin").select_related("user").first()
    assert admin is not None
    client = Client()
    client.force_login(admin.user)
    url = "/dasbor/laporan/?indikator=received&dari=2014-01-01&sampai=2027-12-31&ekspor=laporan"
    before = vmhwm()
    started = time.perf_counter()
    response = client.get(url + "&format=csv")
    rows = size = 0
    for chunk in response.streaming_content:  # type: ignore[attr-defined]
        size += len(chunk)
        rows += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "rows": rows - 1,
                "bytes": size,
                "seconds": seconds,
                "vmhwm_kb": vmhwm(),
                "baseline_kb": before,
            }
        )
    )


def run_export(database: str) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": f"{SERVER}/{database}"}
    output = subprocess.run(
        [sys.executable, __file__, "--database", database, "--export-child"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])  # type: ignore[no-any-return]


def refresh_figures() -> dict[str, Any]:
    """The last full rebuild's duration (from its log row), and an incremental run timed now
    after touching 1,500 recent reports (about a day of moves nationally)."""
    from django.utils import timezone

    from lapor.dashboards.models import StatsRefresh
    from lapor.dashboards.refresh import refresh_stats
    from lapor.reports.models import Report

    full = StatsRefresh.objects.filter(since__isnull=True, finished_at__isnull=False).first()
    # A day of moves touches mostly reports of the last weeks: 1,500 of the last 90 days.
    recent = Report.objects.filter(submitted_at__gte=timezone.now() - timedelta(days=90))
    ids = list(recent.order_by("?").values_list("pk", flat=True)[:1500])
    Report.objects.filter(pk__in=ids).update(updated_at=timezone.now())
    result = refresh_stats()
    return {
        "full_seconds": (
            (full.finished_at - full.started_at).total_seconds()
            if full and full.finished_at
            else None
        ),
        "full_reports": full.reports if full else None,
        "incremental_seconds": result.seconds,
        "incremental_reports": result.reports,
        "incremental_months": result.months,
    }


def markdown(
    info: dict[str, str],
    data: dict[str, int],
    results: list[dict[str, Any]],
    export: dict[str, Any],
    refresh: dict[str, Any],
) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        SECTION,
        "",
        f"Run on {now} by `bench/bench_dashboards.py` against the database made by "
        "`bench/gen_dashboards_data.py`.",
        "",
        f"- Machine: {info['platform']}; {info['cpu']}; {info['ram']} RAM; shared with other "
        f"engineers (load average at start {info['load']})",
        f"- PostgreSQL {info['postgresql']} (127.0.0.1, default configuration), "
        f"Python {info['python']}",
        f"- Data: {data['reports']:,} reports and {data['events']:,} events across "
        f"{data['institutions']:,} institutions (700 K/L/D with their departments and units), "
        f"2015-2026 ({data['overdue']:,} of them overdue now); database "
        f"{data['database_bytes'] / 2**30:.1f} GiB",
        f"- Summaries: {data['facts']:,} report facts, {data['monthly_stats']:,} monthly counter "
        f"rows, {data['monthly_durations']:,} duration rows, {data['monthly_breakdowns']:,} "
        "breakdown rows",
        "- Pages requested in-process through Django's test client (middleware, view, template; "
        f"no network), DEBUG off, period: the year 2025 ({data['period_reports']:,} reports); "
        "median of 5 cold and 20 warm requests",
        "",
        "| page | cold, median (max) | warm, median (p95) | warm, no app cache |",
        "|---|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['label']} | {r['cold_median']:.0f} ms ({r['cold_max']:.0f}) | "
            f"{r['warm_median']:.1f} ms ({r['warm_p95']:.1f}) | {r['nocache_median']:.0f} ms |"
        )
    lines += [
        "",
        "Cold: a new database connection and an empty Django cache before each request (the "
        "first visitor after a summary refresh); PostgreSQL's shared buffers and the OS page "
        "cache were not dropped (shared machine). Warm: the same request again; the figures "
        "come from the cache, keyed by the summary version, until the next refresh. No app "
        "cache: the cache emptied, the connection kept (the database work alone).",
        "",
        f"CSV export of every report ({export['rows']:,} rows, {export['bytes'] / 2**20:.0f} MiB, "
        f"streamed): {export['seconds']:.0f} s, peak resident memory (VmHWM) of the process "
        f"{export['vmhwm_kb'] / 1024:.0f} MiB, of which {export['baseline_kb'] / 1024:.0f} MiB "
        "before the export started (Python, Django, the test client).",
        "",
        "Summary refresh (`refresh_dashboard_stats`): full rebuild "
        + (
            f"{refresh['full_seconds']:.0f} s for {refresh['full_reports']:,} reports"
            if refresh["full_seconds"] is not None
            else "not recorded"
        )
        + f"; incremental after {refresh['incremental_reports']:,} changed reports "
        f"({refresh['incremental_months']} months re-summed) "
        f"{refresh['incremental_seconds']:.1f} s.",
        "",
        "The data comes from `bench/gen_dashboards_data.py` (COPY: about 5 minutes for the "
        "reports and events on this machine, then the full refresh). An incremental refresh "
        "also recounts the overdue flags of the whole country (OverdueCount), so the pages "
        "never count them.",
        "",
        "Targets: each page under 300 ms warm and under 2 s cold; the export under 200 MB peak.",
        "",
    ]
    return "\n".join(lines)


def write_section(text: str) -> None:
    common.write_section(SECTION, text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="bench_dashboards")
    parser.add_argument("--generate", action="store_true", help="generate the data if missing")
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--warm-runs", type=int, default=20)
    parser.add_argument("--no-doc", action="store_true", help="print only")
    parser.add_argument("--export-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.export_child and not database_ready(args.database):
        if not args.generate:
            print(
                f"Database {args.database} not found: run bench/gen_dashboards_data.py first "
                "(or pass --generate)."
            )
            return 1
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "gen_dashboards_data.py"),
                "--database",
                args.database,
            ],
            check=True,
        )
    configure(args.database)
    if args.export_child:
        export_child()
        return 0
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)
    info = machine()
    print(f"Machine: {info}", flush=True)
    data = data_figures()
    print(f"Data: {data}", flush=True)
    results = measure(args.cold_runs, args.warm_runs)
    export = run_export(args.database)
    print(f"Export: {export}", flush=True)
    refresh = refresh_figures()
    print(f"Refresh: {refresh}", flush=True)
    info["load"] = info["load"] + f"; at the end {', '.join(f'{v:.2f}' for v in os.getloadavg())}"
    text = markdown(info, data, results, export, refresh)
    print(text)
    if not args.no_doc:
        write_section(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
