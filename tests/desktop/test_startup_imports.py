"""Start-up imports only what the first screen needs (issue 19): a fresh `agency-desk` process,
run to its first paint, has not imported Alembic, the print code, the sync engine, the import
and export readers or the areas that are not showing.

Each case starts a real second process under `python -X importtime`, with its stderr (the
import lines, written as each import ends) and stdout (the `first-paint` mark of the start-up
benchmark hook) on one pipe, so the modules listed before the mark are exactly those imported
before the window first painted.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from db.database import open_database
from db.store import Store

from .conftest import populate_small

REPO = Path(__file__).resolve().parents[2]

# Loaded only when used: a menu action, a dialog, a sync, an area being shown.
NEVER_AT_START = (
    "alembic",
    "mako",
    "PySide6.QtPrintSupport",
    "PySide6.QtNetwork",  # the second-launch listener starts after the first paint
    "holidays",  # the demo agency names no country
    "db.io",
    "db.sync.engine",
    "db.sync.local",
    "db.sync.snapshots",
    "desktop.io.preview_dialog",
    "desktop.io.records_dialog",
    "desktop.printing.actions",
    "desktop.printing.reports",
    "desktop.printing.gantt_pages",
    "desktop.search",
    "desktop.sync.panel",
    "desktop.workload",
    "desktop.portfolio",
    "desktop.team",
    "desktop.notifications",  # the tray starts a moment after the first paint
    "desktop.preferences_dialog",
)
# What the Gantt of a project opened with --project does not need either.
NOT_FOR_A_PLAN = ("desktop.client_page", "desktop.views.clients_view", "desktop.today")

IMPORT_LINE = re.compile(r"^import time:\s+\d+ \|\s+\d+ \| +(\S+)$")


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    path = tmp_path / "small.sqlite"
    store = Store(open_database(path, create=True))
    populate_small(store)
    store.close()
    return path


def imported_before_first_paint(tmp_path: Path, *args: str) -> set[str]:
    """The modules a fresh `python -m desktop ARGS` has imported when it first paints."""
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        AGENCY_DESK_EXIT_AFTER_FIRST_PAINT="1",
        PYTHONUNBUFFERED="1",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
    )
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "desktop", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
        check=False,
    )
    lines = done.stdout.splitlines()
    assert done.returncode == 0 and "first-paint" in lines, done.stdout[-2000:]
    before = lines[: lines.index("first-paint")]
    return {m.group(1) for line in before if (m := IMPORT_LINE.match(line))}


def loaded(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    return sorted(
        name for name in modules if any(name == p or name.startswith(f"{p}.") for p in packages)
    )


def test_opening_a_plan_imports_only_what_its_first_screen_needs(tmp_path, small_db) -> None:
    modules = imported_before_first_paint(tmp_path, "--db", str(small_db), "--project", "Rebrand")
    assert "desktop.gantt.view" in modules  # the probe sees the first screen's own modules
    assert loaded(modules, NEVER_AT_START + NOT_FOR_A_PLAN) == []


def test_a_plain_start_leaves_the_heavy_modules_for_later(tmp_path, small_db) -> None:
    modules = imported_before_first_paint(tmp_path, "--db", str(small_db))
    assert "desktop.main_window" in modules
    assert loaded(modules, NEVER_AT_START) == []
