"""The encrypting transport: any `Transport` (the shared folder, the agency server) wrapped so
that change files and snapshots are sealed on the way out and opened, authenticated, on the
way in (issue 17). One piece of code gives both transports encryption; the engine, merge and
compaction do not know it is there.

What stays in the clear is what sync needs to find files, nothing a user typed: change file
names (station id, seq, hash of the sealed bytes), snapshot names (generation, hash),
`meta.json` (format, generation, vectors of seqs, the snapshot's name, the encryption
record), acknowledgements (station ids and names, seq vectors, row counts per table), the
lease and `agency.json` (the agency's id and name). Sizes are those of the sealed bytes.

The encryption record lives in meta (the folder's meta.json, the server's meta row), which
every compaction carries over (`{**current, ...}`):

    "encryption": {"format": 1, "key_id": "...", "wrapped": {scrypt-wrapped key},
                   "sealed": base64 of a sealed JSON record}

The sealed part, readable and writable only with the current key, says what may still be
read that is not sealed with it:

- `plain`: station -> highest seq of its files written in the clear before encryption was
  turned on; `plain_snapshot`: the plain snapshot of that moment, by name (its hash is in
  the name). They stay readable only until they are sealed in place, at once by the station
  that turned encryption on, or by the next station with the key to sync if that one was
  interrupted (`reseal.py`); both are then emptied, and any file in the clear is refused.
- `retired`: keys replaced by a rotation, each with its secret and, per station, the
  highest seq sealed with it. Files within those bounds stay readable for stations holding
  the new key; a station holding only an old key cannot open the record, so it learns no
  new key and reads nothing written after the rotation. Someone who kept an old key cannot
  add a file the others accept: a file under a retired key beyond its bound fails.

Anything else fails as "tampered or corrupt" and is quarantined by the engine: a plain file
beyond its bound, a file sealed for another place, a snapshot not sealed with the current key
(except the one plain snapshot named above).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path
from typing import Any

from db.sync.crypto import (
    HEADER_LEN,
    TAG_LEN,
    AgencyKey,
    EncryptionError,
    TamperedFile,
    is_sealed,
    key_id_of,
    seal,
    unseal,
    wrapped_key_id,
)
from db.sync.errors import ShareIOError
from db.sync.transport import ChangeRef, FileInfo, Skipped, SnapshotRef, Transport

RECORD_FORMAT = 1
# meta.json's format once encryption is on: releases from before encryption refuse a share
# of a newer format with "update Agency Desk to sync", instead of writing in the clear.
SHARE_FORMAT_ENCRYPTED = 2
META_FIELD = "encryption"
ENVELOPE_BYTES = HEADER_LEN + TAG_LEN  # what sealing adds to a file's size
_RECORD_KIND = "encryption"
_CHANGE = "change"
_SNAPSHOT = "snapshot"


@dataclass(frozen=True)
class EncryptionState:
    """What the sealed record of the share says, opened with the current key."""

    key: AgencyKey
    wrapped: dict[str, Any]
    plain: dict[str, int] = field(default_factory=dict)
    plain_snapshot: str | None = None
    retired: dict[str, tuple[AgencyKey, dict[str, int]]] = field(default_factory=dict)

    def record(self) -> dict[str, Any]:
        """The encryption record for meta, sealed with the current key."""
        inner = {
            "plain": dict(sorted(self.plain.items())),
            "plain_snapshot": self.plain_snapshot,
            "retired": {
                kid: {"secret": base64.b64encode(k.secret).decode("ascii"), "upto": upto}
                for kid, (k, upto) in sorted(self.retired.items())
            },
        }
        sealed = seal(
            self.key,
            kind=_RECORD_KIND,
            station="",
            seq=0,
            data=json.dumps(inner, sort_keys=True).encode(),
        )
        return {
            "format": RECORD_FORMAT,
            "key_id": self.key.key_id,
            "wrapped": self.wrapped,
            "sealed": base64.b64encode(sealed).decode("ascii"),
        }


def _damaged(what: str) -> EncryptionError:
    return EncryptionError(
        f"the encryption settings on the share are damaged ({what}); nothing was sent or received"
    )


def record_of(meta: Mapping[str, Any]) -> dict[str, Any] | None:
    """The encryption record in meta, None when the share is plain."""
    record = meta.get(META_FIELD)
    if record is None:
        return None
    if not isinstance(record, dict):
        raise _damaged("not a record")
    if record.get("format") != RECORD_FORMAT:
        raise EncryptionError(
            "the share's encryption was set up by a newer Agency Desk; update Agency Desk to sync"
        )
    if not isinstance(record.get("wrapped"), dict) or not isinstance(record.get("sealed"), str):
        raise _damaged("its key is missing")
    if record.get("key_id") != wrapped_key_id(record["wrapped"]):
        raise _damaged("its key ids differ")
    return record


def _vector(value: Any, what: str) -> dict[str, int]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and type(v) is int for k, v in value.items()
    ):
        raise _damaged(what)
    return dict(value)


def open_record(record: Mapping[str, Any], key: AgencyKey) -> EncryptionState:
    """The record's sealed part opened with `key` (the current key); raises when it does
    not authenticate."""
    try:
        blob = base64.b64decode(record["sealed"], validate=True)
        inner = json.loads(
            unseal({key.key_id: key}, kind=_RECORD_KIND, station="", seq=0, blob=blob)
        )
    except (binascii.Error, ValueError, TamperedFile):
        raise _damaged("its sealed part does not open with the agency key") from None
    if not isinstance(inner, dict):
        raise _damaged("its sealed part is not a record")
    retired: dict[str, tuple[AgencyKey, dict[str, int]]] = {}
    found = inner.get("retired") or {}
    if not isinstance(found, dict):
        raise _damaged("retired keys")
    for kid, entry in found.items():
        try:
            old = AgencyKey(kid, base64.b64decode(entry["secret"], validate=True))
        except (TypeError, KeyError, ValueError, binascii.Error):
            raise _damaged("a retired key") from None
        retired[kid] = (old, _vector(entry.get("upto"), "a retired key's bounds"))
    snapshot = inner.get("plain_snapshot")
    return EncryptionState(
        key=key,
        wrapped=dict(record["wrapped"]),
        plain=_vector(inner.get("plain") or {}, "plain bounds"),
        plain_snapshot=snapshot if isinstance(snapshot, str) else None,
        retired=retired,
    )


class EncryptedTransport:
    """`inner`, with change files and snapshots sealed under `state.key`. Everything else
    (meta, acks, the lease, the agency record, the share's clock) passes through; so do
    attributes the engine looks for on a transport (`ignored`, `pull_after`, ...)."""

    envelope_bytes = ENVELOPE_BYTES

    def __init__(self, inner: Transport, state: EncryptionState) -> None:
        self.inner = inner
        self.state = state
        # The server refuses a push under another key than meta names at that moment
        # (server/transport.py): a station that missed a switch cannot write behind it.
        if hasattr(inner, "expected_key_id"):
            setattr(inner, "expected_key_id", state.key.key_id)  # noqa: B010

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    # -- opening what was read -----------------------------------------------------------

    def open_change(self, ref: ChangeRef, blob: bytes) -> bytes:
        if not is_sealed(blob):
            if ref.seq <= self.state.plain.get(ref.station, 0):
                return blob  # written before encryption was turned on
            raise TamperedFile(
                "tampered or corrupt: not sealed with the agency key (written in the clear "
                "after encryption was turned on)"
            )
        key_id = key_id_of(blob)
        keys = {self.state.key.key_id: self.state.key}
        retired = self.state.retired.get(key_id or "")
        if retired is not None:
            old, upto = retired
            if ref.seq > upto.get(ref.station, 0):
                raise TamperedFile(
                    f"tampered or corrupt: sealed with agency key {old.key_id}, which was "
                    "replaced before this file's seq"
                )
            keys = {old.key_id: old}
        return unseal(keys, kind=_CHANGE, station=ref.station, seq=ref.seq, blob=blob)

    def same_content(self, ref: ChangeRef, applied_hash: str) -> bool:
        """Whether the file at `ref` holds exactly the changes of the file with hash
        `applied_hash` that was applied at its seq: the same bytes in the clear, or sealed
        with a key of this share (sealing is deterministic). So a file its author published
        again, sealed, after a switch is not taken for a second file at that seq."""
        try:
            data = self.read_change(ref)
        except ShareIOError:
            return False
        if sha256(data).hexdigest() == applied_hash:
            return True
        keys = [self.state.key, *(k for k, _upto in self.state.retired.values())]
        return any(
            sha256(seal(key, kind=_CHANGE, station=ref.station, seq=ref.seq, data=data)).hexdigest()
            == applied_hash
            for key in keys
        )

    # -- Transport ------------------------------------------------------------------------

    def check(self) -> None:
        self.inner.check()

    def read_meta(self) -> dict[str, Any]:
        return self.inner.read_meta()

    def write_meta(self, meta: dict[str, Any]) -> None:
        self.inner.write_meta(meta)

    def list_stations(self) -> list[str]:
        return self.inner.list_stations()

    def list_changes(self, station: str, after: int) -> tuple[list[ChangeRef], list[Skipped]]:
        return self.inner.list_changes(station, after)

    def inspect_changes(self, station: str) -> list[FileInfo]:
        return self.inner.inspect_changes(station)

    def read_change(self, ref: ChangeRef) -> bytes:
        return self.open_change(ref, self.inner.read_change(ref))

    def sealed_change(self, station: str, seq: int, data: bytes) -> bytes:
        """`data` sealed under the current key as change `seq` of `station`."""
        return seal(self.state.key, kind=_CHANGE, station=station, seq=seq, data=data)

    def sealed_snapshot(self, generation: int, data: bytes) -> bytes:
        """A snapshot's bytes sealed under the current key for `generation`."""
        return seal(self.state.key, kind=_SNAPSHOT, station="", seq=generation, data=data)

    def write_change(self, station: str, seq: int, data: bytes) -> ChangeRef:
        return self.inner.write_change(station, seq, self.sealed_change(station, seq, data))

    def delete_change(self, ref: ChangeRef) -> None:
        self.inner.delete_change(ref)

    def read_acks(self) -> dict[str, dict[str, Any]]:
        return self.inner.read_acks()

    def write_ack(self, station: str, ack: dict[str, Any]) -> None:
        # The key this station last wrote with: after a switch it checks its own files
        # again (encryption.prepare_station), whatever their sizes and times say.
        self.inner.write_ack(station, {**ack, "key_id": self.state.key.key_id})

    def list_snapshots(self) -> list[SnapshotRef]:
        return self.inner.list_snapshots()

    def fetch_snapshot(self, ref: SnapshotRef, dest: Path) -> None:
        self.inner.fetch_snapshot(ref, dest)
        blob = dest.read_bytes()
        if not is_sealed(blob):
            if ref.name and ref.name == self.state.plain_snapshot:
                return  # the plain snapshot of the moment encryption was turned on
            dest.unlink()
            raise TamperedFile(
                f"snapshot {ref.name}: tampered or corrupt (not sealed with the agency key)"
            )
        try:
            # Only the current key: an old key's holder must not be able to slip in a
            # snapshot that rebuilding stations would load whole.
            data = unseal(
                {self.state.key.key_id: self.state.key},
                kind=_SNAPSHOT,
                station="",
                seq=ref.generation,
                blob=blob,
            )
        except EncryptionError as exc:
            dest.unlink()
            raise TamperedFile(f"snapshot {ref.name}: {exc}") from None
        dest.write_bytes(data)

    def publish_snapshot(self, generation: int, source: Path) -> SnapshotRef:
        sealed = self.sealed_snapshot(generation, source.read_bytes())
        fd, name = tempfile.mkstemp(prefix="agency-desk-sealed-", suffix=".sqlite")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(sealed)
            return self.inner.publish_snapshot(generation, Path(name))
        finally:
            os.unlink(name)

    def delete_snapshot(self, ref: SnapshotRef) -> None:
        self.inner.delete_snapshot(ref)

    def read_lease(self) -> dict[str, Any] | None:
        return self.inner.read_lease()

    def write_lease(self, lease: dict[str, Any] | None) -> None:
        self.inner.write_lease(lease)

    def read_agency(self) -> dict[str, Any] | None:
        return self.inner.read_agency()

    def claim_agency(self, agency: dict[str, Any]) -> dict[str, Any]:
        return self.inner.claim_agency(agency)
