"""The measured process of bench_sweep.py: one deadline sweep pass, or one recompute.

    sweep_child.py sweep [--batch-size N] [--receivers]
    sweep_child.py recompute [--batch-size N] [--receivers]

Runs against DATABASE_URL and prints one JSON line with its own timing, counts and peak
memory (VmHWM). Without --receivers no
`report_event_recorded` receiver (notifications, webhooks) is connected: the figure is the
sweeper's own work, not theirs (they run in this process after each batch commits).
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
    parser.add_argument("what", choices=["sweep", "recompute"])
    parser.add_argument("--batch-size", type=int, default=0)
    parser.add_argument("--receivers", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
    import django

    django.setup()
    from lapor.reports.signals import report_event_recorded

    receivers = len(report_event_recorded.receivers)
    if not args.receivers:
        report_event_recorded.receivers = []
    started = time.perf_counter()
    out: dict[str, object] = {"receivers_connected": receivers if args.receivers else 0}
    if args.what == "sweep":
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
