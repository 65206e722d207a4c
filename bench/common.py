"""What every benchmark shares: the machine it ran on and its section of docs/benchmarks.md."""

from __future__ import annotations

import os
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def load_average() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def write_section(title: str, text: str, doc: Path = DOC) -> None:
    """Add or replace only the section headed `title`; other sections are left as they are."""
    lines = (doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n").splitlines()
    try:
        begin = lines.index(title)
    except ValueError:
        new = [*lines, "", *text.splitlines()]
    else:
        end = next((i for i in range(begin + 1, len(lines)) if lines[i].startswith("## ")), None)
        tail = lines[end:] if end is not None else []
        new = [*lines[:begin], *text.splitlines(), *([""] if tail else []), *tail]
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text("\n".join(new).rstrip("\n") + "\n", encoding="utf-8")


def memory_kib() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
