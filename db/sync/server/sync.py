"""One sync through an agency server: the engine's `sync()` with the server transport.

`sync_server(db_path, url)` is the counterpart of `db.sync.sync(db_path, share)`: the same
push, pull, merge, acknowledgement and compaction, the same joining of a database that does
not exist yet. The database remembers the URL without its password; the password comes from
the caller or the OS keychain (`secrets.py`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from db.store import Store
from db.sync import snapshots
from db.sync.encryption import (
    EncryptionStatus,
    enable_encryption,
    encryption_status,
    rotate_key,
    unlock,
)
from db.sync.engine import Progress, SyncResult, sync
from db.sync.server import secrets
from db.sync.server.connect import describe, parts
from db.sync.server.transport import ServerTransport


def server_label(url: str) -> Path:
    """How messages written for a share name the server: host:port/database."""
    fields = parts(url)
    host = fields.get("host") or "localhost"
    port = fields.get("port")
    return Path(
        f"{host}:{port}/{fields.get('dbname', '')}"
        if port
        else f"{host}/{fields.get('dbname', '')}"
    )


def sync_server(
    db_path: Path,
    url: str,
    *,
    password: str | None = None,
    station_name: str | None = None,
    progress: Progress | None = None,
    compact: bool | None = None,
    retention_ms: int = snapshots.RETENTION_MS,
) -> SyncResult:
    """One full push and pull between the database at `db_path` and the server at `url`.
    Raises a one-line `SyncError` (unreachable, login refused, newer schema...) with the
    outbox untouched."""
    if password is None:
        password = secrets.stored_password(url)
    with ServerTransport(url, password) as transport:
        return sync(
            db_path,
            server_label(url),
            transport=transport,
            place=describe(url),
            station_name=station_name,
            progress=progress,
            compact=compact,
            retention_ms=retention_ms,
        )


def sync_store_server(store: Store, url: str, **options: Any) -> SyncResult:
    """`sync_server` on the database behind `store`, from a worker thread (the GUI)."""
    path = store.engine.url.database
    assert path, "sync needs a file database"
    return sync_server(Path(path), url, **options)


# -- encryption (issue 17): db.sync.encryption's operations with the server transport ---------


def server_encryption_status(url: str, *, password: str | None = None) -> EncryptionStatus:
    with ServerTransport(url, _password(url, password)) as transport:
        return encryption_status(transport)


def unlock_server(url: str, passphrase: str, *, password: str | None = None) -> EncryptionStatus:
    """Open the server's agency key with the passphrase; kept in this computer's keychain."""
    with ServerTransport(url, _password(url, password)) as transport:
        return unlock(transport, None, passphrase)


def encrypt_server(
    db_path: Path, url: str, passphrase: str, *, password: str | None = None
) -> EncryptionStatus:
    """Turn end-to-end encryption on for the server, from the station at `db_path`."""
    with ServerTransport(url, _password(url, password)) as transport:
        return enable_encryption(
            db_path, transport, server_label(url), passphrase, place=describe(url)
        )


def rotate_server_key(
    db_path: Path, url: str, new_passphrase: str, *, password: str | None = None
) -> EncryptionStatus:
    """A new agency key and passphrase for the server (someone left)."""
    with ServerTransport(url, _password(url, password)) as transport:
        return rotate_key(
            db_path, transport, server_label(url), new_passphrase, place=describe(url)
        )


def _password(url: str, password: str | None) -> str | None:
    return password if password is not None else secrets.stored_password(url)
