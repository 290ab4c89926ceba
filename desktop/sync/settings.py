"""This station's sync preferences: the shared folder or agency server (off by default), the
station name other stations see, and the auto-sync interval.

They are stored in the database they belong to (`db.sync.local_settings`: local tables that
never sync), not in the computer user's QSettings and not in the agency-wide `AgencySetting`
rows. Per user, they followed whatever database was opened: a demo or a copy opened on the
agency's computer synced itself into the agency's share at start-up. In the agency's rows they
would travel to every station, while a shared folder is a path on this machine (a drive letter
here, a mount point there), the name is this station's own, and a laptop on a train wants a
different interval than a desk on the office network. The interval lives beside the folder for
the same reason the folder does: a test database opened now and then should not inherit the
cadence (or anything else) of the agency's.

Older versions kept these values in QSettings (`sync/share`, …). They are never applied to
whatever database happens to be open: `legacy()` reads them, and the controller adopts them only
for a database that has no settings of its own yet and whose station is already known on that
share (it synced there before), then removes them from QSettings. Any other database ignores
them and they stay for the database they belong to.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings

from db.store import Store
from db.sync import local_settings

SHARE_KEY = "sync/share"
STATION_NAME_KEY = "sync/station_name"
INTERVAL_KEY = "sync/interval_minutes"
LEGACY_KEYS = (SHARE_KEY, STATION_NAME_KEY, INTERVAL_KEY)
DEFAULT_INTERVAL_MINUTES = local_settings.DEFAULT_INTERVAL_MINUTES
MAX_INTERVAL_MINUTES = local_settings.MAX_INTERVAL_MINUTES


def default_station_name() -> str:
    import socket  # here, not at start-up: only needed when no name was saved

    return socket.gethostname().split(".")[0] or "This station"


def _clamp(minutes: int) -> int:
    return min(max(minutes, 0), MAX_INTERVAL_MINUTES)


@dataclass(frozen=True)
class SyncSettings:
    share: Path | None  # None: no shared folder (sync is off unless `server` is set)
    station_name: str
    interval_minutes: int  # 0: only when asked
    # An agency server's URL with its user and without a password (kept in the keychain,
    # db.sync.server.secrets); stored in the same column as the folder, told apart by its
    # scheme. At most one of `share` and `server` is set.
    server: str | None = None

    @property
    def mode(self) -> str:
        """ "off", "folder" or "server"."""
        return "server" if self.server else "folder" if self.share is not None else "off"

    @classmethod
    def load(cls, store: Store) -> SyncSettings:
        """The open database's settings (the defaults when it has none)."""
        session = store.session
        try:
            run = session.connection().exec_driver_sql
            stored = local_settings.read_settings(run)
            name = local_settings.station_name(run).strip()
        finally:
            session.commit()  # end the read: the session must not keep an old snapshot
        if stored is None:
            return cls(None, name or default_station_name(), DEFAULT_INTERVAL_MINUTES)
        if stored.share and is_server_url(stored.share):
            return cls(
                None, name or default_station_name(), _clamp(stored.interval_minutes), stored.share
            )
        return cls(
            Path(stored.share) if stored.share else None,
            name or default_station_name(),
            _clamp(stored.interval_minutes),
        )

    def save(self, store: Store) -> None:
        session = store.session
        try:
            local_settings.write_settings(
                session.connection().exec_driver_sql,
                self.server or (str(self.share) if self.share is not None else None),
                self.interval_minutes,
                self.station_name,
            )
            session.commit()
        except BaseException:
            session.rollback()
            raise

    @classmethod
    def legacy(cls, settings: QSettings) -> SyncSettings | None:
        """What an older version kept per computer user; None when it set no folder."""
        share = str(settings.value(SHARE_KEY, "") or "")
        if not share:
            return None
        name = str(settings.value(STATION_NAME_KEY, "") or "").strip()
        try:
            interval = int(str(settings.value(INTERVAL_KEY, DEFAULT_INTERVAL_MINUTES)))
        except (TypeError, ValueError):
            interval = DEFAULT_INTERVAL_MINUTES
        return cls(Path(share), name or default_station_name(), _clamp(interval))


def is_server_url(text: str) -> bool:
    return text.strip().lower().startswith(("postgresql://", "postgres://"))


def is_configured(store: Store) -> bool:
    """The open database has sync settings of its own (even "off")."""
    session = store.session
    try:
        return local_settings.read_settings(session.connection().exec_driver_sql) is not None
    finally:
        session.commit()


def forget_legacy(settings: QSettings) -> None:
    for key in LEGACY_KEYS:
        settings.remove(key)
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


def agency_problem(path: Path, store: Store) -> str | None:
    """Why the open database cannot sync through `path` (it belongs to another agency), as
    sync itself would refuse, in two sentences for the field; None when it can. Reads the
    folder, writes nothing anywhere."""
    from db.sync import SyncError
    from db.sync.agency import AgencyMismatchError, DatabaseView, check
    from db.sync.folder import FolderTransport

    transport = FolderTransport(path)
    if not transport.root.is_dir():
        return None  # a folder no Agency Desk used yet: this database's agency will be first
    name = Path(store.engine.url.database or "").name
    session = store.session
    try:
        check(DatabaseView(session.connection().exec_driver_sql, name), transport, path)
    except AgencyMismatchError as exc:
        return exc.brief
    except SyncError:
        return None  # the folder itself is tried elsewhere; sync will say what is wrong
    finally:
        session.commit()
    return None
