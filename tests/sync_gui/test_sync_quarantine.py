"""A damaged file from another station, as the user sees it in the Sync panel: the station
waits for it and the panel says so by that station's name; the file is listed once with its
reason however often sync meets it; once its author has sent it again it applies and the
entry goes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db.models import Client
from db.operations import Create, Update
from db.sync.folder import sha256
from desktop.cli import main as cli_main
from tests.sync_gui.conftest import click_sync

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(
        "This plugin does not support propagateSizeHints", "This plugin does not support raise"
    ),
]


def katja_syncs(station_a) -> None:
    argv = ["sync", "--db", str(station_a.path), "--share", str(station_a.share)]
    assert cli_main([*argv, "--station-name", "Katja"]) == 0


def test_a_damaged_file_is_listed_once_and_its_station_shown_waiting_until_sent_again(
    qtbot, qtmodeltester, station_a, window, share: Path
) -> None:
    acme = Create(Client, {"name": "Acme Bakery"})
    station_a.apply(acme)
    katja_syncs(station_a)
    station_a.apply(Update(Client, acme.id, {"name": "Acme Bakery Ltd"}))
    katja_syncs(station_a)
    folder = next((share / "AgencyDesk" / "changes").iterdir())
    second = sorted(folder.glob("*.jsonl"))[1]
    whole = second.read_bytes()
    second.write_bytes(whole[: len(whole) // 2])  # a cloud client cut it short, for good

    click_sync(qtbot, window)
    click_sync(qtbot, window)  # met again: still one entry
    status = window.sync.status
    assert status.tone == "warn" and "waiting for a damaged file" in status.text()
    panel = window.sync.show_panel()
    qtmodeltester.check(panel.skipped)
    assert "waiting for a damaged file from Katja's station" in panel.state.text()
    assert panel.skipped.rowCount() == 1
    name = panel.skipped.index(0, 0).data()
    assert name.startswith("Katja: 000000000002-")
    assert panel.skipped.index(0, 1).data() == "content does not match its checksum (partial?)"

    katja_syncs(station_a)  # Katja's station notices and sends it again
    assert second.read_bytes() == whole and sha256(whole) in second.name
    click_sync(qtbot, window)
    assert panel.skipped.rowCount() == 0 and panel.no_skipped.isVisible()
    assert "waiting" not in panel.state.text() and status.tone == "ok"
    names = [c.name for c in window.workspace.store.session.query(Client)]
    assert names == ["Acme Bakery Ltd"]
    assert json.loads((share / "AgencyDesk" / "meta.json").read_text())["format"] == 1
