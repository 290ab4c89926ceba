"""What the encrypted-sync tests share: one keychain per station (each station of a test is
another computer, with its own keychain file), turning a share's encryption on cheaply, and
reading every byte a share or server holds."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from db.sync import keystore
from db.sync.schema import TABLE_ENTITY

PASSPHRASE = "correct horse battery staple"
NEW_PASSPHRASE = "a whole new passphrase, someone left"


class Keychains:
    """`with keychains.of(station_name):` runs a block on that station's computer."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def path(self, name: str) -> Path:
        return self.root / f"{name}.keys.json"

    @contextmanager
    def of(self, name: str) -> Iterator[None]:
        before = os.environ.get(keystore.FILE_VARIABLE)
        os.environ[keystore.FILE_VARIABLE] = str(self.path(name))
        try:
            yield
        finally:
            if before is None:
                os.environ.pop(keystore.FILE_VARIABLE, None)
            else:
                os.environ[keystore.FILE_VARIABLE] = before

    def env(self, name: str) -> dict[str, str]:
        """The environment of a subprocess on that station's computer."""
        return {**os.environ, keystore.FILE_VARIABLE: str(self.path(name))}


def client_texts(db_path: Path, minimum: int = 12) -> set[str]:
    """Every text value of at least `minimum` characters in the agency's synced tables."""
    conn = sqlite3.connect(db_path)
    found: set[str] = set()
    try:
        for tbl in sorted(TABLE_ENTITY):
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{tbl}")')]
            for row in conn.execute(f'SELECT * FROM "{tbl}"'):
                for col, value in zip(cols, row, strict=True):
                    if col in ("id", "created_at", "updated_at") or col.endswith("_id"):
                        continue  # keys and clocks of rows, not anything a user typed
                    if isinstance(value, str) and len(value) >= minimum:
                        found.add(value)
    finally:
        conn.close()
    return found


def leaks(blobs: dict[str, bytes], texts: set[str]) -> list[tuple[str, str]]:
    """(where, text) for each text found in any blob, as it is or lower-cased."""
    found = []
    lowered = {where: blob.lower() for where, blob in blobs.items()}
    for text in texts:
        for needle in {text.encode(), text.lower().encode()}:
            for where, blob in blobs.items():
                if needle in blob or needle in lowered[where]:
                    found.append((where, text))
    return found


def share_files(share: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(share)): p.read_bytes() for p in sorted(share.rglob("*")) if p.is_file()
    }


def server_rows(admin_url: str) -> dict[str, bytes]:
    """Every row of every table of the agency schema, as text, by table and row number."""
    import psycopg

    rows: dict[str, bytes] = {}
    with psycopg.connect(admin_url) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                "'agency_desk'"
            )
        ]
        for table in tables:
            for i, row in enumerate(conn.execute(f"SELECT * FROM agency_desk.{table}")):
                rows[f"{table}/{i}"] = b"\0".join(_bytes(v) for v in row)
    return rows


def _bytes(value: Any) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return str(value).encode()


def cheap_key_derivation(monkeypatch: Any) -> None:
    """Wrap new keys at scrypt's lowest accepted cost: these tests are about sync, and the
    full cost (128 MiB, most of a second) would make every enable and unlock slow. The cost
    itself is checked in test_crypto."""
    from db.sync import crypto

    monkeypatch.setattr(crypto, "SCRYPT_N", crypto.SCRYPT_N_RANGE[0])


@contextmanager
def cheap_scrypt() -> Iterator[None]:
    """`cheap_key_derivation` for code outside a test function's fixtures (benches built
    inside hypothesis examples)."""
    from db.sync import crypto

    before = crypto.SCRYPT_N
    crypto.SCRYPT_N = crypto.SCRYPT_N_RANGE[0]
    try:
        yield
    finally:
        crypto.SCRYPT_N = before


def encrypt_bench(bench: Any, by: int = 0) -> None:
    """Turn encryption on for a harness bench's share (a folder `Bench`, or a `ServerBench`)
    from its station `by`. Every station of the bench runs in this process, on one computer:
    they all find the key in the test run's keychain file, as do their subprocesses."""
    from db.sync.encryption import enable_encryption
    from db.sync.folder import FolderTransport

    station = bench.stations[by]
    station.close()
    with cheap_scrypt():
        urls = getattr(bench, "urls", None)
        if urls is None:
            enable_encryption(station.path, FolderTransport(bench.share), bench.share, PASSPHRASE)
            return
        from db.sync.server.sync import encrypt_server

        encrypt_server(station.path, urls[station.name], PASSPHRASE)
