"""Printing benchmarks: a client summary to PDF, and a 10,000-task Gantt to PDF (time and peak
memory).

The summary prints the internal version (the larger of the two) of the busiest client of the
scale-1 demo agency. The Gantt prints the whole generated 10,000-task project of
`bench.gantt` at month zoom (every row and every day, about 1,400 landscape pages); its peak
memory is measured in a child process that does only that, as its own maximum resident set
size, so nothing the benchmark runner loaded before counts.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.cache import REPO, cached_database
from bench.gantt import PROJECT_ID, _cached_db
from bench.offscreen_app import offscreen_app
from bench.registry import metric

RUNS = 5
DEMO_DAY = date(2026, 3, 12)
GANTT_ZOOM = "month"

# The child for the peak-memory metric: print, then report its own peak RSS.
_CHILD = """
import json, os, resource, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from datetime import date
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from db.database import open_database
from db.store import Store
from desktop.printing.gantt_pages import GanttPrintOptions
from desktop.printing.reports import write_gantt_pdf
store = Store(open_database(Path(sys.argv[1])))
start = time.perf_counter()
write_gantt_pdf(store.session, sys.argv[2], Path(sys.argv[3]),
                GanttPrintOptions(zoom=sys.argv[4]), today=date(2026, 3, 12))
took = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": took, "peak_mb": peak_kb / 1024}))
"""


def _workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="print-bench-"))


def _demo_copy() -> Path:
    from db.demo import write_demo

    # The demo's own code is part of the key: a changed demo must not be timed stale.
    source = cached_database(
        f"print-demo-{DEMO_DAY.isoformat()}",
        lambda path: write_demo(path, today=DEMO_DAY),
        sources=[REPO / "db" / "demo.py", REPO / "db" / "demo_words.py"],
    )
    copy = _workdir() / "agency.sqlite"
    shutil.copy(source, copy)
    return copy


@metric("print.client_summary", target=1.0, unit="s")
def client_summary() -> float:
    """Gather, lay out and write the internal summary of the demo's busiest client."""
    from sqlalchemy import func, select

    from db.database import open_database
    from db.models import Interaction
    from db.reports.client_summary import Audience
    from db.store import Store
    from desktop.printing.reports import write_summary_pdf

    offscreen_app()
    store = Store(open_database(_demo_copy()))
    session = store.session
    client_id = session.scalars(
        select(Interaction.client_id)
        .group_by(Interaction.client_id)
        .order_by(func.count().desc())
        .limit(1)
    ).one()
    out = _workdir() / "summary.pdf"

    def once() -> float:
        start = time.perf_counter()
        write_summary_pdf(
            session, client_id, out, audience=Audience.INTERNAL, today=DEMO_DAY, paper="a4"
        )
        return time.perf_counter() - start

    once()  # fonts registered, holiday tables loaded
    took = statistics.median(once() for _ in range(RUNS))
    store.close()
    return took


def _gantt_child() -> dict[str, float]:
    work = _workdir()
    db = work / "gantt.sqlite"
    shutil.copy(_cached_db(10_000), db)
    out = work / "gantt.pdf"
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(db), PROJECT_ID, str(out), GANTT_ZOOM],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"printing the 10k Gantt failed: {done.stderr.strip()[-500:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    shutil.rmtree(work, ignore_errors=True)
    return result


_measured: dict[str, float] = {}


def _gantt_figures() -> dict[str, float]:
    """One child run serves both metrics: printing 1,400 pages twice would only heat the CPU."""
    if not _measured:
        _measured.update(_gantt_child())
    return _measured


@metric("print.gantt.10k", target=15.0, unit="s")
def gantt_10k() -> float:
    """Print the whole 10,000-task project at month zoom to PDF, every row and day tiled."""
    return _gantt_figures()["seconds"]


@metric("print.gantt.10k.peak_mb", target=500.0)
def gantt_10k_peak_mb() -> float:
    """Peak resident memory of a process that opens the 10,000-task project and prints it."""
    return _gantt_figures()["peak_mb"]
