"""The client page's dialogs: log an interaction, add a contact, new project from a request.

Each dialog checks its fields as they are typed (a message next to the field, OK disabled
while anything is wrong) and hands back a `db` operation; the page runs it on the undo stack.
Dialogs are opened with `open()` (window-modal, never a blocking `exec`), so tests drive them
like a user would.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db.am.client_detail import ContactRow, InteractionRow
from db.am.operations import (
    DateDraft,
    DateEdit,
    FollowUpDraft,
    add_contact,
    edit_contact,
    edit_interaction,
    log_interaction,
    new_project_from_request,
)
from db.errors import AgencyDeskError
from db.models import CustomFieldTarget, InteractionKind, Sentiment, utcnow
from db.operations import Create, Operation, composite
from db.validation import check_field
from desktop.client_page.fields import FieldErrors, error_label
from desktop.client_page.money_edit import MoneyEdit
from desktop.custom_fields.editors import CustomFieldRows
from desktop.formatting import day as py_day
from desktop.formatting import label
from desktop.views.text_limits import cap_field
from desktop.views.unsaved_changes import GuardedDialog, UnsavedChanges

if TYPE_CHECKING:
    from desktop.workspace import Workspace

KINDS = (
    InteractionKind.CALL,
    InteractionKind.EMAIL,
    InteractionKind.MEETING,
    InteractionKind.NOTE,
    InteractionKind.REPORT_SENT,
    InteractionKind.GIFT,
)


def qdate(day: date) -> QDate:
    # Built from its parts: PySide6 converts a date too, but its stubs do not say so.
    return QDate(day.year, day.month, day.day)


def date_edit(value: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    edit.setDate(qdate(value or date.today()))
    return edit


def py_date(edit: QDateEdit) -> date:
    day = edit.date()
    return date(day.year(), day.month(), day.day())


Submit = Callable[[Operation], str | None]  # run it; the refusal's message, or None


class FormDialog(GuardedDialog):
    """A form with OK and Cancel. Cancel, Escape or the close button after an edit asks
    Save / Discard / Keep editing (`desktop.views.unsaved_changes`).

    With `submit` set, OK runs `operation()` through it and closes only when it went through:
    a refusal (a rule only the database can check) shows in the dialog, the typing intact.
    Without it, OK just accepts and the caller takes `operation()`.
    """

    def __init__(self, title: str, parent: QWidget | None, *, submit: Submit | None = None) -> None:
        super().__init__(parent)
        self.submit = submit
        # Save from the question is OK: the fields are checked and the edit submitted.
        self.unsaved = UnsavedChanges(
            self, save=self._accept_if_valid, discard=lambda: QDialog.reject(self)
        )
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        # The form on a widget of its own, so a dialog can put it on a tab (ContactDialog).
        self.body = QWidget()
        self.form = QFormLayout(self.body)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.errors = FieldErrors(self.form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._accept_if_valid)
        self.buttons.rejected.connect(self.reject)
        self.errors.changed.connect(self.ok_button().setEnabled)
        layout = QVBoxLayout(self)
        layout.addWidget(self.body)
        self.extra = QVBoxLayout()
        layout.addLayout(self.extra)
        self.refusal = error_label()
        self.refusal.setObjectName("dialogRefusal")
        layout.addWidget(self.refusal)
        layout.addWidget(self.buttons)

    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _accept_if_valid(self) -> None:
        if self.errors.check_all():
            self.finish()

    def operation(self) -> Operation:
        raise NotImplementedError

    def finish(self) -> None:
        """OK with every field valid: submit the edit, close when it went through."""
        if self.submit is None:
            self.accept()
            return
        try:
            message = self.submit(self.operation())
        except AgencyDeskError as exc:
            message = str(exc)
        if message:
            self.refusal.setText(message)
            self.refusal.show()
            return
        self.accept()

    @property
    def confirm(self) -> QMessageBox | None:
        """The "Save / Discard / Keep editing" question while it is asked."""
        return self.unsaved.box

    def typed(self) -> bool:
        """Whether any field differs from how the dialog opened."""
        return self.unsaved.changed()


class LogInteractionDialog(FormDialog):
    """Ctrl+L: a call, email, meeting or note with who took part, summary and sentiment, and
    optionally the follow-up it calls for."""

    def __init__(
        self,
        client_id: str,
        contacts: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
        *,
        logged_by_id: str | None = None,
        interaction: InteractionRow | None = None,
        links: Mapping[str, str] | None = None,
        submit: Submit | None = None,
    ) -> None:
        super().__init__("Interaction" if interaction else "Log interaction", parent, submit=submit)
        self.client_id = client_id
        self.logged_by_id = logged_by_id
        self.record = interaction
        self.links = dict(links or {})
        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem(label(kind), kind)
        self.when = date_edit()
        self.contacts_model = QStandardItemModel(self)
        for contact_id, name in contacts:
            item = QStandardItem(name)
            item.setCheckable(True)
            item.setEditable(False)
            item.setData(contact_id, Qt.ItemDataRole.UserRole)
            self.contacts_model.appendRow(item)
        self.contacts = QListView()
        self.contacts.setModel(self.contacts_model)
        self.contacts.setMaximumHeight(110)
        self.summary = QPlainTextEdit()
        self.summary.setPlaceholderText("What was said, what was agreed")
        self.summary.setTabChangesFocus(True)
        self.summary.setMaximumHeight(90)
        self.sentiment = QComboBox()
        for sentiment in (Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE):
            self.sentiment.addItem(label(sentiment), sentiment)
        self.sentiment.setCurrentIndex(1)
        self.errors.add_row("&Kind", self.kind, "kind")
        self.errors.add_row("&Date", self.when, "when")
        self.errors.add_row("&With", self.contacts, "contacts")
        self.errors.add_row("&Summary", self.summary, "summary", self._check_summary)
        self.outcome = cap_field(QLineEdit(), "Interaction", "outcome")
        self.outcome.setPlaceholderText("What came of it (optional)")
        self.errors.add_row("&Outcome", self.outcome, "outcome")
        self.errors.add_row("S&entiment", self.sentiment, "sentiment")

        self.follow_up = QGroupBox("Create a &follow-up")
        self.follow_up.setCheckable(True)
        self.follow_up.setChecked(False)
        follow_form = QFormLayout(self.follow_up)
        self.follow_errors = FieldErrors(follow_form)
        self.follow_title = QLineEdit()
        self.follow_title.setPlaceholderText("Send the proposal")
        self.follow_due = date_edit(date.today())
        self.follow_errors.add_row("Title", self.follow_title, "title", self._check_follow_title)
        self.follow_errors.add_row("Due", self.follow_due, "due")
        self.follow_shared = QCheckBox("S&hare with client")
        self.follow_shared.setToolTip(
            "Show this follow-up in the client's summary and meeting agenda. "
            "Unticked, it stays internal."
        )
        follow_form.addRow("", self.follow_shared)
        self.extra.addWidget(self.follow_up)
        self.summary.textChanged.connect(lambda: self.errors.check("summary"))
        self.follow_title.textChanged.connect(lambda _t: self._recheck())
        self.follow_up.toggled.connect(lambda _on: self._recheck())
        self.follow_errors.changed.connect(lambda _v: self._sync_ok())
        self.errors.changed.connect(lambda _v: self._sync_ok())
        self.ok_button().setEnabled(False)
        if interaction is not None:
            self._show_record(interaction)
        self.resize(460, 0)

    def _show_record(self, record: InteractionRow) -> None:
        """Edit mode: the interaction as stored; a follow-up is added on its own tab."""
        found = self.kind.findData(record.kind)
        if found < 0:
            self.kind.addItem(label(record.kind), record.kind)
            found = self.kind.count() - 1
        self.kind.setCurrentIndex(found)
        self.when.setDate(qdate(record.occurred_at.date()))
        for row in range(self.contacts_model.rowCount()):
            item = self.contacts_model.item(row)
            if item.data(Qt.ItemDataRole.UserRole) in record.with_ids:
                item.setCheckState(Qt.CheckState.Checked)
        self.summary.setPlainText(record.summary)
        self.outcome.setText(record.outcome)
        self.sentiment.setCurrentIndex(max(self.sentiment.findData(record.sentiment), 0))
        self.follow_up.hide()
        self.ok_button().setEnabled(True)

    def _check_summary(self) -> str | None:
        text = self.summary.toPlainText().strip()
        if not text:
            return "Say in a few words what happened"
        message = check_field("Interaction", "summary", text)
        return f"Summary {message}" if message else None

    def _check_follow_title(self) -> str | None:
        if not self.follow_up.isChecked():
            return None
        message = check_field("FollowUp", "title", self.follow_title.text())
        return f"Follow-up title {message}" if message else None

    def _recheck(self) -> None:
        self.follow_errors.check("title")

    def _sync_ok(self) -> None:
        self.ok_button().setEnabled(self.errors.valid() and self.follow_errors.valid())

    def _accept_if_valid(self) -> None:
        if self.errors.check_all() and self.follow_errors.check_all():
            self.finish()

    def contact_ids(self) -> list[str]:
        found = []
        for row in range(self.contacts_model.rowCount()):
            item = self.contacts_model.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                found.append(item.data(Qt.ItemDataRole.UserRole))
        return found

    def operation(self) -> Operation:
        day = py_date(self.when)
        occurred = utcnow() if day == date.today() else datetime.combine(day, time(12))
        if self.record is not None:
            kind = InteractionKind(self.kind.currentData())
            values: dict[str, object] = {
                "kind": kind,
                "summary": self.summary.toPlainText().strip(),
                "outcome": self.outcome.text().strip(),
                "sentiment": Sentiment(self.sentiment.currentData()),
            }
            if day != self.record.occurred_at.date():
                values["occurred_at"] = datetime.combine(day, time(12))
            what = f"{label(kind).lower()} of {py_day(self.record.occurred_at)}"
            return edit_interaction(self.record.id, values, self.links, self.contact_ids(), what)
        follow = None
        if self.follow_up.isChecked():
            follow = FollowUpDraft(
                self.follow_title.text().strip(),
                py_date(self.follow_due),
                self.logged_by_id,
                share_with_client=self.follow_shared.isChecked(),
            )
        return log_interaction(
            self.client_id,
            InteractionKind(self.kind.currentData()),
            self.summary.toPlainText().strip(),
            occurred_at=occurred,
            contact_ids=self.contact_ids(),
            sentiment=Sentiment(self.sentiment.currentData()),
            outcome=self.outcome.text().strip(),
            logged_by_id=self.logged_by_id,
            follow_up=follow,
        )


class ContactDialog(FormDialog):
    """A contact: name, role, email, phone, stay-in-touch cadence, rapport notes and any
    number of important dates (a birthday without a year is fine). Opened on an existing
    contact it edits it, dates included, as one step."""

    def __init__(
        self,
        client_id: str,
        parent: QWidget | None = None,
        *,
        contact: ContactRow | None = None,
        submit: Submit | None = None,
        session: Session | None = None,
        workspace: Workspace | None = None,
    ) -> None:
        """With `workspace`, an existing contact's dialog has a History tab too."""
        super().__init__("Contact" if contact else "New contact", parent, submit=submit)
        self.client_id = client_id
        self.record = contact
        self.session = session
        c = contact
        self.name = cap_field(QLineEdit(c.name if c else ""), "Contact", "name")
        self.title_edit = cap_field(QLineEdit(c.title if c else ""), "Contact", "title")
        self.email = cap_field(QLineEdit(c.email if c else ""), "Contact", "email")
        self.phone = cap_field(QLineEdit(c.phone if c else ""), "Contact", "phone")
        self.cadence = QSpinBox()
        self.cadence.setRange(0, 3650)
        self.cadence.setSpecialValueText("No cadence")
        self.cadence.setSuffix(" days")
        self.cadence.setValue((c.stay_in_touch_days or 0) if c else 30)
        self.rapport = QPlainTextEdit(c.rapport_notes if c else "")
        self.rapport.setPlaceholderText("Family, pastimes, what they care about (private)")
        self.rapport.setMaximumHeight(70)
        self.rapport.setTabChangesFocus(True)
        self.errors.add_row("&Name", self.name, "name", self._check("name", self.name))
        self.errors.add_row(
            "&Role", self.title_edit, "title", self._check("title", self.title_edit)
        )
        self.errors.add_row("&Email", self.email, "email", self._check("email", self.email))
        self.errors.add_row("&Phone", self.phone, "phone", self._check("phone", self.phone))
        self.errors.add_row("Stay in &touch every", self.cadence, "cadence")
        self.errors.add_row("Rapport &notes", self.rapport, "rapport", self._check_rapport)

        self.old_dates = [
            DateEdit(d.label, d.day, d.month, d.year, d.id) for d in (c.dates if c else ())
        ]
        self.date_list = QListWidget()
        self.date_list.setMaximumHeight(86)
        for d in self.old_dates:
            self._list_date(d)
        self.remove_date = QPushButton("Remove")
        self.remove_date.clicked.connect(self._remove_date)
        self.remove_date.setEnabled(False)
        self.date_list.currentRowChanged.connect(lambda r: self.remove_date.setEnabled(r >= 0))
        listed = QWidget()
        listed_layout = QHBoxLayout(listed)
        listed_layout.setContentsMargins(0, 0, 0, 0)
        listed_layout.addWidget(self.date_list, 1)
        listed_layout.addWidget(self.remove_date, 0, Qt.AlignmentFlag.AlignTop)
        listed.setVisible(bool(self.old_dates))
        self.listed = listed

        self.date_label = cap_field(QLineEdit("Birthday"), "ImportantDate", "label")
        self.day = QSpinBox()
        self.day.setRange(0, 31)
        self.day.setSpecialValueText("day")
        self.month = QComboBox()
        self.month.addItem("month", 0)
        for number in range(1, 13):
            self.month.addItem(calendar.month_name[number], number)
        self.year = QLineEdit()
        self.year.setPlaceholderText("year, if known")
        self.add_date = QPushButton("Add date")
        self.add_date.clicked.connect(self._add_date)
        when = QWidget()
        when_layout = QHBoxLayout(when)
        when_layout.setContentsMargins(0, 0, 0, 0)
        when_layout.addWidget(self.day)
        when_layout.addWidget(self.month, 2)
        when_layout.addWidget(self.year, 1)
        when_layout.addWidget(self.add_date)
        self.errors.add_row("Important &dates", listed, "dates")
        self.errors.add_row(
            "&Occasion" if c else "Important &date",
            self.date_label,
            "date_label",
            self._check_date_label,
        )
        self.errors.add_row("On", when, "day", self._check_date)
        # The agency's own contact fields (Preferences > Custom fields), in the same step.
        self.custom = (
            CustomFieldRows(
                self, session, CustomFieldTarget.CONTACT, c.id if c else None, date.today()
            )
            if session is not None
            else None
        )

        for edit, name in (
            (self.name, "name"),
            (self.title_edit, "title"),
            (self.email, "email"),
            (self.phone, "phone"),
            (self.date_label, "date_label"),
            (self.year, "day"),
        ):
            edit.textChanged.connect(lambda _t, n=name: self.errors.check(n))
        self.rapport.textChanged.connect(lambda: self.errors.check("rapport"))
        self.day.valueChanged.connect(lambda _v: self.errors.check("day"))
        self.month.currentIndexChanged.connect(lambda _i: self.errors.check("day"))
        self.ok_button().setEnabled(c is not None)
        self.resize(460, 0)
        self.tabs: QTabWidget | None = None
        if c is not None and workspace is not None:
            self._add_history_tab(workspace, c.id)

    def _add_history_tab(self, workspace: Workspace, contact_id: str) -> None:
        from db.audit.history import contact_records
        from desktop.history.panel import HistoryPanel

        self.history = HistoryPanel(
            workspace,
            lambda session: contact_records(session, contact_id),
            ("Contact", "ImportantDate"),
        )
        self.history.setContentsMargins(6, 6, 6, 6)  # inside the tab's frame
        self.tabs = QTabWidget()
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        outer.removeWidget(self.body)
        self.tabs.addTab(self.body, "&Details")
        self.tabs.addTab(self.history, "&History")
        outer.insertWidget(0, self.tabs)
        self.resize(720, 0)

    def _check(self, field: str, edit: QLineEdit) -> Callable[[], str | None]:
        title = {"title": "Role"}.get(field, field.capitalize())

        def rule() -> str | None:
            message = check_field("Contact", field, edit.text().strip())
            return f"{title} {message}" if message else None

        return rule

    def _check_rapport(self) -> str | None:
        message = check_field("Contact", "rapport_notes", self.rapport.toPlainText().strip())
        return f"Rapport notes {message}" if message else None

    def _check_date_label(self) -> str | None:
        message = check_field("ImportantDate", "label", self.date_label.text().strip())
        return f"Occasion {message}" if message and self.day.value() else None

    def _year(self) -> int | None:
        text = self.year.text().strip()
        return int(text) if text.isdigit() else None

    def _check_year(self) -> str | None:
        text = self.year.text().strip()
        if not text:
            return None
        if not text.isdigit():
            return f"{text!r} is not a year"
        message = check_field("ImportantDate", "year", int(text))
        return f"Year {message}" if message else None

    def _check_date(self) -> str | None:
        return self._check_year() or self._check_day()

    def _check_day(self) -> str | None:
        day, month = self.day.value(), self.month.currentData()
        if not day and not month:
            return None
        if not day or not month:
            return "Give both a day and a month, or neither"
        last = calendar.monthrange(self._year() or 2000, month)[1]  # 2000: 29 Feb exists
        if day > last:
            return f"{calendar.month_name[month]} has no day {day}"
        return None

    # -- the list of dates -----------------------------------------------------------------

    def _list_date(self, d: DateEdit) -> None:
        month = calendar.month_abbr[d.month]
        item = QListWidgetItem(f"{d.label} {d.day} {month}" + (f" {d.year}" if d.year else ""))
        item.setData(Qt.ItemDataRole.UserRole, d)
        self.date_list.addItem(item)

    def _entered_date(self) -> DateEdit | None:
        """The date typed in the entry row, if complete and valid."""
        if not (self.day.value() and self.month.currentData()) or self._check_date():
            return None
        return DateEdit(
            self.date_label.text().strip() or "Important date",
            self.day.value(),
            self.month.currentData(),
            self._year(),
        )

    def _add_date(self) -> None:
        entered = self._entered_date()
        if entered is None:
            self.errors.check("day")
            return
        self._list_date(entered)
        self.listed.show()
        self.date_label.clear()
        self.day.setValue(0)
        self.month.setCurrentIndex(0)
        self.year.clear()

    def _remove_date(self) -> None:
        row = self.date_list.currentRow()
        if row >= 0:
            self.date_list.takeItem(row)

    def dates(self) -> list[DateEdit]:
        """The dates as they should be stored: the list, plus one typed but not yet added."""
        found = [
            self.date_list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.date_list.count())
        ]
        entered = self._entered_date()
        return found + ([entered] if entered else [])

    def operation(self) -> Operation:
        name = self.name.text().strip()
        values = {
            "name": name,
            "title": self.title_edit.text().strip(),
            "email": self.email.text().strip(),
            "phone": self.phone.text().strip(),
            "rapport_notes": self.rapport.toPlainText().strip(),
            "stay_in_touch_days": self.cadence.value() or None,
        }
        contact: Operation
        if self.record is not None:
            contact = edit_contact(self.record.id, name, values, self.old_dates, self.dates())
            contact_id = self.record.id
        else:
            drafts = [DateDraft(d.label, d.day, d.month, d.year) for d in self.dates()]
            created = add_contact(self.client_id, values, drafts)
            first = created.steps[0]
            assert isinstance(first, Create)  # add_contact creates the contact first
            contact, contact_id = created, first.id
        if self.custom is None or self.session is None:
            return contact
        fields = self.custom.steps(self.session, contact_id, new=self.record is None)
        return composite([contact, *fields], contact.label) if fields else contact


class NewProjectDialog(FormDialog):
    """Hand a client's request to a project manager as a new project."""

    def __init__(
        self,
        client_id: str,
        managers: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
        *,
        account_manager_id: str | None = None,
    ) -> None:
        super().__init__("New project from request", parent)
        self.client_id = client_id
        self.account_manager_id = account_manager_id
        self.name = QLineEdit()
        self.name.setPlaceholderText("Spring campaign")
        self.request = QPlainTextEdit()
        self.request.setPlaceholderText("What the client asked for, in their words")
        self.request.setTabChangesFocus(True)
        self.manager = QComboBox()
        self.manager.addItem("Nobody yet", None)
        for member_id, name in managers:
            self.manager.addItem(name, member_id)
        if managers:
            self.manager.setCurrentIndex(1)
        self.has_due = QCheckBox("Due by")
        self.due = date_edit(date.today())
        self.due.setEnabled(False)
        self.has_due.toggled.connect(self.due.setEnabled)
        self.budget = MoneyEdit()
        self.budget.setPlaceholderText("0")
        self.errors.add_row("&Name", self.name, "name", self._check_name)
        self.errors.add_row("&Request", self.request, "request", self._check_request)
        self.errors.add_row("Project &manager", self.manager, "manager")
        due_row = QWidget()
        due_layout = QHBoxLayout(due_row)
        due_layout.setContentsMargins(0, 0, 0, 0)
        due_layout.addWidget(self.has_due)
        due_layout.addWidget(self.due, 1)
        self.errors.add_row("Due", due_row, "due")
        self.errors.add_row("&Budget", self.budget, "budget", lambda: self.budget.problem("Budget"))
        self.budget.textChanged.connect(lambda _t: self.errors.check("budget"))
        self.name.textChanged.connect(lambda _t: self.errors.check("name"))
        self.request.textChanged.connect(lambda: self.errors.check("request"))
        self.ok_button().setEnabled(False)
        self.resize(480, 0)

    def _check_name(self) -> str | None:
        message = check_field("Project", "name", self.name.text())
        return f"Project name {message}" if message else None

    def _check_request(self) -> str | None:
        text = self.request.toPlainText().strip()
        if not text:
            return "Paste or type the request"
        message = check_field("Project", "brief", text)
        return f"Request {message}" if message else None

    def operation(self) -> Operation:
        return new_project_from_request(
            self.client_id,
            self.request.toPlainText(),
            name=self.name.text(),
            project_manager_id=self.manager.currentData(),
            project_manager_name=self.manager.currentText() if self.manager.currentData() else "",
            account_manager_id=self.account_manager_id,
            due_date=py_date(self.due) if self.has_due.isChecked() else None,
            budget_cents=self.budget.cents("Budget"),
        )
