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
from datetime import date
from pathlib import Path

import pytest

from db.database import open_database
from db.models import Assignment, TimeOff
from db.operations import Create, composite
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
    "desktop.gantt.money_dialog",  # a plan's dialogs load when first opened
    "desktop.gantt.task_dialog",
    # The subcommands' modules: a start without a command does not even build their parsers.
    "desktop.cli_commands.demo",
    "desktop.cli_commands.export",
    "desktop.cli_commands.import_file",
    "desktop.cli_commands.server",
    "desktop.cli_commands.sync",
)
# What the Gantt of a project opened with --project does not need either.
NOT_FOR_A_PLAN = ("desktop.client_page", "desktop.views.clients_view", "desktop.today")
# A plan's first look paints before the data layer loads (`desktop.first_look`): neither
# SQLAlchemy nor the models, nor the main window and the views that need them.
NOT_BEFORE_A_PLANS_FIRST_LOOK = (
    "sqlalchemy",
    "db.models",
    "db.store",
    "db.database",
    "desktop.main_window",
    "desktop.workspace",
    "desktop.gantt.view",
)

# Nor before the plain start's first screen (`desktop.first_screen`), the Clients list read
# with plain sqlite3 and built by the list's own code.
NOT_BEFORE_THE_PLAIN_FIRST_SCREEN = (
    "sqlalchemy",
    "db.models",
    "db.store",
    "db.database",
    "desktop.main_window",
    "desktop.workspace",
    "desktop.views.clients_view",
    "desktop.models.clients_table",
)

IMPORT_LINE = re.compile(r"^import time:\s+\d+ \|\s+\d+ \| +(\S+)$")


def imported_before_first_paint(tmp_path: Path, *args: str) -> set[str]:
    """The modules a fresh `python -m desktop ARGS` has imported when it first paints."""
    before = said_before_first_paint(tmp_path, "-X", "importtime", "-m", "desktop", *args)
    return {m.group(1) for line in before if (m := IMPORT_LINE.match(line))}


def said_before_first_paint(tmp_path: Path, *python_args: str) -> list[str]:
    """The lines a fresh `python PYTHON_ARGS` (the app, run to its first paint) wrote to
    stdout or stderr before its `first-paint` mark."""
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
        [sys.executable, *python_args],
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
    return lines[: lines.index("first-paint")]


def loaded(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    return sorted(
        name for name in modules if any(name == p or name.startswith(f"{p}.") for p in packages)
    )


def test_opening_a_plan_imports_only_what_its_first_screen_needs(tmp_path, small_db) -> None:
    modules = imported_before_first_paint(tmp_path, "--db", str(small_db), "--project", "Rebrand")
    # The probe sees the first screen's own modules: the plan's first look, drawn by the
    # chart's painter.
    assert {"desktop.first_look", "desktop.gantt.painter"} <= modules
    assert loaded(modules, NEVER_AT_START + NOT_FOR_A_PLAN + NOT_BEFORE_A_PLANS_FIRST_LOOK) == []


def test_a_plain_start_paints_before_the_data_layer_loads(tmp_path, small_db) -> None:
    modules = imported_before_first_paint(tmp_path, "--db", str(small_db))
    # The probe sees the first screen's own modules: the Clients list, read plainly.
    assert {"desktop.first_screen", "db.fast_open.clients_read"} <= modules
    assert loaded(modules, NEVER_AT_START + NOT_BEFORE_THE_PLAIN_FIRST_SCREEN) == []


# The app with the first screen declining, as it does for a start on another area: the main
# window then paints first.
ORDINARY_START = (
    "import sys\n"
    "import desktop.first_screen\n"
    "desktop.first_screen.first_screen = lambda *_args: None\n"
    "from desktop.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def test_a_plain_start_leaves_the_heavy_modules_for_later(tmp_path, small_db) -> None:
    before = said_before_first_paint(
        tmp_path, "-X", "importtime", "-c", ORDINARY_START, "--db", str(small_db)
    )
    modules = {m.group(1) for line in before if (m := IMPORT_LINE.match(line))}
    assert "desktop.main_window" in modules
    assert loaded(modules, NEVER_AT_START) == []


# The app, with a note on stdout when SQLAlchemy configures the mappers.
CONFIGURE_PROBE = (
    "import sys\n"
    "from sqlalchemy import event\n"
    "from sqlalchemy.orm import Mapper\n"
    "event.listen(Mapper, 'before_configured', lambda: print('mappers-configured', flush=True))\n"
    "from desktop.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


@pytest.fixture
def staffed_db(tmp_path: Path) -> Path:
    """The small agency with someone on a task of Rebrand, away for a week: the plan reads
    its people and their leave too."""
    path = tmp_path / "staffed.sqlite"
    store = Store(open_database(path, create=True))
    agency = populate_small(store)
    ben = agency.members["ben"]
    store.apply(
        composite(
            [
                Create(Assignment, {"task_id": agency.tasks["logo"], "member_id": ben}),
                Create(
                    TimeOff,
                    {
                        "member_id": ben,
                        "start_date": date(2026, 11, 16),
                        "end_date": date(2026, 11, 20),
                    },
                ),
            ],
            "Staff the logo",
        )
    )
    store.close()
    return path


def test_opening_a_plan_configures_the_mappers_only_after_its_first_paint(
    tmp_path, staffed_db
) -> None:
    """What a plan's first screen shows (the project looked up, its tasks, links, people,
    baseline and burn, the hidden projects list) is read through table columns: configuring
    the mappers, the dearest step of the first ORM query, waits until the window is up."""
    said = said_before_first_paint(
        tmp_path, "-c", CONFIGURE_PROBE, "--db", str(staffed_db), "--project", "Rebrand"
    )
    assert "mappers-configured" not in said


def test_a_plain_start_configures_the_mappers_only_after_its_first_paint(
    tmp_path, staffed_db
) -> None:
    """The Clients list's first screen (its rows, their health and figures, its columns and
    pickers, whether the agency is empty) is read through table columns too; the list's
    background read of every row starts after the paint as well."""
    said = said_before_first_paint(tmp_path, "-c", CONFIGURE_PROBE, "--db", str(staffed_db))
    assert "mappers-configured" not in said
    # The main window's own first paint too, where the first screen declines.
    declining = CONFIGURE_PROBE.replace(
        "from desktop.cli import main\n",
        "import desktop.first_screen\n"
        "desktop.first_screen.first_screen = lambda *_args: None\n"
        "from desktop.cli import main\n",
    )
    assert declining != CONFIGURE_PROBE
    said = said_before_first_paint(tmp_path, "-c", declining, "--db", str(staffed_db))
    assert "mappers-configured" not in said
