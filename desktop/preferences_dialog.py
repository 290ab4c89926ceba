"""The Preferences dialog: agency name, default currency, working week and the holiday
calendar (country and region from the `holidays` package), and the agency's custom fields
(`desktop.custom_fields.definitions`). Saving writes each changed setting
through a `SetSetting` operation, all of them one undoable edit; a wrong value is named next to
its field and nothing is saved; Cancel after an edit asks whether to save it. Given the
window's QSettings (the station's side of things), it also shows this station's Sync section
(`desktop.sync.preferences`), saved in the database's local sync settings rather than in the
agency's synced ones."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from db.audit.retention import MAX_DAYS, MIN_DAYS, set_retention
from db.operations import Operation, SetSetting, composite
from db.settings import (
    AGENCY_NAME,
    DEFAULT_CURRENCY,
    HISTORY_RETENTION_DAYS,
    HOLIDAY_COUNTRY,
    HOLIDAY_REGION,
    WORKING_WEEK,
)
from db.validation import currency_code, required_text
from desktop.custom_fields.definitions import CustomFieldsSection
from desktop.sync.preferences import SyncPreferencesSection
from desktop.views.unsaved_changes import GuardedDialog, UnsavedChanges
from desktop.workspace import Workspace

if TYPE_CHECKING:
    from desktop.sync.controller import SyncController

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ERROR_COLOR = "#d0453b"  # reads on light and dark backgrounds alike


@cache
def holiday_countries() -> list[tuple[str, str]]:
    """(ISO code, English name) of every country the holidays package knows, by name."""
    import holidays
    from holidays.registry import COUNTRIES

    supported = holidays.list_supported_countries()
    found: dict[str, str] = {}
    for class_name, code, *_rest in COUNTRIES.values():
        if code in supported and len(code) == 2:
            found[code] = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", class_name)
    return sorted(found.items(), key=lambda item: item[1])


@cache
def holiday_regions(country: str) -> list[tuple[str, str]]:
    """(code, label) of the country's subdivisions; the label adds the name where known."""
    import holidays

    if not country:
        return []
    codes = holidays.list_supported_countries().get(country, [])
    try:
        calendar = holidays.country_holidays(country)
        names = {code: name for name, code in (calendar.subdivisions_aliases or {}).items()}
    except (NotImplementedError, KeyError, AttributeError):
        names = {}
    return [(code, f"{names[code]} ({code})" if code in names else code) for code in codes]


class PreferencesDialog(GuardedDialog):
    def __init__(
        self,
        workspace: Workspace,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
        sync_controller: SyncController | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle("Preferences")
        self.setMinimumWidth(520)
        store = workspace.store

        self.agency_name = QLineEdit(str(store.setting(AGENCY_NAME)))
        self.currency = QLineEdit(str(store.setting(DEFAULT_CURRENCY)))
        self.currency.setMaxLength(3)
        self.currency.setMaximumWidth(80)
        self.currency.setPlaceholderText("EUR")
        working = set(store.setting(WORKING_WEEK))
        self.days: list[QCheckBox] = []
        days_row = QHBoxLayout()
        days_row.setSpacing(10)
        for number, label in enumerate(WEEKDAYS):
            box = QCheckBox(label)
            box.setChecked(number in working)
            self.days.append(box)
            days_row.addWidget(box)
        days_row.addStretch(1)

        self.country = QComboBox()
        self.country.addItem("None", "")
        for code, name in holiday_countries():
            self.country.addItem(f"{name} ({code})", code)
        self.region = QComboBox()
        self._select(self.country, store.setting(HOLIDAY_COUNTRY))
        self._fill_regions()
        self._select(self.region, store.setting(HOLIDAY_REGION))
        self.country.currentIndexChanged.connect(lambda _i: self._fill_regions())

        # How long each station keeps the history of changes (db.audit.retention), in months.
        self.kept_days = int(store.setting(HISTORY_RETENTION_DAYS))
        self.history_months = QSpinBox()
        self.history_months.setRange(MIN_DAYS // 30, MAX_DAYS * 12 // 365)
        self.history_months.setSuffix(" months")
        self.history_months.setMaximumWidth(140)
        self.history_months.setValue(round(self.kept_days * 12 / 365))
        self.history_months.setToolTip(
            "Older history of changes (the History tabs) is removed on every station"
        )

        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setVerticalSpacing(10)
        form.addRow("Agency name:", self._with_error("agency_name", self.agency_name))
        form.addRow("Default currency:", self._with_error("currency", self.currency))
        days_widget = QWidget()
        days_widget.setLayout(days_row)
        days_row.setContentsMargins(0, 0, 0, 0)
        form.addRow("Working week:", self._with_error("working_week", days_widget))
        form.addRow("Holidays of:", self._with_error("country", self.country))
        form.addRow("Region:", self._with_error("region", self.region))
        form.addRow("Keep history for:", self._with_error("history", self.history_months))

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(8)
        self.sync_section: SyncPreferencesSection | None = None
        if settings is not None:
            runner = sync_controller.steps if sync_controller is not None else None
            self.sync_section = SyncPreferencesSection(workspace.store, runner=runner)
            self.sync_section.edited.connect(self.validate)
            if sync_controller is not None:  # encrypted, rotated or unlocked: sync now
                self.sync_section.encryption.changed.connect(sync_controller.sync_now)
            layout.addWidget(self.sync_section)
        # The agency's own fields on clients and contacts: drafts until Save.
        self.fields_section = CustomFieldsSection(workspace.session)
        layout.addWidget(self.fields_section)
        self.save_error = QLabel()
        self.save_error.setWordWrap(True)
        self.save_error.hide()
        layout.addWidget(self.save_error)
        layout.addWidget(self.buttons)

        # Cancel after an edit asks Save / Discard / Keep editing; Save is the Save button.
        self.unsaved = UnsavedChanges(
            self,
            save=self.accept,
            discard=lambda: QDialog.reject(self),
            extra=self.fields_section.state,
        )

        self.agency_name.textChanged.connect(lambda _t: self.validate())
        self.currency.textChanged.connect(lambda _t: self.validate())
        for box in self.days:
            box.toggled.connect(lambda _on: self.validate())

    def _with_error(self, key: str, field: QWidget) -> QWidget:
        """The field with a message label beside it, hidden while the value is fine."""
        error = QLabel()
        error.setObjectName(f"{key}_error")
        palette = error.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(ERROR_COLOR))
        error.setPalette(palette)
        error.hide()
        self.errors[key] = error
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(field)
        row.addWidget(error, 1)
        return holder

    @staticmethod
    def _select(combo: QComboBox, value: Any) -> None:
        combo.setCurrentIndex(max(combo.findData(value or ""), 0))

    def _fill_regions(self) -> None:
        current = self.region.currentData()
        self.region.clear()
        regions = holiday_regions(self.country.currentData() or "")
        self.region.addItem("Whole country" if regions else "—", "")
        for code, label in regions:
            self.region.addItem(label, code)
        self.region.setEnabled(bool(regions))
        self._select(self.region, current)

    # -- values --------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        return {
            AGENCY_NAME: self.agency_name.text().strip(),
            DEFAULT_CURRENCY: self.currency.text().strip().upper(),
            WORKING_WEEK: [n for n, box in enumerate(self.days) if box.isChecked()],
            HOLIDAY_COUNTRY: self.country.currentData() or "",
            HOLIDAY_REGION: self.region.currentData() or "",
            HISTORY_RETENTION_DAYS: self._history_days(),
        }

    def _history_days(self) -> int:
        months = self.history_months.value()
        if months == round(self.kept_days * 12 / 365):
            return self.kept_days  # as stored, not rounded through months
        return months * 365 // 12

    def validate(self) -> bool:
        values = self.values()
        problems = {
            "agency_name": required_text(values[AGENCY_NAME]) and "Agency name must not be empty",
            "currency": currency_code(values[DEFAULT_CURRENCY])
            and "Use a three-letter code such as EUR or USD",
            "working_week": not values[WORKING_WEEK] and "Pick at least one working day",
        }
        for key, label in self.errors.items():
            message = problems.get(key) or ""
            label.setText(message)
            label.setVisible(bool(message))
        ok = not any(problems.values())
        if self.sync_section is not None:
            ok = self.sync_section.validate() and ok
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(ok)
        return ok

    def changed_settings(self) -> list[SetSetting]:
        store = self.workspace.store
        return [
            set_retention(value) if key == HISTORY_RETENTION_DAYS else SetSetting(key, value)
            for key, value in self.values().items()
            if value != store.setting(key)
        ]

    def accept(self) -> None:
        if not self.validate():
            return
        if self.sync_section is not None and not self.sync_section.check_folder():
            return
        steps: list[Operation] = [*self.changed_settings(), *self.fields_section.operations()]
        if steps and not self.workspace.run(composite(steps, "Change preferences")):
            # The store refused: say why and keep the dialog open with what was typed.
            self.save_error.setText(self.workspace.last_error or "Not saved")
            self.save_error.show()
            return
        self.fields_section.saved_now()
        if self.sync_section is not None:
            try:
                self.sync_section.save()
            except SQLAlchemyError:
                # A long sync can hold the database past the busy timeout: keep what was typed.
                self.save_error.setText(
                    "Sync settings not saved: the database is busy (a sync is running); "
                    "try Save again in a moment"
                )
                self.save_error.show()
                return
        super().accept()
