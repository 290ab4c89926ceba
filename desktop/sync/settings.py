"""This station's sync preferences: the shared folder (off by default), the station name other
stations see, and the auto-sync interval.

They live in QSettings, not in the agency-wide `AgencySetting` rows: those rows sync to every
station, while a shared folder is a path on this machine (a drive letter here, a mount point
there), the name is this station's own, and a laptop on a train wants a different interval
than a desk on the office network.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings

SHARE_KEY = "sync/share"
STATION_NAME_KEY = "sync/station_name"
INTERVAL_KEY = "sync/interval_minutes"
DEFAULT_INTERVAL_MINUTES = 5
MAX_INTERVAL_MINUTES = 24 * 60


def default_station_name() -> str:
    import socket  # here, not at start-up: only needed when no name was saved

    return socket.gethostname().split(".")[0] or "This station"


@dataclass(frozen=True)
class SyncSettings:
    share: Path | None  # None: sync is off
    station_name: str
    interval_minutes: int  # 0: only when asked

    @classmethod
    def load(cls, settings: QSettings) -> SyncSettings:
        share = str(settings.value(SHARE_KEY, "") or "")
        name = str(settings.value(STATION_NAME_KEY, "") or "").strip()
        try:
            interval = int(settings.value(INTERVAL_KEY, DEFAULT_INTERVAL_MINUTES))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            interval = DEFAULT_INTERVAL_MINUTES
        return cls(
            Path(share) if share else None,
            name or default_station_name(),
            min(max(interval, 0), MAX_INTERVAL_MINUTES),
        )

    def save(self, settings: QSettings) -> None:
        settings.setValue(SHARE_KEY, str(self.share) if self.share is not None else "")
        settings.setValue(STATION_NAME_KEY, self.station_name)
        settings.setValue(INTERVAL_KEY, self.interval_minutes)
        settings.sync()


def share_problem(path: Path) -> str | None:
    """Why `path` cannot be the shared folder, in words for the field's message; None if fine.

    Writability is tried with a real file, not `os.access`: a read-only mount, an SMB share
    without write rights and a full disk all pass `os.access` on some systems."""
    import tempfile

    if not str(path).strip():
        return "Choose a folder"
    if not path.exists():
        return "This folder does not exist or is not reachable"
    if not path.is_dir():
        return "This is a file, not a folder"
    try:
        with tempfile.NamedTemporaryFile(dir=path, prefix=".agency-desk-probe-", delete=True):
            pass
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        return f"Agency Desk cannot write here ({reason})"
    return None
