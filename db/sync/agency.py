"""Which agency a share belongs to, and refusing a database of another one.

A share records its agency in `agency.json` (id and name, written once, never changed) the
first time any station syncs there. Before a sync pushes or pulls anything, the database's
agency id (`local_settings.sync_agency`) is compared with it:

- same agency: sync goes on;
- a new station being built by a join (`join.py`) takes the share's agency;
- an empty share (no agency record, no station's files, no snapshot) is this database's first
  use: it records this database's agency there;
- a database that has never held anything (no records, nothing sent or received) takes the
  share's agency (or, on an old share without a record, records one) and loads its data: there
  is nothing of its own to mix in;
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
from db.sync.schema import TABLE_ENTITY
from db.sync.transport import Transport

AGENCY_FORMAT = 1
AGENCY_ID = re.compile(r"^[0-9a-f]{32}$")
MAX_NAME = 200


class AgencyMismatchError(SyncError):
    """The database belongs to another agency than the share (or cannot be shown to belong
    to it); nothing was sent or received. `brief` says it in two sentences for a field's
    message (Preferences), without the paths the full message names."""

    def __init__(self, message: str, brief: str) -> None:
        super().__init__(message)
        self.brief = brief


class Outcome(Enum):
    SAME = "same"
    CLAIMED = "claimed"  # first use of the share: it now records this database's agency
    CLAIMED_BLANK = "claimed_blank"  # an empty database recorded an old share's agency
    ADOPTED = "adopted"  # a joining or pre-agency station took the share's agency
    ADOPTED_BLANK = "adopted_blank"  # an empty database took it

    @property
    def loads_data(self) -> bool:
        """An empty database that became a station of an agency with data: it joins in
        place (the share's snapshot, then the ordinary pull)."""
        return self in (Outcome.CLAIMED_BLANK, Outcome.ADOPTED_BLANK)


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


class DatabaseView:
    """What the rules read from a database, through `run` (sync's own connection, or the
    app's session when Preferences checks a folder before saving it)."""

    def __init__(self, run: settings.Run, name: str) -> None:
        self.run = run
        self.name = name

    def agency(self) -> Agency | None:
        agency_id = settings.agency_id(self.run)
        return Agency(agency_id, settings.agency_name(self.run)) if agency_id else None

    def agency_name(self) -> str:
        return settings.agency_name(self.run)

    def station_id(self) -> str:
        return str(self.run("SELECT station_id FROM sync_ctl WHERE id = 1").fetchone()[0])

    def applied(self) -> dict[str, int]:
        return dict(self.run("SELECT station, seq FROM sync_applied").fetchall())

    def is_blank(self) -> bool:
        """Holds no record at all and never synced: nothing of its own could be mixed in."""
        if not settings.never_synced(self.run):
            return False
        if self.run("SELECT 1 FROM sync_outbox LIMIT 1").fetchone():
            return False
        return not any(
            self.run(f'SELECT 1 FROM "{tbl}" LIMIT 1').fetchone() for tbl in sorted(TABLE_ENTITY)
        )


def known_on_share(station_id: str, applied: dict[str, int], transport: Transport) -> bool:
    """A database took part in the share before: its station id is there (files or an
    acknowledgement), or it applied files of a station that is."""
    stations = set(transport.list_stations()) | set(transport.read_acks())
    return station_id in stations or bool({s for s, q in applied.items() if q > 0} & stations)


def share_is_empty(transport: Transport) -> bool:
    """No station ever finished a sync here: every sync that moves anything leaves an
    acknowledgement, and compaction a snapshot (stray files alone do not make an agency)."""
    return not (transport.read_acks() or transport.list_snapshots())


def _decide(
    db: DatabaseView, transport: Transport, share: Path, joining: bool
) -> tuple[Outcome, Agency | None]:
    """The rules of the module docstring, without writing anything: the outcome and the
    agency to take (None: claim the share with this database's). Raises on a refusal."""
    mine = db.agency()
    theirs = share_agency(transport)
    if theirs is None:
        known = mine is None and known_on_share(db.station_id(), db.applied(), transport)
        if joining or known or share_is_empty(transport):
            return Outcome.CLAIMED, None
        if db.is_blank():
            return Outcome.CLAIMED_BLANK, None
        raise AgencyMismatchError(
            f"shared folder {share} holds another agency's data (from an older Agency Desk, "
            f"which did not record the agency) and this database never synced there; nothing "
            f"was sent or received. {join_hint(share)}",
            "The shared folder holds another agency's data (from an older Agency Desk) and "
            "this database never synced there. To work with that agency, use File > Join a "
            "Shared Agency…",
        )
    if mine is not None and mine.id == theirs.id:
        return Outcome.SAME, theirs
    if joining or (mine is None and known_on_share(db.station_id(), db.applied(), transport)):
        return Outcome.ADOPTED, theirs
    if db.is_blank():
        return Outcome.ADOPTED_BLANK, theirs
    ours = mine or Agency("", db.agency_name())
    raise AgencyMismatchError(
        f"shared folder {share} belongs to the agency {describe(theirs, ours)}, and this "
        f"database ({db.name}) to the agency {describe(ours, theirs)}; nothing was "
        f"sent or received. {join_hint(share)}",
        f"The shared folder belongs to the agency {describe(theirs, ours)}, and this database to "
        f"{describe(ours, theirs)}. To work with the folder's agency on this computer, use "
        "File > Join a Shared Agency…",
    )


def check(db: DatabaseView, transport: Transport, share: Path) -> Outcome:
    """What a sync would do about the agency, without doing it; raises
    `AgencyMismatchError` when it would refuse (Preferences says so next to the folder)."""
    return _decide(db, transport, share, joining=False)[0]


def settle(
    station: LocalStation, transport: Transport, share: Path, *, joining: bool = False
) -> Outcome:
    """Make sure the database and the share belong to one agency (see the module's rules);
    raises `AgencyMismatchError` with nothing changed on either side otherwise."""
    assert station.conn is not None
    run = station.conn.execute
    db = DatabaseView(run, station.path.name)
    outcome, theirs = _decide(db, transport, share, joining)
    if outcome in (Outcome.CLAIMED, Outcome.CLAIMED_BLANK):
        agency = db.agency() or Agency(settings.new_agency_id(), db.agency_name())
        held = parse(transport.claim_agency(agency.record()), "agency.json on the shared folder")
        if held.id != agency.id:
            # Another station recorded its agency a moment before us: judge against that one.
            return settle(station, transport, share, joining=joining)
        settings.set_agency_id(run, agency.id)
    elif outcome is not Outcome.SAME and theirs is not None:
        settings.set_agency_id(run, theirs.id)
    return outcome
