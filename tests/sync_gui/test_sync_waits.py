"""The Sync panel and the status bar say when changes wait for an earlier file that is not
on the share yet ("1 change from A's station is waiting for an earlier file from Ben's
station"), and clear it once that file has arrived and the changes are applied."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.database import open_database
from db.models import Client
from db.operations import Create, Update
from db.store import Store
from db.sync import sync as sync_db
from tests.sync_gui.conftest import click_sync

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(
        "This plugin does not support propagateSizeHints", "This plugin does not support raise"
    ),
]


def test_changes_waiting_for_an_earlier_file_show_until_it_arrives(
    qtbot, station_a, window, share: Path, tmp_path: Path
) -> None:
    ben = tmp_path / "ben.sqlite"
    sync_db(ben, share, station_name="Ben")
    acme = Create(Client, {"name": "Acme Bakery"})
    store = Store(open_database(ben))
    store.apply(acme)
    store.close()
    sync_db(ben, share, station_name="Ben")
    folder = share / "AgencyDesk" / "changes"
    ben_file = max(folder.glob("*/*.jsonl"), key=lambda p: p.stat().st_mtime_ns)
    station_a.sync()  # A has Ben's client, and renames it
    station_a.apply(Update(Client, acme.id, {"name": "Acme Bakery Ltd"}))
    station_a.sync()

    later = tmp_path / ben_file.name
    ben_file.rename(later)  # not brought down to this computer yet
    click_sync(qtbot, window)
    status = window.sync.status
    assert status.tone == "warn" and "waiting for an earlier file" in status.text()
    panel = window.sync.show_panel()
    text = panel.state.text()
    assert (
        "1 change from A's station is waiting for an earlier file from Ben's station "
        "(not yet on the share)" in text
    ), text
    panel.grab().save(str(tmp_path / "waiting.png"))

    later.rename(ben_file)
    click_sync(qtbot, window)
    assert "waiting" not in panel.state.text() and status.tone == "ok"
    names = [c.name for c in window.workspace.store.session.query(Client)]
    assert names == ["Acme Bakery Ltd"]
