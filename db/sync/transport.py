"""What sync needs from wherever the changes are kept, and nothing more, so a server (a
PostgreSQL `changes` table: `server_seq bigserial`, `change_id uuid unique`, insert with `ON
CONFLICT DO NOTHING`, pull by cursor) can later replace the shared folder with the same merge
code. `folder.py` implements it over a shared folder, `server/transport.py` over an agency
server's PostgreSQL tables.

Every method raises a `db.sync.errors.SyncError` subclass when the share fails; nothing here
touches the local database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol


@dataclass(frozen=True, order=True)
class ChangeRef:
    """One change file as listed: (station, seq, hash). Listing does not read it."""

    seq: int
    sha256: str
    station: str


@dataclass(frozen=True)
class Skipped:
    """A file the listing passed over, and why (temp, conflicted copy, foreign name...)."""

    name: str
    reason: str


@dataclass(frozen=True)
class FileInfo:
    """A change file as it lies on the share: its size and modification time (ns), and
    whether it is a regular file at all."""

    ref: ChangeRef
    size: int
    mtime_ns: int
    regular: bool


@dataclass(frozen=True)
class SnapshotRef:
    generation: int
    sha256: str
    name: str


class Transport(Protocol):
    def check(self) -> None:
        """Raise unless the share is reachable and writable (creates its layout if new)."""

    def read_meta(self) -> dict[str, Any]: ...

    def write_meta(self, meta: dict[str, Any]) -> None: ...

    def list_stations(self) -> list[str]: ...

    def list_changes(self, station: str, after: int) -> tuple[list[ChangeRef], list[Skipped]]:
        """Change files of `station` with seq > `after`, in (seq, hash) order."""

    def inspect_changes(self, station: str) -> list[FileInfo]:
        """Every change file of `station`, with size and time, without reading any."""

    def read_change(self, ref: ChangeRef) -> bytes:
        """The file's bytes; raises `ShareIOError` when they do not match its hash."""

    def write_change(self, station: str, seq: int, data: bytes) -> ChangeRef:
        """Publish atomically, read back and verify; idempotent for identical bytes."""

    def delete_change(self, ref: ChangeRef) -> None: ...

    def read_acks(self) -> dict[str, dict[str, Any]]: ...

    def write_ack(self, station: str, ack: dict[str, Any]) -> None: ...

    def list_snapshots(self) -> list[SnapshotRef]: ...

    def fetch_snapshot(self, ref: SnapshotRef, dest: Path) -> None:
        """Copy the snapshot to a local file and verify its hash."""

    def publish_snapshot(self, generation: int, source: Path) -> SnapshotRef: ...

    def delete_snapshot(self, ref: SnapshotRef) -> None: ...

    def read_lease(self) -> dict[str, Any] | None: ...

    def write_lease(self, lease: dict[str, Any] | None) -> None: ...

    def read_agency(self) -> dict[str, Any] | None:
        """The agency the share belongs to (`agency.json`), None before its first use;
        raises `ShareIOError` when the record is there but unreadable."""

    def claim_agency(self, agency: dict[str, Any]) -> dict[str, Any]:
        """Record `agency` unless one is recorded already; returns the one that is."""
