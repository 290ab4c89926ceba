"""Fixtures for the GUI tests: a workspace over the per-test store, a small agency in it (or in
a database file of its own, for the tests that start the app on a path), and QSettings pointed
at a temporary folder so no test touches the user's own settings (the window's, and with
`user_settings` the app's own QSettings())."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import QSettings, QStandardPaths

from db.database import open_database
from db.models import (
    Client,
    ClientStatus,
    Interaction,
    InteractionKind,
    MemberRole,
    Project,
    Task,
    TaskKind,
    TeamMember,
)
from db.operations import Create, composite
from db.store import Store
from desktop.workspace import Workspace
from tests.conftest import open_window

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


class Agency:
    """Ids of the small agency `agency` writes, for tests to refer to."""

    def __init__(self) -> None:
        self.members: dict[str, str] = {}
        self.clients: dict[str, str] = {}
        self.projects: dict[str, str] = {}
        self.tasks: dict[str, str] = {}
        self.interactions: dict[str, str] = {}


def populate_small(store: Store, today: date = date(2026, 11, 27)) -> Agency:
    agency = Agency()
    steps: list[Create] = []

    def create(bucket: dict[str, str], key: str, entity: type, **values: object) -> Create:
        op = Create(entity, values)
        bucket[key] = op.id
        steps.append(op)
        return op

    create(agency.members, "ana", TeamMember, name="Ana Ruiz", role=MemberRole.ACCOUNT_MANAGER)
    create(agency.members, "ben", TeamMember, name="Ben Okafor", role=MemberRole.PROJECT_MANAGER)
    for key, name, status, am in (
        ("acme", "Acme Bakery", ClientStatus.ACTIVE, "ana"),
        ("blue", "Blue Harbor Hotels", ClientStatus.PROSPECT, "ana"),
        ("cedar", "Cedar & Sons", ClientStatus.LEAD, None),
    ):
        create(
            agency.clients,
            key,
            Client,
            name=name,
            status=status,
            account_manager_id=agency.members[am] if am else None,
            industry="Hospitality" if key == "blue" else "Food",
        )
    create(
        agency.interactions,
        "acme-call",
        Interaction,
        client_id=agency.clients["acme"],
        kind=InteractionKind.CALL,
        occurred_at=datetime.combine(today - timedelta(days=3), datetime.min.time()),
    )
    create(
        agency.projects,
        "rebrand",
        Project,
        client_id=agency.clients["acme"],
        name="Rebrand",
        project_manager_id=agency.members["ben"],
    )
    create(agency.projects, "site", Project, client_id=agency.clients["blue"], name="New website")
    start = date(2026, 11, 2)
    create(
        agency.tasks,
        "discovery",
        Task,
        project_id=agency.projects["rebrand"],
        name="Discovery",
        start_date=start,
        duration_days=5,
        sort_order=0,
    )
    create(
        agency.tasks,
        "interviews",
        Task,
        project_id=agency.projects["rebrand"],
        parent_id=agency.tasks["discovery"],
        name="Interviews",
        start_date=start,
        duration_days=3,
        sort_order=1,
    )
    create(
        agency.tasks,
        "logo",
        Task,
        project_id=agency.projects["rebrand"],
        name="Logo",
        start_date=start + timedelta(days=7),
        duration_days=10,
        sort_order=2,
    )
    create(
        agency.tasks,
        "launch",
        Task,
        project_id=agency.projects["rebrand"],
        name="Launch",
        start_date=start + timedelta(days=21),
        duration_days=0,
        kind=TaskKind.MILESTONE,
        sort_order=3,
    )
    store.apply(composite(steps, "Small agency"))
    return agency


@pytest.fixture
def agency(store: Store) -> Agency:
    return populate_small(store)


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    """A database file holding the small agency, for starting the app on it."""
    path = tmp_path / "small.sqlite"
    store = Store(open_database(path, create=True))
    populate_small(store)
    store.close()
    return path


@pytest.fixture
def user_settings(tmp_path: Path) -> Iterator[None]:
    """The app's own QSettings() in a temporary folder for the length of the test."""
    location = QStandardPaths.StandardLocation.GenericConfigLocation
    original = QStandardPaths.writableLocation(location)
    formats = (QSettings.Format.NativeFormat, QSettings.Format.IniFormat)
    for fmt in formats:
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield
    for fmt in formats:
        QSettings.setPath(fmt, QSettings.Scope.UserScope, original)


def clients_window(
    qtbot: Any,
    workspace: Workspace,
    settings: QSettings,
    *,
    persist: bool = False,
    auto_sync: bool = True,
) -> MainWindow:
    """The main window on the Clients list, 1024 by 700, shown and active: where an account
    manager's records are opened from. `persist`: whether it saves its state on closing."""
    from desktop.main_window import MainWindow

    w = MainWindow(workspace, settings, auto_sync=auto_sync)
    w.persist = persist
    qtbot.addWidget(w)
    w.resize(1024, 700)
    w.show_area("clients")
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    return w


@pytest.fixture
def window(qtbot: Any, workspace: Workspace, agency: Agency, settings: QSettings) -> MainWindow:
    """The main window over the small agency."""
    return open_window(qtbot, workspace, settings)
