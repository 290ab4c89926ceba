"""Every record an account manager keeps, through the main window: open it (Return or a
double-click), edit each field, delete it (the Delete key or the right-click menu), undo
each step, and the database checked after each."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QLocale, QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QTableView

from db.models import (
    Client,
    ClientNote,
    Contact,
    FollowUp,
    Gift,
    GiftState,
    ImportantDate,
    Interaction,
    InteractionContact,
    InteractionKind,
    NoteKind,
    Opportunity,
    OpportunityStage,
    SatisfactionRating,
)
from db.operations import Create
from desktop.client_page.page import ClientPage
from desktop.main_window import MainWindow
from desktop.models.clients_table import COL_NAME
from desktop.station_member import SETTINGS_MEMBER
from desktop.views.clients_view import ClientsView
from tests.desktop.conftest import clients_window

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


@pytest.fixture
def window(qtbot, workspace, agency, settings) -> MainWindow:
    return clients_window(qtbot, workspace, settings)


def clients_of(window: MainWindow) -> ClientsView:
    view = window.area("clients")
    assert isinstance(view, ClientsView)
    return view


def open_page(window: MainWindow, client_id: str) -> ClientPage:
    clients = clients_of(window)
    clients.open_client(client_id)
    page = clients.host.detail
    assert isinstance(page, ClientPage)
    return page


def fresh(workspace, entity, id_):
    obj = workspace.session.get(entity, id_)
    if obj is not None:
        workspace.session.refresh(obj)
    return obj


def press(qtbot, table: QTableView, row: int, key: Qt.Key) -> None:
    table.setFocus()
    table.selectRow(row)
    qtbot.keyClick(table, key)


def double_click(qtbot, table: QTableView, index) -> None:
    """As a user's double-click arrives: a click, then the double-click."""
    at = table.visualRect(index).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=at)


def undo(qtbot, window: MainWindow) -> None:
    clients_of(window).table.setFocus()
    window.undo_action.trigger()


def test_double_click_in_the_client_list_opens_the_client_and_f2_renames(
    qtbot, window, workspace, agency
) -> None:
    clients = clients_of(window)
    acme = agency.clients["acme"]
    index = clients.proxy_index(acme, COL_NAME)
    double_click(qtbot, clients.table, index)
    assert isinstance(clients.host.detail, ClientPage)
    assert clients.host.detail.client_id == acme
    clients.host.show_list()
    clients.table.setFocus()
    clients.table.setCurrentIndex(clients.proxy_index(acme, COL_NAME))
    qtbot.keyClick(clients.table, Qt.Key.Key_F2)
    assert isinstance(QApplication.focusWidget(), QLineEdit)


def test_contact_open_edit_every_field_and_dates_then_delete_each_one_undo_step(
    qtbot, window, workspace, agency, monkeypatch
) -> None:
    asked: list[str] = []

    def answer_yes(_parent, _title, text, *_args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer_yes)
    acme = agency.clients["acme"]
    jo = Create(Contact, {"client_id": acme, "name": "Jo Baker", "email": "jo@old.example"})
    workspace.run(jo)
    day = Create(ImportantDate, {"contact_id": jo.id, "label": "Birthday", "day": 3, "month": 4})
    workspace.run(day)
    workspace.run(
        Create(
            InteractionContact,
            {"interaction_id": agency.interactions["acme-call"], "contact_id": jo.id},
        )
    )
    page = open_page(window, acme)
    page.show_section(page.people)
    steps = workspace.undo_stack.count()
    press(qtbot, page.people.table, 0, Qt.Key.Key_Return)
    dialog = page.people.dialog
    assert dialog is not None and dialog.isVisible() and dialog.record is not None
    for field, text in (
        (dialog.name, "Jo Baker-Lind"),
        (dialog.title_edit, "Head of Marketing"),
        (dialog.email, "jo@acme.example"),
        (dialog.phone, "+49 30 1234"),
    ):
        field.selectAll()
        qtbot.keyClicks(field, text)
    dialog.cadence.setValue(14)
    dialog.rapport.setPlainText("Two daughters")
    dialog.date_list.setCurrentRow(0)
    qtbot.mouseClick(dialog.remove_date, Qt.MouseButton.LeftButton)  # the old birthday goes
    dialog.date_label.setText("Birthday")
    dialog.day.setValue(4)
    dialog.month.setCurrentIndex(4)
    qtbot.keyClicks(dialog.year, "1980")
    qtbot.mouseClick(dialog.add_date, Qt.MouseButton.LeftButton)
    dialog.date_label.setText("Work anniversary")
    dialog.day.setValue(1)
    dialog.month.setCurrentIndex(9)  # typed, not added: still kept
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    contact = fresh(workspace, Contact, jo.id)
    assert (contact.name, contact.title, contact.email, contact.phone) == (
        "Jo Baker-Lind",
        "Head of Marketing",
        "jo@acme.example",
        "+49 30 1234",
    )
    assert (contact.stay_in_touch_days, contact.rapport_notes) == (14, "Two daughters")
    dates = sorted((d.label, d.day, d.month, d.year) for d in contact.important_dates)
    assert dates == [("Birthday", 4, 4, 1980), ("Work anniversary", 1, 9, None)]
    assert workspace.undo_stack.count() == steps + 1
    assert window.undo_action.text() == "&Undo Edit contact “Jo Baker-Lind”"

    undo(qtbot, window)
    contact = fresh(workspace, Contact, jo.id)
    assert contact.email == "jo@old.example"
    assert [(d.label, d.day) for d in contact.important_dates] == [("Birthday", 3)]

    page.show_section(page.people)
    press(qtbot, page.people.table, 0, Qt.Key.Key_Delete)
    assert [q.split("\n")[0] for q in asked] == [
        "Delete contact “Jo Baker” and its 1 important date?"
    ]
    assert fresh(workspace, Contact, jo.id) is None
    assert workspace.session.query(ImportantDate).count() == 0
    assert page.people.model.rowCount() == 0
    undo(qtbot, window)
    assert fresh(workspace, Contact, jo.id) is not None
    assert workspace.session.query(ImportantDate).count() == 1
    assert workspace.session.query(InteractionContact).count() == 1


@pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise|grabbing)")
def test_the_right_click_menu_offers_open_rename_and_delete(
    qtbot, window, workspace, agency
) -> None:
    acme = agency.clients["acme"]
    workspace.run(Create(Contact, {"client_id": acme, "name": "Jo Baker"}))
    page = open_page(window, acme)
    page.show_section(page.people)
    table = page.people.table
    actions = page.people.record_actions
    assert actions.delete_text() == "Delete contact"  # nothing selected yet
    menu = actions.show_menu(table.visualRect(table.model().index(0, 0)).center())
    assert menu is not None
    assert [a.text() for a in menu.actions()] == [
        "&Open…",
        "&Rename",
        "&Delete contact",
        "",
        "E&xport personal data…",
        "E&rase this person…",
    ]
    assert actions.delete_text() == "Delete contact “Jo Baker”"
    assert actions.selected_ids() == [page.people.model.rows[0].id]
    menu.actions()[2].trigger()
    menu.close()
    assert workspace.session.query(Contact).count() == 0


def test_interaction_open_edit_who_and_what_then_delete(qtbot, window, workspace, agency) -> None:
    acme = agency.clients["acme"]
    jo = Create(Contact, {"client_id": acme, "name": "Jo Baker"})
    mia = Create(Contact, {"client_id": acme, "name": "Mia Sorensen"})
    workspace.run(jo)
    workspace.run(mia)
    call_id = agency.interactions["acme-call"]
    workspace.run(Create(InteractionContact, {"interaction_id": call_id, "contact_id": jo.id}))
    page = open_page(window, acme)
    page.show_section(page.timeline)
    double_click(qtbot, page.timeline.table, page.timeline.model.index(0, 1))
    dialog = page.timeline.dialog
    assert dialog is not None and dialog.isVisible() and dialog.record is not None
    assert dialog.contact_ids() == [jo.id]
    assert not dialog.follow_up.isVisible()
    for row in range(dialog.contacts_model.rowCount()):
        item = dialog.contacts_model.item(row)
        item.setCheckState(
            Qt.CheckState.Checked if item.text() == "Mia Sorensen" else Qt.CheckState.Unchecked
        )
    dialog.kind.setCurrentIndex(dialog.kind.findData(InteractionKind.MEETING))
    dialog.summary.setPlainText("Went through the spring range")
    dialog.outcome.setText("They want samples")
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    call = fresh(workspace, Interaction, call_id)
    assert call.kind == InteractionKind.MEETING
    assert (call.summary, call.outcome) == ("Went through the spring range", "They want samples")
    assert [link.contact_id for link in call.contact_links] == [mia.id]
    assert page.timeline.rows()[0].with_names == ("Mia Sorensen",)

    undo(qtbot, window)
    call = fresh(workspace, Interaction, call_id)
    assert call.kind == InteractionKind.CALL
    assert [link.contact_id for link in call.contact_links] == [jo.id]

    page.show_section(page.timeline)
    press(qtbot, page.timeline.table, 0, Qt.Key.Key_Delete)
    assert fresh(workspace, Interaction, call_id) is None
    undo(qtbot, window)
    assert fresh(workspace, Interaction, call_id) is not None


def test_follow_up_owner_defaults_to_i_am_due_reschedules_by_typing(
    qtbot, window, workspace, agency, settings
) -> None:
    acme = agency.clients["acme"]
    page = open_page(window, acme)
    page.show_section(page.follow_ups)
    section = page.follow_ups
    qtbot.keyClicks(section.title_edit, "Send the proposal")
    qtbot.keyClick(section.title_edit, Qt.Key.Key_Return)
    first = workspace.session.query(FollowUp).one()
    assert first.owner_id == agency.members["ana"]  # nobody at the station: Acme's AM

    settings.setValue(SETTINGS_MEMBER, agency.members["ben"])
    qtbot.keyClicks(section.title_edit, "Book lunch")
    qtbot.keyClick(section.title_edit, Qt.Key.Key_Return)
    lunch = workspace.session.query(FollowUp).filter_by(title="Book lunch").one()
    assert lunch.owner_id == agency.members["ben"]  # "I am" Ben

    # Typing "+3d" in the Due cell reschedules; a date that means nothing says so.
    row = section.model.row_of(first.id)
    due = section.model.index(row, 2)
    assert section.model.setData(due, "+3d")
    assert fresh(workspace, FollowUp, first.id).due_date == date.today() + timedelta(days=3)
    assert not section.model.setData(due, "+3x")
    assert "is not a date" in (workspace.last_error or "")
    assert page.message.isVisible()

    row = section.model.row_of(first.id)
    press(qtbot, section.table, row, Qt.Key.Key_Return)
    dialog = section.dialog
    assert dialog is not None and dialog.record is not None
    dialog.quick_due.setText("next mon")
    dialog.owner.setCurrentIndex(dialog.owner.findData(agency.members["ben"]))
    dialog.project.setCurrentIndex(dialog.project.findData(agency.projects["rebrand"]))
    dialog.notes.setPlainText("After the tasting")
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    follow = fresh(workspace, FollowUp, first.id)
    today = date.today()
    assert follow.due_date == today + timedelta(days=(0 - today.weekday()) % 7 or 7)
    assert (follow.owner_id, follow.project_id, follow.notes) == (
        agency.members["ben"],
        agency.projects["rebrand"],
        "After the tasting",
    )
    assert section.model.index(section.model.row_of(first.id), 4).data() == "Rebrand"
    undo(qtbot, window)
    assert fresh(workspace, FollowUp, first.id).owner_id == agency.members["ana"]

    page.show_section(section)
    press(qtbot, section.table, section.model.row_of(first.id), Qt.Key.Key_Delete)
    assert fresh(workspace, FollowUp, first.id) is None
    undo(qtbot, window)
    assert fresh(workspace, FollowUp, first.id) is not None


@pytest.mark.parametrize(
    ("locale", "typed", "cents"),
    [(QLocale.Language.German, "12,5", 1250), (QLocale.Language.English, "12,5", None)],
)
def test_opportunity_dialog_reads_money_by_the_locale(
    qtbot, window, workspace, agency, locale, typed, cents
) -> None:
    page = open_page(window, agency.clients["acme"])
    page.show_section(page.money)
    dialog = page.money.open_new_dialog()
    dialog.value.set_locale(QLocale(locale))
    qtbot.keyClicks(dialog.title_edit, "Menu boards")
    qtbot.keyClicks(dialog.value, typed)
    if cents is None:
        assert "separates thousands" in dialog.errors.message("value")
        assert not dialog.ok_button().isEnabled()
        return
    dialog.probability.setValue(40)
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    opp = workspace.session.query(Opportunity).one()
    assert (opp.value_cents, opp.probability) == (cents, 40)


def test_opportunity_edit_value_stage_probability_close_and_weighted_pipeline(
    qtbot, window, workspace, agency
) -> None:
    acme = agency.clients["acme"]
    op = Create(Opportunity, {"client_id": acme, "title": "Menu boards", "value_cents": 100_000})
    workspace.run(op)
    page = open_page(window, acme)
    page.show_section(page.money)
    assert page.money.figures["weighted"].text().startswith("€100")  # idea: 10 % of €1,000
    press(qtbot, page.money.table, 0, Qt.Key.Key_Return)
    dialog = page.money.dialog
    assert dialog is not None and dialog.record is not None
    dialog.value.setText("2500")
    dialog.stage.setCurrentIndex(dialog.stage.findData(OpportunityStage.PITCHED))
    dialog.probability.setValue(60)
    dialog.currency.setText("usd")
    dialog.close_date.check.setChecked(True)
    dialog.close_date.edit.setDate(date(2027, 3, 31))
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    opp = fresh(workspace, Opportunity, op.id)
    assert (opp.value_cents, opp.stage, opp.probability, opp.currency, opp.expected_close) == (
        250_000,
        OpportunityStage.PITCHED,
        60,
        "USD",
        date(2027, 3, 31),
    )
    assert page.money.figures["weighted"].text().startswith("€1,500")
    undo(qtbot, window)
    assert fresh(workspace, Opportunity, op.id).value_cents == 100_000
    page.show_section(page.money)
    press(qtbot, page.money.table, 0, Qt.Key.Key_Delete)
    assert fresh(workspace, Opportunity, op.id) is None
    undo(qtbot, window)
    assert fresh(workspace, Opportunity, op.id) is not None


def test_a_gift_planned_for_a_birthday_shows_on_the_birthday(
    qtbot, window, workspace, agency
) -> None:
    acme = agency.clients["acme"]
    jo = Create(Contact, {"client_id": acme, "name": "Jo Baker"})
    workspace.run(jo)
    soon = date.today() + timedelta(days=12)
    birthday = Create(
        ImportantDate,
        {"contact_id": jo.id, "label": "Birthday", "day": soon.day, "month": soon.month},
    )
    workspace.run(birthday)
    page = open_page(window, acme)
    page.show_section(page.delight)
    delight = page.delight
    occasion_row = next(
        r for r, o in enumerate(delight.occasions.rows) if o.occasion.date_id == birthday.id
    )
    assert delight.occasions.index(occasion_row, 2).data() == "none yet"
    press(qtbot, delight.occasions_table, occasion_row, Qt.Key.Key_Return)
    dialog = delight.dialog
    assert dialog is not None
    assert dialog.recipient.currentData() == jo.id
    assert dialog.occasion.currentData() == birthday.id
    qtbot.keyClicks(dialog.description, "Jazz tickets")
    dialog.cost.setText("80")
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    gift = workspace.session.query(Gift).one()
    assert (gift.contact_id, gift.important_date_id, gift.occasion, gift.cost_cents) == (
        jo.id,
        birthday.id,
        "Birthday",
        8000,
    )
    assert delight.occasions.index(occasion_row, 2).data() == "Idea"

    # Planned for the birthday, it is dated the birthday; ticking "Given" keeps that date.
    gifts = delight.gifts
    assert gifts.setData(
        gifts.index(0, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
    )
    gift = fresh(workspace, Gift, gift.id)
    assert (gift.state, gift.gift_date) == (GiftState.GIVEN, soon)
    assert delight.occasions.index(occasion_row, 2).data() == "Given"

    press(qtbot, delight.gifts_table, 0, Qt.Key.Key_Return)
    dialog = delight.dialog
    assert dialog is not None and dialog.record is not None
    dialog.recipient.setCurrentIndex(0)  # the whole client
    dialog.occasion.setEditText("Christmas")
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    gift = fresh(workspace, Gift, gift.id)
    assert (gift.contact_id, gift.important_date_id, gift.occasion) == (None, None, "Christmas")
    undo(qtbot, window)
    assert fresh(workspace, Gift, gift.id).important_date_id == birthday.id
    page.show_section(page.delight)
    press(qtbot, delight.gifts_table, 0, Qt.Key.Key_Delete)
    assert workspace.session.query(Gift).count() == 0
    undo(qtbot, window)
    assert workspace.session.query(Gift).count() == 1


def test_ratings_add_with_return_reset_the_score_and_open_and_delete(
    qtbot, window, workspace, agency
) -> None:
    page = open_page(window, agency.clients["acme"])
    page.show_section(page.satisfaction)
    section = page.satisfaction
    section.score.setValue(6)
    section.comment.setFocus()
    qtbot.keyClicks(section.comment, "Slow replies")
    qtbot.keyClick(section.comment, Qt.Key.Key_Return)
    rating = workspace.session.query(SatisfactionRating).one()
    assert (rating.score, rating.comment) == (6, "Slow replies")
    assert section.score.value() == 8 and section.comment.text() == ""
    press(qtbot, section.table, 0, Qt.Key.Key_Return)
    dialog = section.dialog
    assert dialog is not None
    dialog.score.setValue(7)
    dialog.comment.setText("Replies got faster")
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    rating = fresh(workspace, SatisfactionRating, rating.id)
    assert (rating.score, rating.comment) == (7, "Replies got faster")
    undo(qtbot, window)
    assert fresh(workspace, SatisfactionRating, rating.id).score == 6
    page.show_section(section)
    press(qtbot, section.table, 0, Qt.Key.Key_Delete)
    assert workspace.session.query(SatisfactionRating).count() == 0
    undo(qtbot, window)
    assert workspace.session.query(SatisfactionRating).count() == 1


def test_client_details_edit_in_one_step(qtbot, window, workspace, agency) -> None:
    acme = agency.clients["acme"]
    page = open_page(window, acme)
    qtbot.mouseClick(page.details_button, Qt.MouseButton.LeftButton)
    dialog = page.details_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.industry.setText("Bakeries")
    dialog.website.setText("https://acme.example")
    dialog.budget.set_locale(QLocale(QLocale.Language.English))
    dialog.budget.setText("120,000")
    dialog.currency.setText("gbp")
    dialog.gift_budget.setText("500")
    dialog.tags.setText("vip, retail, VIP")
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    client = fresh(workspace, Client, acme)
    assert (client.industry, client.website, client.currency) == (
        "Bakeries",
        "https://acme.example",
        "GBP",
    )
    assert (client.annual_budget_cents, client.yearly_gift_budget_cents) == (12_000_000, 50_000)
    assert client.tags == ["vip", "retail"]
    assert "Tags: vip, retail" in page.details.text()
    undo(qtbot, window)
    client = fresh(workspace, Client, acme)
    assert (client.industry, client.tags, client.annual_budget_cents) == ("Food", [], 0)


def test_a_brief_entry_deletes_with_the_delete_key(qtbot, window, workspace, agency) -> None:
    acme = agency.clients["acme"]
    workspace.run(
        Create(ClientNote, {"client_id": acme, "kind": NoteKind.GOAL, "text": "Open a shop"})
    )
    page = open_page(window, acme)
    page.show_section(page.brief)
    table = page.brief.tables[NoteKind.GOAL]
    assert table.record_actions.delete_text() == "Delete goal"
    press(qtbot, table, 0, Qt.Key.Key_Delete)
    assert workspace.session.query(ClientNote).count() == 0
    assert window.undo_action.text() == "&Undo Delete goal “Open a shop”"
    undo(qtbot, window)
    assert workspace.session.query(ClientNote).count() == 1


def test_escape_clears_the_filter_and_an_empty_list_says_what_to_do(
    qtbot, window, workspace, agency
) -> None:
    clients = clients_of(window)
    clients.header.filter.setFocus()
    qtbot.keyClicks(clients.header.filter, "acme")
    assert clients.model.rowCount() == 1
    qtbot.keyClick(clients.header.filter, Qt.Key.Key_Escape)
    assert clients.header.filter.text() == "" and clients.model.rowCount() == 3

    page = open_page(window, agency.clients["cedar"])
    page.show_section(page.follow_ups)
    table = page.follow_ups.table
    assert table.model().rowCount() == 0
    assert table.empty_text == (
        "No follow-ups. Type one below, or press Ctrl+L to log a call and add one"
    )
    table.grab()  # paints the hint


def test_counts_agree_with_their_nouns() -> None:
    from db.labels import plural

    assert plural(1, "working day") == "1 working day"
    assert plural(3, "working day") == "3 working days"
    assert plural(0, "day") == "0 days"


def test_dragging_a_card_on_the_board_moves_the_opportunity_one_undo_step_per_drop(
    qtbot, window, workspace, agency
) -> None:
    acme = agency.clients["acme"]
    op = Create(Opportunity, {"client_id": acme, "title": "Menu boards", "value_cents": 90_000})
    workspace.run(op)
    page = open_page(window, acme)
    page.show_section(page.money)
    page.money.show_board()
    board = page.money.board
    assert board.isVisible()
    steps = workspace.undo_stack.count()

    def drag(to: OpportunityStage) -> None:
        source, item = board.card(op.id)
        start = source.visualItemRect(item).center()
        target = board.columns[to].viewport()
        qtbot.mousePress(source.viewport(), Qt.MouseButton.LeftButton, pos=start)
        qtbot.mouseMove(source.viewport(), start + QPoint(30, 0))
        # The window system delivers the release to the column the press grabbed.
        drop = source.viewport().mapFromGlobal(target.mapToGlobal(target.rect().center()))
        qtbot.mouseRelease(source.viewport(), Qt.MouseButton.LeftButton, pos=drop)

    drag(OpportunityStage.PITCHED)
    assert fresh(workspace, Opportunity, op.id).stage == OpportunityStage.PITCHED
    assert board.card(op.id)[0] is board.columns[OpportunityStage.PITCHED]
    assert board.titles[OpportunityStage.PITCHED].text() == "Pitched  ·  1  ·  €900"
    drag(OpportunityStage.WON)
    assert fresh(workspace, Opportunity, op.id).stage == OpportunityStage.WON
    assert workspace.undo_stack.count() == steps + 2
    assert window.undo_action.text() == "&Undo Move “Menu boards” to won"
    undo(qtbot, window)
    assert fresh(workspace, Opportunity, op.id).stage == OpportunityStage.PITCHED
    # A click without a drag moves nothing; Return on a card opens it.
    source, item = board.card(op.id)
    qtbot.mouseClick(
        source.viewport(), Qt.MouseButton.LeftButton, pos=source.visualItemRect(item).center()
    )
    assert workspace.undo_stack.index() == steps + 1
    source.setFocus()
    source.setCurrentItem(item)
    qtbot.keyClick(source, Qt.Key.Key_Return)
    assert page.money.dialog is not None and page.money.dialog.record.id == op.id


@pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise|grabbing)")
def test_tags_filter_the_list_and_rename_across_the_agency(
    qtbot, window, workspace, agency
) -> None:
    from db.operations import Update

    acme, blue = agency.clients["acme"], agency.clients["blue"]
    workspace.run(Update(Client, acme, {"tags": ["vip", "bakery"]}))
    workspace.run(Update(Client, blue, {"tags": ["VIP"]}))
    clients = clients_of(window)
    combo = clients.tag_filter
    combo.showPopup()  # the list of tags is read afresh when it opens
    combo.hidePopup()
    assert [combo.itemText(i) for i in range(combo.count())] == ["All tags", "bakery", "vip"]
    combo.setCurrentIndex(combo.findData("vip"))
    names = {clients.model.index(r, COL_NAME).data() for r in range(clients.model.rowCount())}
    assert names == {"Acme Bakery", "Blue Harbor Hotels"}
    dialog = clients.ask_tag_name()
    assert dialog is not None
    dialog.setTextValue("key account")
    dialog.accept()
    assert fresh(workspace, Client, acme).tags == ["key account", "bakery"]
    assert fresh(workspace, Client, blue).tags == ["key account"]
    assert combo.currentData() == "key account" and clients.model.rowCount() == 2
    assert window.undo_action.text() == "&Undo Rename tag “vip” to “key account”"
    undo(qtbot, window)
    assert fresh(workspace, Client, blue).tags == ["VIP"]
    combo.setCurrentIndex(0)
    assert clients.model.rowCount() == 3


def test_edit_delete_on_a_client_page_deletes_the_focused_record_not_the_client(
    qtbot, window, workspace, agency
) -> None:
    acme = agency.clients["acme"]
    workspace.run(Create(Contact, {"client_id": acme, "name": "Jo Baker"}))
    page = open_page(window, acme)
    page.show_section(page.people)
    page.people.table.setFocus()
    page.people.table.selectRow(0)
    window.delete_action.trigger()  # Edit > Delete from the menu
    assert workspace.session.query(Contact).count() == 0
    assert fresh(workspace, Client, acme) is not None
    page.name.setFocus()  # nothing deletable has focus: nothing goes
    window.delete_action.trigger()
    assert fresh(workspace, Client, acme) is not None


@pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise|grabbing)")
def test_the_client_list_right_click_menu_opens_renames_and_deletes(
    qtbot, window, workspace, agency, monkeypatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    clients = clients_of(window)
    cedar = agency.clients["cedar"]
    at = clients.table.visualRect(clients.proxy_index(cedar, COL_NAME)).center()
    menu = clients.show_menu(at)
    assert menu is not None
    assert [a.text() for a in menu.actions()] == ["&Open", "&Rename", "&Delete client"]
    menu.close()
    menu.actions()[1].trigger()
    assert isinstance(QApplication.focusWidget(), QLineEdit)  # renaming in place
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    menu = clients.show_menu(at)
    menu.close()
    menu.actions()[0].trigger()
    assert clients.host.detail is not None and clients.host.detail.client_id == cedar
    clients.host.show_list()
    menu = clients.show_menu(
        clients.table.visualRect(clients.proxy_index(cedar, COL_NAME)).center()
    )
    menu.close()
    menu.actions()[2].trigger()
    assert fresh(workspace, Client, cedar) is None
    undo(qtbot, window)
    assert fresh(workspace, Client, cedar) is not None


def test_the_gift_adder_and_given_box_only_show_what_the_gift_rules_say(
    qtbot, window, workspace, agency
) -> None:
    from db.am.gifts import NO_DESCRIPTION

    page = open_page(window, agency.clients["acme"])
    page.show_section(page.delight)
    delight = page.delight
    delight.occasion.setText("Launch")
    qtbot.keyClick(delight.idea, Qt.Key.Key_Return)  # no description
    assert delight.error.isVisible() and delight.error.text() == f"Gift: {NO_DESCRIPTION}"
    assert delight.occasion.text() == "Launch"  # the typing stays for a fix
    assert workspace.session.query(Gift).count() == 0
    qtbot.keyClicks(delight.idea, "Wine")
    qtbot.keyClick(delight.idea, Qt.Key.Key_Return)
    assert not delight.error.isVisible() and delight.idea.text() == ""
    gift = workspace.session.query(Gift).one()
    gifts = delight.gifts
    given, not_given = Qt.CheckState.Checked.value, Qt.CheckState.Unchecked.value
    assert gifts.setData(gifts.index(0, 0), given, Qt.ItemDataRole.CheckStateRole)
    assert fresh(workspace, Gift, gift.id).state == GiftState.GIVEN
    assert gifts.setData(gifts.index(0, 0), not_given, Qt.ItemDataRole.CheckStateRole)
    assert fresh(workspace, Gift, gift.id).state == GiftState.BOUGHT


def test_email_and_phone_show_on_the_people_tab_without_scrolling_sideways(
    qtbot, window, workspace, agency
) -> None:
    acme = agency.clients["acme"]
    jo = Create(
        Contact,
        {
            "client_id": acme,
            "name": "Josephine Baker-Lindqvist",
            "title": "Head of Brand Partnerships",
            "email": "josephine.baker-lindqvist@acme-bakery.example",
            "phone": "+49 30 1234 5678",
            "stay_in_touch_days": 30,
        },
    )
    workspace.run(jo)
    page = open_page(window, acme)
    page.show_section(page.people)
    people = page.people
    table = people.table
    qtbot.waitUntil(lambda: table.model().rowCount() == 1)
    table.horizontalScrollBar().setValue(0)
    room = table.viewport().width()
    for header in ("Email", "Phone"):
        col = next(
            c
            for c in range(table.model().columnCount())
            if table.model().headerData(c, Qt.Orientation.Horizontal) == header
        )
        right = table.columnViewportPosition(col) + table.columnWidth(col)
        assert table.columnViewportPosition(col) >= 0 and right <= room, f"{header} is cut off"


@pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",  # the completion popup
    "This plugin does not support grabbing the keyboard",
)
def test_tags_are_offered_from_completion_in_the_client_details(
    qtbot, window, workspace, agency
) -> None:
    from db.operations import Update

    workspace.run(Update(Client, agency.clients["blue"], {"tags": ["vip", "hospitality"]}))
    page = open_page(window, agency.clients["acme"])
    dialog = page.open_details()
    assert dialog is not None
    completer = dialog.tags.completer()
    completer.setCompletionPrefix("ho")
    assert completer.currentCompletion() == "hospitality"  # the agency's tags, any case
    # After a comma, the tag being typed is completed and the ones before it kept.
    dialog.tags.clear()
    qtbot.keyClicks(dialog.tags, "new one, ho")
    assert completer.currentCompletion() == "new one, hospitality"
    dialog.tags.setText(completer.currentCompletion())  # as picking it from the popup does
    dialog.ok_button().click()
    assert fresh(workspace, Client, agency.clients["acme"]).tags == ["new one", "hospitality"]
