"""Custom fields through the GUI: defined in Preferences (drafts until Save, one undo step),
filled in on a client's details and a contact, shown in the client page's header."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from db.am.custom_fields import fields_of, values_of
from db.models import Contact, CustomField, CustomFieldKind, CustomFieldTarget
from db.operations import Create
from desktop.client_page.page import ClientPage
from desktop.preferences_dialog import PreferencesDialog

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def define(
    qtbot,
    dialog: PreferencesDialog,
    target: str,
    name: str,
    kind: str,
    choices: str = "",
    shared: bool = False,
) -> None:
    section = dialog.fields_section
    field_dialog = section.add()
    field_dialog.applies_to.setCurrentIndex(field_dialog.applies_to.findText(target))
    qtbot.keyClicks(field_dialog.name, name)
    field_dialog.kind.setCurrentIndex(field_dialog.kind.findText(kind))
    if choices:
        qtbot.keyClicks(field_dialog.choices, choices)
    field_dialog.shareable.setChecked(shared)
    field_dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_fields_are_defined_in_preferences_as_one_undoable_save(qtbot, workspace) -> None:
    dialog = PreferencesDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.fields_section.empty.isVisible()
    section = dialog.fields_section
    bad = section.add()
    bad.kind.setCurrentIndex(bad.kind.findText("Choice"))
    qtbot.keyClicks(bad.name, "Region")
    bad.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert bad.isVisible() and "needs at least one choice" in bad.message.text()
    bad.reject()
    define(qtbot, dialog, "Clients", "Region", "Choice", "North, South", shared=True)
    define(qtbot, dialog, "Contacts", "Shoe size", "Number")
    assert section.model.rowCount() == 2 and section.model.item(0, 4).text() == "Yes"
    assert workspace.session.query(CustomField).count() == 0  # drafts until Save
    assert dialog.unsaved.changed()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert not dialog.isVisible()
    (region,) = fields_of(workspace.session, CustomFieldTarget.CLIENT)
    assert (region.name, region.choices, region.shareable) == ("Region", ("North", "South"), True)
    assert fields_of(workspace.session, CustomFieldTarget.CONTACT)[0].kind is CustomFieldKind.NUMBER
    assert workspace.undo_stack.count() == 1
    workspace.undo_stack.undo()
    assert workspace.session.query(CustomField).count() == 0
    workspace.undo_stack.redo()

    # Rename one, remove the other: again one step.
    dialog = PreferencesDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    section = dialog.fields_section
    section.select(0)
    edit = section.edit_selected()
    edit.name.setText("Sales region")
    edit.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    section.select(1)
    section.remove_selected()  # no values yet: no question
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert [f.name for f in fields_of(workspace.session)] == ["Sales region"]
    assert workspace.undo_stack.count() == 2


def add_fields(workspace) -> tuple[str, str]:
    from db.am.custom_fields import add_field

    region = add_field(
        CustomFieldTarget.CLIENT, "Region", CustomFieldKind.CHOICE, ["North", "South"]
    )
    size = add_field(CustomFieldTarget.CONTACT, "Shoe size", CustomFieldKind.NUMBER)
    workspace.run(region)
    workspace.run(size)
    return region.id, size.id


def test_a_clients_fields_are_edited_with_its_details_and_shown_in_the_header(
    qtbot, workspace, agency
) -> None:
    region, _size = add_fields(workspace)
    acme = agency.clients["acme"]
    page = ClientPage(workspace, acme)
    qtbot.addWidget(page)
    page.show()
    dialog = page.open_details()
    assert dialog is not None and dialog.custom is not None
    editor = dialog.custom.editor("Region")
    editor.set_text("North")
    dialog.ok_button().click()
    assert not dialog.isVisible()
    assert values_of(workspace.session, CustomFieldTarget.CLIENT) == {acme: {region: "North"}}
    assert "Region: North" in page.details.text()
    assert workspace.undo_stack.undoText() == "Edit client “Acme Bakery”"
    workspace.undo_stack.undo()
    assert values_of(workspace.session, CustomFieldTarget.CLIENT) == {}
    assert "Region" not in page.details.text()


def test_a_contacts_number_field_reads_by_the_locale(qtbot, workspace, agency) -> None:
    _region, size = add_fields(workspace)
    acme = agency.clients["acme"]
    jo = Create(Contact, {"client_id": acme, "name": "Jo Baker"})
    workspace.run(jo)
    page = ClientPage(workspace, acme)
    qtbot.addWidget(page)
    page.show()
    page.show_section(page.people)
    people = page.people
    people.table.selectRow(0)
    qtbot.keyClick(people.table, Qt.Key.Key_Return)
    dialog = people.dialog
    assert dialog is not None and dialog.custom is not None
    editor = dialog.custom.editor("Shoe size")
    editor.set_text("42,5")  # English: the comma separates thousands
    assert not dialog.ok_button().isEnabled()
    assert "separates thousands" in dialog.errors.checks[f"custom:{size}"][1].text()
    dialog.custom.decimal, dialog.custom.group = ",", "."  # as a German locale reads it
    dialog.errors.check(f"custom:{size}")
    dialog.ok_button().click()
    assert values_of(workspace.session, CustomFieldTarget.CONTACT) == {jo.id: {size: "42.5"}}


def test_client_fields_are_columns_of_the_list_its_chooser_and_its_filter(
    qtbot, workspace, agency, settings
) -> None:
    from db.am.custom_fields import delete_field, edit_field, set_values
    from desktop.models.client_columns import BASE_COLUMNS

    COLUMNS = len(BASE_COLUMNS)  # custom columns come after the list's own
    from desktop.views.clients_view import ClientsView

    region, _size = add_fields(workspace)
    session = workspace.session
    for key, value in (("acme", "North"), ("blue", "South")):
        workspace.run(
            set_values(session, CustomFieldTarget.CLIENT, agency.clients[key], {region: value}, key)
        )
    view = ClientsView(workspace)
    qtbot.addWidget(view)
    view.use_settings(settings)
    view.resize(1100, 500)
    view.show()
    model = view.model
    assert model.columnCount() == COLUMNS + 1
    assert model.headerData(COLUMNS, Qt.Orientation.Horizontal) == "Region"
    assert view.table.isColumnHidden(COLUMNS)  # custom columns start hidden

    # The column chooser: a menu of every column, the custom field's among them.
    menu = view.columns.build_menu()
    titles = [a.text() for a in menu.actions()]
    assert titles[0] == "Name" and titles[-1] == "Region"
    region_action = menu.actions()[-1]
    assert not region_action.isChecked()
    region_action.trigger()
    assert not view.table.isColumnHidden(COLUMNS)
    assert settings.value("clients/columns")[f"custom:{region}"] in (True, "true")
    row = model.row_of(agency.clients["acme"])
    assert model.index(row, COLUMNS).data() == "North"

    # Sorting by the field sorts by its values (blank last).
    view.table.sortByColumn(COLUMNS, Qt.SortOrder.AscendingOrder)
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert names == ["Acme Bakery", "Blue Harbor Hotels", "Cedar & Sons"]

    # The filter finds clients by their fields' values.
    view.header.filter.setText("south")
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["Blue Harbor Hotels"]
    view.header.filter.setText("")

    # An edit shows at once; a renamed field renames its column; a removed one goes.
    acme = agency.clients["acme"]
    workspace.run(set_values(session, CustomFieldTarget.CLIENT, acme, {region: "South"}, "Acme"))
    assert model.index(model.row_of(acme), COLUMNS).data() == "South"
    view.header.filter.setText("north")
    assert model.rowCount() == 0
    view.header.filter.setText("")
    workspace.run(edit_field(session, region, {"name": "Sales region"}))
    assert model.headerData(COLUMNS, Qt.Orientation.Horizontal) == "Sales region"
    assert not view.table.isColumnHidden(COLUMNS)  # the choice is kept by the field's id
    workspace.run(delete_field(session, region))
    assert model.columnCount() == COLUMNS
    workspace.undo_stack.undo()
    assert model.columnCount() == COLUMNS + 1
    assert model.index(model.row_of(acme), COLUMNS).data() == "South"
