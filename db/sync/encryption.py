"""Turning a share's encryption on, joining an encrypted share, and changing its key: the
operations the command line and the GUI call (issue 17). The envelope is `crypto.py`, the
sealing transport `encrypted.py`, the keychain `keystore.py`.

- `encryption_status(transport, agency_id)`: on or off, the current key's id, and whether
  this computer holds it.
- `unlock(transport, agency_id, passphrase)`: a station joining an encrypted share opens the
  wrapped key with the agency passphrase once and keeps the key in the keychain; a wrong
  passphrase raises `WrongPassphrase` with nothing changed.
- `enable_encryption(db_path, transport, share, passphrase)`: converts a plain share or server
  in place: a new key goes into the keychain and, wrapped, onto the share, recording which
  plain files exist; then this station syncs sealed (its unsent edits never go out in the
  clear), sealing every one of those files in place first (`reseal.py`: nothing readable is
  left on the share), and publishes a sealed snapshot.
  Stations still editing lose nothing: a station that has not unlocked is stopped with
  `EncryptionRequired` before it sends anything (its outbox waits), and a file it wrote in
  the clear in the moment of the switch is quarantined by the others and published again,
  sealed, by its author (`prepare_station`).
- `rotate_key(db_path, transport, share, new_passphrase)`: someone left: a new key, a new
  snapshot under it, the old key kept only inside the record sealed with the new one.

`secure` and `prepare_station` are the engine's two hooks: `sync()` wraps the transport when
the share is encrypted (or stops with a clear message when this station cannot read it), and
refuses to go on in the clear with a share of an agency that has turned encryption on (the
agency-wide setting `sync_encryption`, which travels like every setting): someone who removed
the encryption record from the share cannot make stations write their data in the clear.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from db import instance_lock
from db.sync import agency as agencies
from db.sync import keystore, reseal, snapshots
from db.sync.crypto import (
    AgencyKey,
    EncryptionError,
    EncryptionRequired,
    MissingKey,
    check_passphrase,
    new_key,
    unwrap_key,
    wrap_key,
)
from db.sync.encrypted import (
    META_FIELD,
    SHARE_FORMAT_ENCRYPTED,
    EncryptedTransport,
    EncryptionState,
    open_record,
    record_of,
)
from db.sync.errors import SyncBusyError
from db.sync.local import LocalStation
from db.sync.transport import Transport
from db.sync.wire import SHARE_FORMAT

SETTING_KEY = "sync_encryption"
SETTING_ID = "sync-encryption"  # one row id on every station, so two enables merge


@dataclass(frozen=True)
class EncryptionStatus:
    """Whether the share is encrypted, its current key's id, and whether this computer's
    keychain holds that key (when not, the passphrase is asked: `unlock`)."""

    enabled: bool
    key_id: str | None
    have_key: bool


def share_agency_id(transport: Transport) -> str | None:
    agency = agencies.share_agency(transport)
    return agency.id if agency is not None else None


def _where(transport: Transport, share: Path | str) -> str:
    server = getattr(transport, "where", None)  # the server transport names itself
    return f"agency server {server}" if isinstance(server, str) else f"shared folder {share}"


def _place_args(transport: Transport, share: Path | str) -> str:
    is_server = isinstance(getattr(transport, "where", None), str)
    return "--server URL" if is_server else f"--share {share}"


def _unlock_hint(transport: Transport, share: Path | str) -> str:
    return (
        "enter the agency passphrase once: in the app (Preferences > Sync), or "
        f"agency-desk sync --db DB {_place_args(transport, share)} (it asks; or "
        "--passphrase-file FILE, or AGENCY_DESK_PASSPHRASE)"
    )


def encryption_status(transport: Transport, agency_id: str | None = None) -> EncryptionStatus:
    record = record_of(transport.read_meta())
    if record is None:
        return EncryptionStatus(False, None, False)
    agency_id = agency_id or share_agency_id(transport)
    keys = keystore.load_keys(agency_id) if agency_id else {}
    return EncryptionStatus(True, record["key_id"], record["key_id"] in keys)


def unlock(transport: Transport, agency_id: str | None, passphrase: str) -> EncryptionStatus:
    """Open the share's agency key with `passphrase` and keep it in the keychain."""
    record = record_of(transport.read_meta())
    if record is None:
        raise EncryptionError("the share is not encrypted; there is nothing to unlock")
    key = unwrap_key(record["wrapped"], passphrase)
    open_record(record, key)  # the wrapped key belongs to this share's record
    agency_id = agency_id or share_agency_id(transport)
    if agency_id is None:
        raise EncryptionError("the share records no agency; there is nothing to unlock")
    keystore.save_key(agency_id, key)
    return EncryptionStatus(True, key.key_id, True)


# -- the engine's hooks ------------------------------------------------------------------------


def secure(transport: Transport, meta: dict[str, Any], share: Path | str) -> Transport:
    """`transport` sealed with the agency key when the share is encrypted, as it is when
    not. Raises `EncryptionRequired` or `MissingKey` (nothing sent) when this computer does
    not hold the share's current key."""
    record = record_of(meta)
    if isinstance(transport, EncryptedTransport):
        return transport
    if record is None:
        if getattr(transport, "bad_meta", None) is not None:
            # meta.json is unreadable, so it cannot say whether the share is encrypted: a
            # station that holds this agency's key must not take it for a plain one.
            agency_id = share_agency_id(transport)
            if agency_id is not None and keystore.load_keys(agency_id):
                raise EncryptionRequired(
                    f"{_where(transport, share)}: its meta.json cannot be read, so this "
                    "station cannot tell whether it is encrypted; nothing was sent or "
                    "received. Sync again once the file is whole"
                )
        return transport
    agency_id = share_agency_id(transport)
    if agency_id is None:
        raise EncryptionError(
            f"{_where(transport, share)} is encrypted but records no agency; nothing was "
            "sent or received"
        )
    keys = keystore.load_keys(agency_id)
    key = keys.get(record["key_id"])
    if key is None:
        if keys:
            raise MissingKey(
                f"the agency key of {_where(transport, share)} was changed (someone left the "
                "agency?); this station cannot read anything new until you "
                f"{_unlock_hint(transport, share)} with the new passphrase. Nothing was sent "
                "or received"
            )
        raise EncryptionRequired(
            f"{_where(transport, share)} is encrypted; to sync this station, "
            f"{_unlock_hint(transport, share)}. Nothing was sent or received"
        )
    return EncryptedTransport(transport, open_record(record, key))


def agency_encrypts(station: LocalStation) -> bool:
    assert station.conn is not None
    row = station.conn.execute(
        "SELECT value FROM agency_setting WHERE key = ?", (SETTING_KEY,)
    ).fetchone()
    return row is not None and row[0] not in (None, "false", "null")


def prepare_station(
    station: LocalStation, transport: Transport, share: Path | str, *, plain_ok: bool = False
) -> None:
    """Before this station sends anything. In the clear: refuse when its agency encrypts
    (unless `plain_ok`: encryption is being turned on again). Encrypted: after a switch of
    key (or to encryption), read every file of ours on the share once, whatever its size and
    time say, so one written under the old key (or in the clear) in the moment of the switch
    is found and published again under the current key."""
    assert station.conn is not None
    if not isinstance(transport, EncryptedTransport):
        if not plain_ok and agency_encrypts(station):
            raise EncryptionRequired(
                f"this agency's sync is encrypted, but {_where(transport, share)} holds no "
                "encryption settings (removed, or the share was replaced); nothing was sent or "
                "received. "
                "To encrypt it again: agency-desk sync --db DB "
                f"{_place_args(transport, share)} --encrypt"
            )
        return
    # What the share still holds in the clear from before the switch is sealed in place
    # (reseal.py), by the station that switched or, if it was interrupted, by the next one.
    reseal.finish_conversion(station, transport)
    me = station.identity().station_id
    ack = transport.read_acks().get(me)
    if ack is not None and ack.get("key_id") == transport.state.key.key_id:
        return
    station.begin()
    try:
        station.conn.execute("UPDATE sync_file SET size = NULL WHERE station = ?", (me,))
        station.conn.execute("UPDATE sync_ctl SET acked = '{}' WHERE id = 1")
        station.commit()
    except BaseException:
        station.rollback()
        raise


# -- turning it on, changing the key ----------------------------------------------------------


def _bounds(transport: Transport) -> dict[str, int]:
    """station -> the highest seq of its files on the share now."""
    found = {}
    for station in transport.list_stations():
        refs, _ = transport.list_changes(station, 0)
        if refs:
            found[station] = max(r.seq for r in refs)
    return found


def _merged(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    return {s: max(a.get(s, 0), b.get(s, 0)) for s in set(a) | set(b)}


def _switch(
    db_path: Path, transport: Transport, state: EncryptionState, retiring: str | None
) -> None:
    """Write the new encryption record into meta under the compaction lease, then list the
    share again and widen the bounds to any file that landed meanwhile (the server refuses
    writes under the old state once meta has changed, so its list is then complete)."""
    with instance_lock.held(db_path):
        station = LocalStation(db_path)
        try:
            # A share nobody has synced with yet has no meta.json: start it as sync would.
            meta: dict[str, Any] = {"format": SHARE_FORMAT, "generation": 0, "snapshots": []}
            meta.update(transport.read_meta())
            generation = int(meta.get("generation", 0))
            if not snapshots._take_lease(station, transport, generation + 1):
                raise SyncBusyError(
                    "another station is compacting the share right now; try again in a minute"
                )
            try:
                meta["format"] = max(int(meta.get("format", 1)), SHARE_FORMAT_ENCRYPTED)
                transport.write_meta({**meta, META_FIELD: state.record()})
                again = _bounds(transport)
                if retiring is None:
                    widened = replace(state, plain=_merged(state.plain, again))
                else:
                    old, upto = state.retired[retiring]
                    retired = {**state.retired, retiring: (old, _merged(upto, again))}
                    widened = replace(state, retired=retired)
                if widened != state:
                    meta.update(transport.read_meta())
                    transport.write_meta({**meta, META_FIELD: widened.record()})
                _mark_agency_encrypted(station)
            finally:
                lease = transport.read_lease()
                if lease and lease.get("station") == station.identity().station_id:
                    transport.write_lease(None)
        finally:
            station.close()


def _mark_agency_encrypted(station: LocalStation) -> None:
    """The agency-wide setting every station learns by sync (see the module docstring)."""
    assert station.conn is not None
    if agency_encrypts(station):
        return
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    station.begin()
    try:
        station.conn.execute(
            "INSERT INTO agency_setting (id, key, value, created_at, updated_at) "
            "VALUES (?, ?, 'true', ?, ?) ON CONFLICT (id) DO UPDATE SET value = 'true', "
            "updated_at = excluded.updated_at",
            (SETTING_ID, SETTING_KEY, now, now),
        )
        station.commit()
    except BaseException:
        station.rollback()
        raise


def _sync(db_path: Path, transport: Transport, share: Path, place: str | None, **kw: Any) -> Any:
    from db.sync.engine import sync

    return sync(db_path, share, transport=transport, place=place, **kw)


def enable_encryption(
    db_path: Path,
    transport: Transport,
    share: Path,
    passphrase: str,
    *,
    place: str | None = None,
) -> EncryptionStatus:
    """Convert the plain share (or server) behind `transport` in place, from the station at
    `db_path`; see the module docstring. Raises `EncryptionError` when it is encrypted
    already, or the passphrase is too short, before anything changes."""
    passphrase = check_passphrase(passphrase)
    transport.check()
    if record_of(transport.read_meta()) is not None:
        raise EncryptionError(
            f"{_where(transport, share)} is encrypted already; to change its key and passphrase, "
            "use --rotate-key"
        )
    _settle_agency(db_path, transport, share, place)
    agency_id = share_agency_id(transport)
    if agency_id is None:
        raise EncryptionError(
            f"{_where(transport, share)} records no agency; sync once, then encrypt"
        )
    meta = transport.read_meta()
    key = new_key()
    keystore.save_key(agency_id, key)  # before the share names it: never a key nobody holds
    snapshot = meta.get("snapshot")
    state = EncryptionState(
        key=key,
        wrapped=wrap_key(key, passphrase),
        plain=_bounds(transport),
        plain_snapshot=snapshot if isinstance(snapshot, str) else None,
    )
    _switch(db_path, transport, state, retiring=None)
    _sync(db_path, transport, share, place, compact=True)
    return EncryptionStatus(True, key.key_id, True)


def _settle_agency(db_path: Path, transport: Transport, share: Path, place: str | None) -> None:
    """Make the database a station of the share's agency before the switch, sending none of
    its own data in the clear: a database of another agency is refused here, with the share
    untouched. A new or blank database joins in the clear (it has nothing to send); any other
    sends its unsent edits sealed, after the switch, and reads the plain files it lacks
    within the recorded bounds."""
    if db_path.exists():
        with instance_lock.held(db_path):
            station = LocalStation(db_path)
            try:
                assert station.conn is not None
                view = agencies.DatabaseView(station.conn.execute, db_path.name)
                if not agencies.check(view, transport, share).loads_data:
                    agencies.settle(station, transport, share)
                    return
            finally:
                station.close()
    _sync(db_path, transport, share, place, compact=False, plain_ok=True)


def rotate_key(
    db_path: Path,
    transport: Transport,
    share: Path,
    new_passphrase: str,
    *,
    place: str | None = None,
) -> EncryptionStatus:
    """A new agency key and passphrase for the encrypted share behind `transport`, and a
    snapshot under it; stations that hold only the old key read nothing written after."""
    new_passphrase = check_passphrase(new_passphrase)
    transport.check()
    if record_of(transport.read_meta()) is None:
        raise EncryptionError(
            f"{_where(transport, share)} is not encrypted; turn encryption on with --encrypt first"
        )
    # Up to date under the current key (this raises when we do not hold it).
    _sync(db_path, transport, share, place, compact=False)
    agency_id = share_agency_id(transport)
    assert agency_id is not None  # an encrypted share records its agency (secure checks)
    record = record_of(transport.read_meta())
    if record is None:
        raise EncryptionError(
            f"{_where(transport, share)} is no longer encrypted; nothing was changed"
        )
    current = keystore.load_keys(agency_id).get(record["key_id"])
    if current is None:
        raise MissingKey(
            f"this station does not hold the current agency key of {_where(transport, share)}"
        )
    state = open_record(record, current)
    key: AgencyKey = new_key()
    keystore.save_key(agency_id, key)
    rotated = EncryptionState(
        key=key,
        wrapped=wrap_key(key, new_passphrase),
        plain=state.plain,
        plain_snapshot=state.plain_snapshot,
        retired={**state.retired, current.key_id: (current, _bounds(transport))},
    )
    _switch(db_path, transport, rotated, retiring=current.key_id)
    _sync(db_path, transport, share, place, compact=True)
    return EncryptionStatus(True, key.key_id, True)


# -- moving an encrypted share onto a server ---------------------------------------------------


def carry_encryption(db_path: Path, source: Transport, target: Transport) -> bool:
    """Give `target` (the agency server a share moves to) the encryption of `source`, before
    the station at `db_path` sends it anything: the same agency key, its record wrapped by the
    same passphrase, so every station that unlocked the share reads the server as it is and
    nothing reaches the server in the clear. Batches a plain server holds already (sent by
    stations that moved before the share was encrypted) are sealed in place by the sync that
    follows (`reseal.py`). True when it did so; False when `source` is plain (a plain share
    moves to a plain server, as before) or `target` is encrypted already, or belongs to
    another agency (the sync then says what to do)."""
    record = record_of(source.read_meta())
    if record is None:
        return False
    agency = agencies.share_agency(source)
    if agency is None:
        raise EncryptionError("the shared folder is encrypted but records no agency; nothing moved")
    key = keystore.load_keys(agency.id).get(record["key_id"])
    if key is None:
        raise EncryptionRequired(
            "the shared folder is encrypted and this station does not hold its agency key; "
            f"{_unlock_hint(source, 'DIR')} first. Nothing moved"
        )
    open_record(record, key)  # the record is the agency's, sealed under its key
    target.check()
    if record_of(target.read_meta()) is not None:
        return False
    held = agencies.share_agency(target)
    if held is not None and held.id != agency.id:
        return False
    if held is None:
        found = source.read_agency()
        assert found is not None  # share_agency read it a moment ago
        target.claim_agency(found)
    snapshot = target.read_meta().get("snapshot")
    state = EncryptionState(
        key=key,
        wrapped=dict(record["wrapped"]),
        plain=_bounds(target),
        plain_snapshot=snapshot if isinstance(snapshot, str) else None,
    )
    _switch(db_path, target, state, retiring=None)
    return True
