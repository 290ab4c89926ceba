"""Who sits at this station: the team member "My clients" and the Today page mean.

Agency Desk has no log-in (one local database per station, shared only through sync), so the
person is a per-station preference kept in QSettings, picked the first time it is needed
(the "My clients" chip, the Today page's "I am" box) and changeable there at any time. It is
never written to the database: another station of the same agency may be someone else.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import MemberRole, TeamMember

SETTINGS_MEMBER = "station/member_id"


def station_member(settings: QSettings | None, session: Session) -> str | None:
    """The member id this station belongs to, None when not chosen or since removed."""
    if settings is None:
        return None
    value = settings.value(SETTINGS_MEMBER, "")
    if not value:
        return None
    return str(value) if session.get(TeamMember, str(value)) is not None else None


def set_station_member(settings: QSettings | None, member_id: str | None) -> None:
    if settings is None:
        return
    settings.setValue(SETTINGS_MEMBER, member_id or "")


def is_account_manager(session: Session, member_id: str | None) -> bool:
    member = session.get(TeamMember, member_id) if member_id else None
    return member is not None and member.role == MemberRole.ACCOUNT_MANAGER


def member_choices(session: Session) -> list[tuple[str, str]]:
    """(id, name) of the active team members, account managers first."""
    rows = session.execute(
        select(TeamMember.id, TeamMember.name, TeamMember.role)
        .where(TeamMember.active.is_(True))
        .order_by(func.lower(TeamMember.name))
    ).all()
    rows = sorted(rows, key=lambda r: r[2] != MemberRole.ACCOUNT_MANAGER)
    return [(id_, name) for id_, name, _role in rows]
