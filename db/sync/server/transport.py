"""The agency-server transport: `db.sync.transport.Transport` over PostgreSQL tables, so the
same engine, outbox and merge code sync through a server as through a shared folder.

A pushed batch (what the folder keeps as one change file) is one row of `changes`: one insert,
in one transaction, with `ON CONFLICT DO NOTHING`, so pushing the same batch again is
harmless; the same statement returns the hash the server holds at that (station, seq), and
a different one is refused (only a copied install could make it, and it takes a new id).

Pull asks for everything after this station's cursor in one round trip: the cursor is the
station's version vector (author -> highest seq applied), read with one index range scan per
author. A `server_seq` cursor would be shorter to write, but bigserial values are taken
before their transactions commit, in any order, so a reader can pass a row that commits a
moment later with a lower number and never see it; seqs per author have no such gap, and a
missing one means "not arrived yet" exactly as on a share. Payloads are then fetched in
batches, in the order the engine applies them.

Everything read is still checked: a payload against its hash and size cap, acks, meta and the
lease against their schemas (`validate.py`), since any station may have written them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from pathlib import Path
from typing import Any, TypeVar

import psycopg
from psycopg.types.json import Jsonb

from db.sync.crypto import EncryptionRequired
from db.sync.errors import ShareIOError
from db.sync.server.connect import connect, describe, guarded, translate
from db.sync.server.schema import check_version
from db.sync.transport import ChangeRef, FileInfo, Skipped, SnapshotRef
from db.sync.validate import (
    ACK,
    CHANGE_FILE_CAP,
    LEASE,
    META,
    SMALL_FILE_CAP,
    Kind,
    check_record,
    load_json,
)
from db.sync.wire import Rejected

log = logging.getLogger(__name__)
T = TypeVar("T")
# Payloads fetched per round trip while pulling: the engine reads one station's batches in
# seq order, so the next ones are fetched along with the one asked for.
FETCH_ROWS = 64
FETCH_BYTES = 64 * 1024 * 1024
_CHANGE_IDS = uuid.UUID("5a0f4a38-6d1c-4c55-9d3e-6a8f2f0e7a16")


def change_id(station: str, seq: int, digest: str) -> uuid.UUID:
    """The batch's id: the same bytes pushed again get the same id (idempotent insert)."""
    return uuid.uuid5(_CHANGE_IDS, f"{station}/{seq}/{digest}")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _ms(value: Any) -> int | None:
    return None if value is None else int(value.timestamp() * 1000)


class ServerTransport:
    """One connection to the server for the length of one sync (`close()` after)."""

    def __init__(self, url: str, password: str | None = None) -> None:
        self.url = url
        self.password = password
        self.where = describe(url)
        self.ignored: list[Skipped] = []
        self.bad_meta: str | None = None
        self._conn: psycopg.Connection[Any] | None = None
        self._registered: set[str] = set()
        self._me: str | None = None  # the login, once asked
        self._pending: dict[str, list[ChangeRef]] = {}
        self._stations: list[str] | None = None
        self._pulling: set[tuple[str, int]] = set()  # (station, seq) this pull will read
        self._payloads: dict[tuple[str, int], tuple[str, bytes]] = {}
        self._written: dict[tuple[str, int], int] = {}
        self.fetch_rows = FETCH_ROWS
        # The agency key meta named when this sync began ("" when in the clear; set by the
        # encrypting transport). A push is refused once meta names another: see write_change.
        self.expected_key_id = ""

    # -- the connection --------------------------------------------------------------------

    @property
    def conn(self) -> psycopg.Connection[Any]:
        if self._conn is None or self._conn.closed:
            self._conn = connect(self.url, self.password)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> ServerTransport:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _q(self, query: str, args: Any = None) -> list[tuple[Any, ...]]:
        """Run one statement (its own transaction) and return its rows."""

        def run() -> list[tuple[Any, ...]]:
            cur = self.conn.execute(query.encode(), args)
            return cur.fetchall() if cur.description is not None else []

        try:
            return run()
        except psycopg.Error as exc:
            if self._conn is not None and self._conn.closed:
                self._conn = None  # the next sync connects again
            raise translate(self.where, exc) from None

    def note_ignored(self, name: str, reason: str) -> None:
        if all(s.name != name for s in self.ignored):
            self.ignored.append(Skipped(name, reason))

    def _record(self, text: str | None, kind: Kind, name: str) -> Any:
        """A JSON record from the server, checked like a file on a share; None when absent
        or unsound (then noted with why)."""
        if text is None:
            return None
        try:
            value = load_json(text.encode(), depth=8)
        except Rejected as exc:
            self.note_ignored(name, str(exc))
            return None
        problem = check_record(kind, value)
        if problem:
            self.note_ignored(name, problem)
            return None
        return value

    def _register(self, station: str) -> None:
        """Record that this login writes for `station` (row-level security lets a login
        insert only under station ids registered to it)."""
        if station in self._registered:
            return
        rows = self._q(
            "WITH ins AS (INSERT INTO agency_desk.stations (station) VALUES (%s) "
            "ON CONFLICT DO NOTHING RETURNING role_name) "
            "SELECT role_name, true FROM ins UNION ALL "
            "SELECT role_name, false FROM agency_desk.stations WHERE station = %s",
            (station, station),
        )
        if self._me is None:
            self._me = str(self._q("SELECT current_user")[0][0])
        me = self._me
        if not rows or rows[0][0] != me:
            raise ShareIOError(
                f"agency server {self.where}: station {station} belongs to another login "
                f"than {me}; nothing was sent"
            )
        self._registered.add(station)

    # -- Transport ------------------------------------------------------------------------

    def check(self) -> None:
        guarded(self.where, lambda: check_version(self.conn, self.where))

    def read_meta(self) -> dict[str, Any]:
        rows = self._q("SELECT meta::text FROM agency_desk.meta WHERE id = 1")
        self.bad_meta = None
        if not rows:
            return {}
        before = len(self.ignored)
        meta = self._record(rows[0][0], META, "meta")
        if meta is None:
            self.bad_meta = self.ignored[before].reason if len(self.ignored) > before else "unsound"
            return {}
        return dict(meta)

    def write_meta(self, meta: dict[str, Any]) -> None:
        self._q(
            "INSERT INTO agency_desk.meta (id, meta) VALUES (1, %s) ON CONFLICT (id) DO UPDATE "
            "SET meta = excluded.meta, written_at = clock_timestamp()",
            (Jsonb(meta),),
        )

    def list_stations(self) -> list[str]:
        if self._stations is not None:  # read a moment ago by pull_after, for this pull
            stations, self._stations = self._stations, None
            return stations
        return [r[0] for r in self._q("SELECT station FROM agency_desk.stations ORDER BY 1")]

    def pull_after(self, me: str, applied: dict[str, int]) -> None:
        """Everything after this station's cursor (its applied vector), every author at
        once, with the list of stations; `list_stations` and `list_changes` then answer
        from it for this one pull."""
        rows = self._q(
            "SELECT s.station, c.seq, c.hash FROM agency_desk.stations s "
            "LEFT JOIN LATERAL (SELECT seq, hash FROM agency_desk.changes c "
            "  WHERE c.station = s.station AND s.station <> %s AND c.seq > "
            "  coalesce((%s::jsonb ->> s.station)::bigint, 0) ORDER BY seq) c ON true "
            "ORDER BY 1, 2",
            (me, json.dumps(applied)),
        )
        pending: dict[str, list[ChangeRef]] = {}
        for station, seq, digest in rows:
            refs = pending.setdefault(station, [])
            if seq is not None:
                refs.append(ChangeRef(int(seq), digest, station))
        self._stations = sorted(pending)
        pending.pop(me, None)
        self._pending = pending
        self._pulling = {(r.station, r.seq) for refs in pending.values() for r in refs}

    def list_changes(self, station: str, after: int) -> tuple[list[ChangeRef], list[Skipped]]:
        pending = self._pending.pop(station, None)
        if pending is not None:
            return [r for r in pending if r.seq > after], []
        rows = self._q(
            "SELECT seq, hash FROM agency_desk.changes WHERE station = %s AND seq > %s "
            "ORDER BY seq",
            (station, after),
        )
        return [ChangeRef(int(seq), digest, station) for seq, digest in rows], []

    def inspect_changes(self, station: str) -> list[FileInfo]:
        rows = self._q(
            "SELECT seq, hash, octet_length(payload), received_at FROM agency_desk.changes "
            "WHERE station = %s ORDER BY seq",
            (station,),
        )
        return [
            FileInfo(
                ChangeRef(int(seq), digest, station),
                int(size),
                int(received.timestamp() * 1_000_000_000),
                True,
            )
            for seq, digest, size, received in rows
        ]

    def read_change(self, ref: ChangeRef) -> bytes:
        cached = self._payloads.pop((ref.station, ref.seq), None)
        if cached is None or cached[0] != ref.sha256:
            self._fetch(ref)
            cached = self._payloads.pop((ref.station, ref.seq), None)
        name = f"{ref.seq:012d}-{ref.sha256}.jsonl"
        if cached is None or cached[0] != ref.sha256:
            raise ShareIOError(f"{name}: gone from the server while read")
        data = cached[1]
        if len(data) > CHANGE_FILE_CAP:
            raise ShareIOError(f"{name}: {len(data):,} bytes, more than a batch of ours can be")
        if _sha256(data) != ref.sha256:
            raise ShareIOError(f"{name}: content does not match its checksum")
        return data

    def _fetch(self, ref: ChangeRef) -> None:
        """This batch and, while pulling, the next few of its station, in one round trip
        (a batch read for another reason, such as the check of our own, comes alone)."""
        pulling = (ref.station, ref.seq) in self._pulling
        rows = self._q(
            "SELECT seq, hash, payload FROM (SELECT seq, hash, payload, "
            "sum(octet_length(payload)) OVER (ORDER BY seq) AS total "
            "FROM agency_desk.changes WHERE station = %s AND seq >= %s ORDER BY seq "
            "LIMIT %s) t WHERE total <= %s OR seq = %s",
            (ref.station, ref.seq, self.fetch_rows if pulling else 1, FETCH_BYTES, ref.seq),
        )
        for seq, digest, payload in rows:
            self._payloads[(ref.station, int(seq))] = (digest, bytes(payload))

    def write_change(self, station: str, seq: int, data: bytes) -> ChangeRef:
        ref = ChangeRef(seq, _sha256(data), station)
        self._register(station)
        # Inserted only while meta names the key this station writes with (issue 17): the
        # meta row is locked FOR SHARE, so turning encryption on or changing the key waits
        # for pushes in flight and every later push under the old state is refused. The
        # station that switches then lists every batch written before the switch.
        key = self.expected_key_id
        rows = self._q(
            "WITH g AS (SELECT coalesce((SELECT meta->'encryption'->>'key_id' FROM "
            "agency_desk.meta WHERE id = 1 FOR SHARE), '') AS k), "
            "ins AS (INSERT INTO agency_desk.changes (station, seq, change_id, hash, "
            "payload) SELECT %s, %s, %s, %s, %s FROM g WHERE g.k = %s ON CONFLICT DO NOTHING "
            "RETURNING hash, received_at) "
            "SELECT hash, received_at FROM ins UNION ALL SELECT hash, received_at "
            "FROM agency_desk.changes WHERE station = %s AND seq = %s "
            "UNION ALL SELECT NULL, NULL FROM g WHERE g.k <> %s",
            (
                *(station, seq, change_id(station, seq, ref.sha256), ref.sha256, data, key),
                *(station, seq, key),
            ),
        )
        stored = [r for r in rows if r[0] is not None]
        if not stored and len(rows) > 0:
            raise EncryptionRequired(
                f"agency server {self.where}: its encryption changed during this sync (turned "
                "on, or a new agency key); nothing was sent. Sync again"
            )
        rows = stored
        if not rows:
            raise ShareIOError(f"agency server {self.where}: batch {seq} was not stored")
        if rows[0][0] != ref.sha256:
            raise ShareIOError(
                f"agency server {self.where}: seq {seq} of station {station} holds other "
                "changes already; nothing marked as sent"
            )
        written = _ms(rows[0][1])
        if written is not None:
            self._written[(station, seq)] = written
        return ref

    def delete_change(self, ref: ChangeRef) -> None:
        self._q("SELECT agency_desk.purge_change(%s, %s)", (ref.station, ref.seq))

    def replace_change(self, ref: ChangeRef, sealed: bytes) -> ChangeRef:
        """The batch at `ref`, written in the clear, replaced in place by `sealed` (the same
        changes sealed under the agency key): turning encryption on leaves no batch readable
        on the server. Any station's batch, through `reseal_change` (schema.py), which
        refuses anything but a batch in the clear replaced by one sealed under meta's key."""
        digest = _sha256(sealed)
        self._q(
            "SELECT agency_desk.reseal_change(%s, %s, %s, %s, %s)",
            (ref.station, ref.seq, ref.sha256, change_id(ref.station, ref.seq, digest), sealed),
        )
        return ChangeRef(ref.seq, digest, ref.station)

    def read_acks(self) -> dict[str, dict[str, Any]]:
        acks = {}
        for station, text in self._q("SELECT station, ack::text FROM agency_desk.acks"):
            ack = self._record(text, ACK, f"acks/{station}")
            if ack is not None and ack["station"] != station:
                self.note_ignored(f"acks/{station}", "its station is not the one it is filed under")
            elif ack is not None:
                acks[station] = ack
        return acks

    def write_ack(self, station: str, ack: dict[str, Any]) -> None:
        self._register(station)
        self._q(
            "INSERT INTO agency_desk.acks (station, ack) VALUES (%s, %s) ON CONFLICT (station) "
            "DO UPDATE SET ack = excluded.ack, written_at = clock_timestamp()",
            (station, Jsonb(ack)),
        )

    def list_snapshots(self) -> list[SnapshotRef]:
        rows = self._q("SELECT generation, hash, name FROM agency_desk.snapshots ORDER BY 1")
        return [SnapshotRef(int(g), h, n) for g, h, n in rows]

    def fetch_snapshot(self, ref: SnapshotRef, dest: Path) -> None:
        rows = self._q("SELECT data FROM agency_desk.snapshots WHERE name = %s", (ref.name,))
        if not rows:
            raise ShareIOError(f"snapshot {ref.name} is missing from the server")
        data = bytes(rows[0][0])
        if _sha256(data) != ref.sha256:
            raise ShareIOError(f"snapshot {ref.name} does not match its checksum")
        dest.write_bytes(data)

    def publish_snapshot(self, generation: int, source: Path) -> SnapshotRef:
        data = source.read_bytes()
        digest = _sha256(data)
        ref = SnapshotRef(generation, digest, f"{generation:08d}-{digest}.sqlite")
        self._q(
            "INSERT INTO agency_desk.snapshots (name, generation, hash, data) "
            "VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
            (ref.name, generation, digest, data),
        )
        return ref

    def delete_snapshot(self, ref: SnapshotRef) -> None:
        self._q("SELECT agency_desk.drop_snapshot(%s)", (ref.name,))

    def read_lease(self) -> dict[str, Any] | None:
        rows = self._q("SELECT lease::text FROM agency_desk.lease WHERE id = 1")
        lease = self._record(rows[0][0], LEASE, "lease") if rows else None
        return dict(lease) if isinstance(lease, dict) else None

    def write_lease(self, lease: dict[str, Any] | None) -> None:
        if lease is None:
            self._q("DELETE FROM agency_desk.lease WHERE id = 1")
            return
        self._q(
            "INSERT INTO agency_desk.lease (id, lease) VALUES (1, %s) ON CONFLICT (id) DO UPDATE "
            "SET lease = excluded.lease, written_at = clock_timestamp()",
            (Jsonb(lease),),
        )

    def read_agency(self) -> dict[str, Any] | None:
        rows = self._q("SELECT record::text FROM agency_desk.agency WHERE id = 1")
        if not rows:
            return None
        try:
            record = load_json(str(rows[0][0]).encode(), depth=8)
        except Rejected:
            record = None
        if not isinstance(record, dict) or len(rows[0][0]) > SMALL_FILE_CAP:
            raise ShareIOError(
                f"agency server {self.where}: the agency record cannot be read; nothing was "
                "sent or received"
            )
        return record

    def claim_agency(self, agency: dict[str, Any]) -> dict[str, Any]:
        self._q(
            "INSERT INTO agency_desk.agency (id, record) VALUES (1, %s) ON CONFLICT DO NOTHING",
            (Jsonb(agency),),
        )
        held = self.read_agency()
        if held is None:
            raise ShareIOError(f"agency server {self.where}: the agency record was not stored")
        return held

    # -- the server's clock (hlc.py, compaction) -------------------------------------------

    def written_ms(self, ref: ChangeRef) -> int | None:
        return self._written.get((ref.station, ref.seq))

    def ack_times(self) -> dict[str, int]:
        rows = self._q("SELECT station, written_at FROM agency_desk.acks")
        return {station: int(at.timestamp() * 1000) for station, at in rows}

    def lease_written_ms(self) -> int | None:
        rows = self._q("SELECT written_at FROM agency_desk.lease WHERE id = 1")
        return _ms(rows[0][0]) if rows else None

    def snapshot_written_ms(self, name: str) -> int | None:
        rows = self._q("SELECT written_at FROM agency_desk.snapshots WHERE name = %s", (name,))
        return _ms(rows[0][0]) if rows else None
