"""Who sits at this station: the team member "My clients" and the Today page mean.

Agency Desk has no log-in (one local database per station, shared only through sync), so the
person is a per-station preference kept in QSettings, picked the first time it is needed
(the "My clients" chip, the Today page's "I am" box) and changeable there at any time. It is
never written to the database: another station of the same agency may be someone else.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from sqlalchemy.orm import Session

from db.models import MemberRole
from db.roster import member_choices as member_choices
from db.roster import member_role

SETTINGS_MEMBER = "station/member_id"


def station_member(settings: QSettings | None, session: Session) -> str | None:
    """The member id this station belongs to, None when not chosen or since removed."""
    if settings is None:
        return None
    value = settings.value(SETTINGS_MEMBER, "")
    if not value:
        return None
    return str(value) if member_role(session, str(value)) is not None else None


def set_station_member(settings: QSettings | None, member_id: str | None) -> None:
    if settings is None:
        return
    settings.setValue(SETTINGS_MEMBER, member_id or "")


def is_account_manager(session: Session, member_id: str | None) -> bool:
    return member_id is not None and member_role(session, member_id) == MemberRole.ACCOUNT_MANAGER
