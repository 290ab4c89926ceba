"""The Preferences dialog: validation next to each field, and saving as one undoable edit."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from db.settings import (
    AGENCY_NAME,
    DEFAULT_CURRENCY,
    HOLIDAY_COUNTRY,
    HOLIDAY_REGION,
    WORKING_WEEK,
)
from desktop.preferences_dialog import PreferencesDialog, holiday_countries, holiday_regions

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


@pytest.fixture
def dialog(qtbot, workspace) -> PreferencesDialog:
    d = PreferencesDialog(workspace)
    qtbot.addWidget(d)
    d.show()
    return d


def save_button(d: PreferencesDialog):
    return d.buttons.button(QDialogButtonBox.StandardButton.Save)


def test_shows_the_current_settings(dialog) -> None:
    assert dialog.agency_name.text() == "My Agency"
    assert dialog.currency.text() == "EUR"
    assert [box.isChecked() for box in dialog.days] == [True] * 5 + [False] * 2
    assert dialog.country.currentData() == ""
    assert not dialog.region.isEnabled()


def test_wrong_values_are_named_next_to_their_field(qtbot, dialog) -> None:
    dialog.agency_name.clear()
    assert dialog.errors["agency_name"].isVisible()
    assert dialog.errors["agency_name"].text() == "Agency name must not be empty"
    dialog.currency.clear()
    qtbot.keyClicks(dialog.currency, "E1")
    assert "three-letter code" in dialog.errors["currency"].text()
    for box in dialog.days:
        box.setChecked(False)
    assert dialog.errors["working_week"].text() == "Pick at least one working day"
    assert not save_button(dialog).isEnabled()

    qtbot.keyClicks(dialog.agency_name, "Studio North")
    dialog.currency.clear()
    qtbot.keyClicks(dialog.currency, "gbp")  # typed lower case: saved as GBP
    dialog.days[0].setChecked(True)
    assert not any(label.isVisible() for label in dialog.errors.values())
    assert save_button(dialog).isEnabled()


def test_saving_is_one_undoable_edit(qtbot, dialog, workspace) -> None:
    store = workspace.store
    dialog.agency_name.setText("Studio North")
    dialog.currency.setText("GBP")
    dialog.days[4].setChecked(False)
    dialog.country.setCurrentIndex(dialog.country.findData("DE"))
    assert dialog.region.isEnabled()
    dialog.region.setCurrentIndex(dialog.region.findData("BY"))
    save_button(dialog).click()

    assert store.setting(AGENCY_NAME) == "Studio North"
    assert store.setting(DEFAULT_CURRENCY) == "GBP"
    assert store.setting(WORKING_WEEK) == [0, 1, 2, 3]
    assert store.setting(HOLIDAY_COUNTRY) == "DE"
    assert store.setting(HOLIDAY_REGION) == "BY"
    assert workspace.undo_stack.count() == 1
    assert workspace.undo_stack.undoText() == "Change preferences"
    workspace.undo_stack.undo()
    assert store.setting(AGENCY_NAME) == "My Agency"
    assert store.setting(HOLIDAY_COUNTRY) == ""


def test_saving_nothing_changed_adds_no_undo_step(dialog, workspace) -> None:
    save_button(dialog).click()
    assert workspace.undo_stack.count() == 0


def test_changing_country_offers_its_regions(dialog) -> None:
    dialog.country.setCurrentIndex(dialog.country.findData("US"))
    codes = [dialog.region.itemData(i) for i in range(dialog.region.count())]
    assert codes[0] == "" and "CA" in codes
    dialog.country.setCurrentIndex(dialog.country.findData("IS"))
    assert not dialog.region.isEnabled()


def test_country_and_region_lists_come_from_holidays() -> None:
    countries = dict(holiday_countries())
    assert countries["DE"] == "Germany" and countries["GB"] == "United Kingdom"
    assert ("BY", "Bayern (BY)") in holiday_regions("DE")


def test_cancel_after_an_edit_asks_save_discard_or_keep_editing(qtbot, workspace) -> None:
    from PySide6.QtWidgets import QMessageBox

    d = PreferencesDialog(workspace)
    qtbot.addWidget(d)
    d.show()
    d.reject()  # nothing changed: closes without asking
    assert d.unsaved.box is None and not d.isVisible()

    d = PreferencesDialog(workspace)
    qtbot.addWidget(d)
    d.show()
    d.days[5].setChecked(True)  # a box ticked is an edit too, not only typing
    d.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    box = d.unsaved.box
    assert box is not None and d.isVisible()
    box.button(QMessageBox.StandardButton.Cancel).click()  # keep editing
    assert d.isVisible() and d.days[5].isChecked()
    d.reject()
    d.unsaved.box.button(QMessageBox.StandardButton.Discard).click()
    assert not d.isVisible()
    assert workspace.store.setting(WORKING_WEEK) == [0, 1, 2, 3, 4]

    d = PreferencesDialog(workspace)
    qtbot.addWidget(d)
    d.show()
    d.agency_name.setText("Studio North")
    d.reject()
    d.unsaved.box.button(QMessageBox.StandardButton.Save).click()
    assert not d.isVisible()
    assert workspace.store.setting(AGENCY_NAME) == "Studio North"
    assert workspace.undo_stack.count() == 1

    d = PreferencesDialog(workspace)
    qtbot.addWidget(d)
    d.show()
    d.agency_name.clear()  # Save from the question with a wrong value: stays, nothing saved
    d.reject()
    d.unsaved.box.button(QMessageBox.StandardButton.Save).click()
    assert d.isVisible() and d.errors["agency_name"].isVisible()
    assert workspace.store.setting(AGENCY_NAME) == "Studio North"


def test_how_long_history_is_kept_is_saved_in_days_and_undoable(qtbot, dialog, workspace) -> None:
    from db.settings import HISTORY_RETENTION_DAYS

    assert dialog.history_months.value() == 24  # two years unless the agency says otherwise
    dialog.history_months.clear()
    qtbot.keyClicks(dialog.history_months, "6")
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert workspace.store.setting(HISTORY_RETENTION_DAYS) == 182
    again = PreferencesDialog(workspace)
    qtbot.addWidget(again)
    assert again.history_months.value() == 6
    workspace.undo_stack.undo()
    assert workspace.store.setting(HISTORY_RETENTION_DAYS) == 730
