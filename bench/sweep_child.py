"""The measured process of bench_sweep.py: one deadline sweep pass, one recompute, or the
worker's announcement of a sample of the events they queued.

    sweep_child.py sweep [--batch-size N]
    sweep_child.py recompute [--batch-size N]
    sweep_child.py announce [--tasks N]

Runs against DATABASE_URL and prints one JSON line with its own timing, counts and peak
memory (VmHWM). The sweep and the recompute queue their events' announcements in their own
transactions; `announce` runs N of those queued tasks here, as the worker would (every
`report_event_recorded` receiver: notifications, webhooks out).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["sweep", "recompute", "announce"])
    parser.add_argument("--batch-size", type=int, default=0)
    parser.add_argument("--tasks", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
    import django

    django.setup()
    from lapor.reports.signals import report_event_recorded

    started = time.perf_counter()
    out: dict[str, object] = {"receivers_connected": len(report_event_recorded.receivers)}
    if args.what == "announce":
        out.update(announce(args.tasks))
    elif args.what == "sweep":
        from lapor.reports.sweeps import Sweeper

        result = Sweeper(batch_size=args.batch_size or 1000).run_pass()
        out.update(
            reports=result.reports,
            batches=result.batches,
            recorded=dict(result.recorded),
            summary=result.summary(),
        )
    else:
        from lapor.reports.services import recompute_open_deadlines

        changed = recompute_open_deadlines(
            reason="Benchmark: hari libur baru.", batch_size=args.batch_size or 2000
        )
        out.update(changed=changed)
    out["seconds"] = time.perf_counter() - started
    out["peak_mb"] = peak_mb()
    print(json.dumps(out))


def announce(tasks: int) -> dict[str, object]:
    """Run the first `tasks` queued announcement tasks here, as the worker's task body would."""
    from django_tasks_db.models import DBTaskResult

    from lapor.reports.outbox import announce_events_task

    queue = DBTaskResult.objects.filter(
        task_path=announce_events_task.module_path, status="READY"
    ).order_by("enqueued_at")
    waiting, events = queue.count(), 0
    for row in list(queue[:tasks]):
        events += announce_events_task.call(*row.args_kwargs["args"])
        DBTaskResult.objects.filter(pk=row.pk).update(status="SUCCESSFUL")
    return {"tasks_waiting": waiting, "tasks": min(tasks, waiting), "events": events}


def peak_mb() -> float:
    """This process's RSS high-water mark (VmHWM: since exec, unlike ru_maxrss, which keeps
    the parent's size from before the exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
