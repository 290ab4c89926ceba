"""How long history is kept, and compacting away what is older.

The agency sets the period (`db.settings.HISTORY_RETENTION_DAYS`, two years unless changed:
an agency-wide setting, so every station keeps the same). Each station compacts its own
history: `compact_history` deletes the entries older than the period, one DELETE that costs
nothing on an edit's path (no index on the time: edits would pay for it). Sync runs it after
every pull (`db.sync.engine`, on sync's own connection: in the app that is off the UI
thread, and the CLI's `sync` does the same), and the app a few minutes after it opens, for a
station that never syncs (`desktop.main_window`). A snapshot never carries a station's
history (`db.sync.snapshots`).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from db.am.agency import setting
from db.audit.capture import Run
from db.errors import ValidationError
from db.operations import SetSetting
from db.settings import DEFAULTS, HISTORY_RETENTION_DAYS

DAY_MS = 24 * 3600 * 1000
MIN_DAYS = 30  # less would forget last month's quarrel before anyone asks about it
MAX_DAYS = 100 * 365
FIELD = "Keep history for"


def retention_days(session: Session) -> int:
    """The agency's retention period in days (the default when unset or unreadable)."""
    value: Any = setting(session, HISTORY_RETENTION_DAYS)
    try:
        return check_days(value)
    except ValidationError:
        return _default_days()


def check_days(value: Any) -> int:
    """The period as a whole number of days within bounds; raises `ValidationError`."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(FIELD, f"{value!r} is not a number of days")
    if not MIN_DAYS <= value <= MAX_DAYS:
        raise ValidationError(
            FIELD, f"{value} days is outside {MIN_DAYS} days to {MAX_DAYS // 365} years"
        )
    return value


def set_retention(days: int) -> SetSetting:
    """The edit that changes how long history is kept; raises `ValidationError` for a period
    out of bounds."""
    return SetSetting(HISTORY_RETENTION_DAYS, check_days(days), "Change how long history is kept")


def compact_history(run: Run, now_ms: int, days: int) -> int:
    """Delete the entries older than `days` before `now_ms`; how many went."""
    found = run("DELETE FROM audit_entry WHERE at < ?", (now_ms - days * DAY_MS,))
    return int(found.rowcount)


def agency_days(run: Run) -> int:
    """The agency's retention period read with SQL (sync's own connection has no session)."""
    row = run(
        "SELECT value FROM agency_setting WHERE key = ?", (HISTORY_RETENTION_DAYS,)
    ).fetchone()
    try:
        return check_days(json.loads(row[0])) if row is not None else _default_days()
    except (ValidationError, ValueError, TypeError):
        return _default_days()


def _default_days() -> int:
    return int(DEFAULTS[HISTORY_RETENTION_DAYS])


def compact_session(session: Session, now_ms: int) -> int:
    """`compact_history` by the agency's setting, committed in the session."""
    removed = compact_history(session.connection().exec_driver_sql, now_ms, retention_days(session))
    session.commit()
    return removed
