"""Start the whole demo system: the web server and the background worker, side by side.

Used by `make demo` after migrating and loading demo data. Ctrl-C stops both. If either process
dies, the other is stopped too, so a half-running system is never left behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ADDRESS = os.environ.get("DEMO_ADDRESS", "127.0.0.1:8000")


def main() -> int:
    commands = {
        "web": [PYTHON, "manage.py", "runserver", ADDRESS, "--noreload"],
        "worker": [PYTHON, "manage.py", "db_worker"],
        # Deadlines act by themselves: reminders, overdue flags, auto-close, auto-archive.
        "sweeper": [PYTHON, "manage.py", "sweep_deadlines", "--loop"],
        # Dashboard summaries, refreshed incrementally every five minutes.
        "dashboards": [PYTHON, "manage.py", "refresh_dashboard_stats", "--loop", "300"],
        # Safety nets after a crash: messages, announcements and webhook deliveries left behind.
        "upkeep": [PYTHON, "manage.py", "requeue_stale_notifications", "--loop"],
        "webhooks": [PYTHON, "manage.py", "send_webhooks", "--loop", "--interval", "60"],
    }
    # Links in the demo's messages point at the address the demo serves.
    env = {**os.environ, "SITE_URL": os.environ.get("SITE_URL", f"http://{ADDRESS}")}
    processes = {name: subprocess.Popen(cmd, cwd=ROOT, env=env) for name, cmd in commands.items()}
    print(f"\nLapor berjalan di http://{ADDRESS}/  (admin: http://{ADDRESS}/admin/)")
    print("Tekan Ctrl-C untuk berhenti.\n", flush=True)

    def stop(*_: object) -> None:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(p.poll() is None for p in processes.values()):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    stop()
    for process in processes.values():
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
