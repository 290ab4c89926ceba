"""Finding a client, project or team member by what a user types: an id, or a name matched
case-insensitively (for a client or project an exact name wins, otherwise a unique partial
match; a member's whole name must match)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.core_reads import read
from db.models import Client, Project, TeamMember
from db.name_match import NoMatch as NoMatch
from db.name_match import match_name


def _find(session: Session, model: type[Client] | type[Project], what: str, text: str) -> str:
    needle = text.strip()
    if not needle:
        raise NoMatch(f"{what}: empty name")
    # Table columns, not the mapped class: opening the app on a project looks it up before
    # the first paint, which must not configure the mappers (see `db.core_reads`).
    c = model.__table__.c
    if read(session, select(c.id).where(c.id == needle)).first() is not None:
        return needle
    rows = read(session, select(c.id, c.name).order_by(c.name))
    return match_name(what, text, [(str(id_), name) for id_, name in rows])


def find_client(session: Session, text: str) -> str:
    """The id of the client named or identified by `text`."""
    return _find(session, Client, "client", text)


def find_project(session: Session, text: str) -> str:
    """The id of the project named or identified by `text`."""
    return _find(session, Project, "project", text)


def find_member(session: Session, text: str) -> str:
    """The id of the one team member whose id or whole name (any case) is `text`."""
    wanted = text.strip().casefold()
    found = [
        id_
        for id_, name in session.execute(select(TeamMember.id, TeamMember.name))
        if id_ == text or name.casefold() == wanted
    ]
    if len(found) != 1:
        raise NoMatch(f"{text!r} names no one on the team")
    return found[0]
