"""Agency-wide settings: their keys and defaults. Stored as AgencySetting rows so every station
shares them; read with `Store.setting(key)`, changed with the `SetSetting` operation."""

from __future__ import annotations

from typing import Any

AGENCY_NAME = "agency_name"
DEFAULT_CURRENCY = "default_currency"
WORKING_WEEK = "working_week"  # weekday numbers, Monday = 0
HOLIDAY_COUNTRY = "holiday_country"  # ISO 3166 code as the holidays package knows it, or ""
HOLIDAY_REGION = "holiday_region"  # subdivision code, or ""
# Overrides of db.am.health.HealthThresholds fields (name -> int); the defaults live there.
HEALTH_THRESHOLDS = "health_thresholds"
# How long each station keeps the history of changes (db.audit.retention), in days.
HISTORY_RETENTION_DAYS = "history_retention_days"

DEFAULTS: dict[str, Any] = {
    AGENCY_NAME: "My Agency",
    DEFAULT_CURRENCY: "EUR",
    WORKING_WEEK: [0, 1, 2, 3, 4],
    HOLIDAY_COUNTRY: "",
    HOLIDAY_REGION: "",
    HEALTH_THRESHOLDS: {},
    HISTORY_RETENTION_DAYS: 730,  # two years
}
