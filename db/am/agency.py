"""The agency-wide settings the AM rules read, straight from the session (the rules run where
no `Store` exists, e.g. in the benchmark and the CLI)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.am.health import HealthThresholds, week_of
from db.core_reads import read
from db.models import AgencySetting
from db.settings import DEFAULTS, HEALTH_THRESHOLDS, WORKING_WEEK


def setting(session: Session, key: str) -> Any:
    # Table columns: the client list scores health before the first paint (see db.core_reads).
    table = AgencySetting.__table__.c
    row = read(session, select(table.value).where(table.key == key)).first()
    return row[0] if row is not None else DEFAULTS[key]


def health_thresholds(session: Session) -> HealthThresholds:
    value = setting(session, HEALTH_THRESHOLDS)
    return HealthThresholds.from_setting(value if isinstance(value, dict) else None)


def working_week(session: Session) -> tuple[int, ...]:
    return week_of(setting(session, WORKING_WEEK))
