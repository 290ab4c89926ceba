"""Agency-wide settings that every station shares (agency name, currency, working week,
holidays). Per-station things such as window geometry live in QSettings instead."""

from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Entity


class AgencySetting(Entity):
    __tablename__ = "agency_setting"

    key: Mapped[str] = mapped_column(String(100), unique=True)
    value: Mapped[Any] = mapped_column(JSON)
