"""Which agency a share belongs to, and refusing a database of another one.

A share records its agency in `agency.json` (id and name, written once, never changed) the
first time any station syncs there. Before a sync pushes or pulls anything, the database's
agency id (`local_settings.sync_agency`) is compared with it:

- same agency: sync goes on;
- a new station being built by a join (`join.py`) takes the share's agency;
- an empty share (no agency record, no station's files, no snapshot) is this database's first
  use: it records this database's agency there;
- a database that has never held anything (no records, nothing sent or received) takes the
  share's agency and loads its data: there is nothing of its own to mix in;
- a database that synced with this share before agencies were recorded (its agency id is NULL
  and its station id is known on the share) takes the share's agency; with an old share that
  has no record yet, such a database records a new one;
- anything else is refused with `AgencyMismatchError`, naming both agencies, before anything
  is sent or received: a database of another agency, and any existing database meeting an old
  share with someone's data but no record. Joining an agency is an explicit step that starts
  from a new database (`agency-desk sync --db NEW …`, File > Join a Shared Agency…).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from db.sync import local_settings as settings
from db.sync.errors import ShareIOError, SyncError
from db.sync.local import LocalStation
from db.sync.transport import Transport

AGENCY_FORMAT = 1
AGENCY_ID = re.compile(r"^[0-9a-f]{32}$")
MAX_NAME = 200


class AgencyMismatchError(SyncError):
    """The database belongs to another agency than the share (or cannot be shown to belong
    to it); nothing was sent or received."""


class Outcome(Enum):
    SAME = "same"
    CLAIMED = "claimed"  # first use of the share: it now records this database's agency
    ADOPTED = "adopted"  # a joining or pre-agency station took the share's agency
    ADOPTED_BLANK = "adopted_blank"  # an empty database took it: its data must be loaded


@dataclass(frozen=True)
class Agency:
    id: str
    name: str

    def record(self) -> dict[str, Any]:
        return {"format": AGENCY_FORMAT, "agency_id": self.id, "name": self.name}


def parse(record: dict[str, Any], where: str) -> Agency:
    """Validate a share's agency record; a bad one stops sync (it is never overwritten)."""
    agency_id, name = record.get("agency_id"), record.get("name", "")
    if not isinstance(agency_id, str) or not AGENCY_ID.match(agency_id):
        raise ShareIOError(f"{where}: the agency id it records is not valid; nothing was synced")
    if not isinstance(name, str):
        name = ""
    name = "".join(c for c in name if c.isprintable()).strip()[:MAX_NAME]
    return Agency(agency_id, name or "an unnamed agency")


def describe(agency: Agency, other: Agency | None = None) -> str:
    """The agency's name in quotes, with its id when another agency has the same name."""
    text = f"“{agency.name}”"
    if not agency.id:
        return text + " (from before agencies were recorded)"
    if other is None or other.name.casefold() == agency.name.casefold():
        text += f" (agency id {agency.id[:12]})"
    return text


def join_hint(share: Path) -> str:
    return (
        "To work with that agency on this computer, join it into a new database: "
        f"File > Join a Shared Agency… in the app, or agency-desk sync --db NEW.sqlite "
        f"--share {share}"
    )


def share_agency(transport: Transport) -> Agency | None:
    record = transport.read_agency()
    return None if record is None else parse(record, "agency.json on the shared folder")


def local_agency(station: LocalStation) -> Agency | None:
    run = station.conn.execute
    agency_id = settings.agency_id(run)
    return Agency(agency_id, settings.agency_name(run)) if agency_id else None


def share_is_empty(transport: Transport) -> bool:
    """No station ever finished a sync here: every sync that moves anything leaves an
    acknowledgement, and compaction a snapshot (stray files alone do not make an agency)."""
    return not (transport.read_acks() or transport.list_snapshots())


def synced_here(station: LocalStation, transport: Transport) -> bool:
    """This database took part in the share before: its station id is there (files or an
    acknowledgement), or it applied files of a station that is."""
    me = station.identity().station_id
    stations = set(transport.list_stations()) | set(transport.read_acks())
    applied = {s for s, seq in station.applied().items() if seq > 0}
    return me in stations or bool(applied & stations)


def is_blank(station: LocalStation) -> bool:
    """Holds no record at all and never synced: nothing of its own could be mixed in."""
    run = station.conn.execute
    return (
        settings.never_synced(run)
        and not station.conn.execute("SELECT count(*) FROM sync_outbox").fetchone()[0]
        and not any(station.row_counts().values())
    )


def settle(
    station: LocalStation, transport: Transport, share: Path, *, joining: bool = False
) -> Outcome:
    """Make sure the database and the share belong to one agency (see the module's rules);
    raises `AgencyMismatchError` with nothing changed on either side otherwise."""
    mine = local_agency(station)
    theirs = share_agency(transport)
    if theirs is None:
        if share_is_empty(transport) or (mine is None and synced_here(station, transport)):
            return _claim(station, transport, share, mine)
        if joining:
            # An old share with data and no record: a station that joins it is its agency.
            return _claim(station, transport, share, None)
        raise AgencyMismatchError(
            f"shared folder {share} holds another agency's data (from an older Agency Desk, "
            f"which did not record the agency) and this database never synced there; nothing "
            f"was sent or received. {join_hint(share)}"
        )
    if mine is not None and mine.id == theirs.id:
        return Outcome.SAME
    if joining or (mine is None and synced_here(station, transport)):
        settings.set_agency_id(station.conn.execute, theirs.id)
        return Outcome.ADOPTED
    if is_blank(station):
        settings.set_agency_id(station.conn.execute, theirs.id)
        return Outcome.ADOPTED_BLANK
    ours = mine or Agency("", settings.agency_name(station.conn.execute))
    raise AgencyMismatchError(
        f"shared folder {share} belongs to the agency {describe(theirs, ours)}, and this "
        f"database ({station.path.name}) to the agency {describe(ours, theirs)}; nothing was "
        f"sent or received. {join_hint(share)}"
    )


def _claim(
    station: LocalStation, transport: Transport, share: Path, mine: Agency | None
) -> Outcome:
    run = station.conn.execute
    agency = mine or Agency(settings.new_agency_id(), settings.agency_name(run))
    held = parse(transport.claim_agency(agency.record()), "agency.json on the shared folder")
    if held.id != agency.id:
        # Another station recorded its agency a moment before us: judge against that one.
        return settle(station, transport, share)
    settings.set_agency_id(run, agency.id)
    return Outcome.CLAIMED
