"""Team members as the choices of a picker: (id, name) of the active members, by name."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.am.reading import read
from db.models import TeamMember


def active_members(session: Session) -> list[tuple[str, str]]:
    """(id, name) of the active team members, in name order (any case)."""
    rows = read(
        session,
        select(TeamMember.id, TeamMember.name)
        .where(TeamMember.active.is_(True))
        .order_by(func.lower(TeamMember.name)),
    )
    return [(id_, name) for id_, name in rows]
