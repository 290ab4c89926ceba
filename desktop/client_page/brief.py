"""Brief: the client's vision, long-term goals, short-term needs, pain points and
opportunities, each a list of dated entries to add, edit in place and mark resolved. Return,
a double-click or F2 edits an entry's text in place; Delete deletes it."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGridLayout, QGroupBox, QLineEdit, QTableView, QVBoxLayout, QWidget

from db.am.client_detail import NoteRow, brief_notes
from db.am.operations import add_note, edit_note, reopen_note, resolve_note
from db.models import ClientNote, Horizon, NoteKind
from db.operations import Operation
from db.validation import max_length
from desktop.client_page.context import PageContext, list_table, stretch
from desktop.client_page.record_actions import RecordActions
from desktop.client_page.rows_model import Column, RowsModel
from desktop.client_page.section import Section
from desktop.formatting import day
from desktop.views.text_limits import cap_field

KIND_TITLES = {
    NoteKind.VISION: ("Vision", "Where they want to be"),
    NoteKind.GOAL: ("Goals", "Add a goal"),
    NoteKind.NEED: ("Needs", "Add a need"),
    NoteKind.PAIN_POINT: ("Pain points", "Add a pain point"),
    NoteKind.OPPORTUNITY: ("Opportunities", "Add an opportunity"),
}


KIND_WORDS = {
    NoteKind.VISION: "vision",
    NoteKind.GOAL: "goal",
    NoteKind.NEED: "need",
    NoteKind.PAIN_POINT: "pain point",
    NoteKind.OPPORTUNITY: "opportunity",
}


KIND_PLURALS = {
    NoteKind.VISION: "visions",
    NoteKind.GOAL: "goals",
    NoteKind.NEED: "needs",
    NoteKind.PAIN_POINT: "pain points",
    NoteKind.OPPORTUNITY: "opportunities",
}


def _resolve(row: NoteRow, resolved: Any) -> Operation:
    return resolve_note(row.id) if resolved else reopen_note(row.id)


COLUMNS = (
    Column(
        "Entry",
        lambda n: n.text,
        edit=lambda n, v: edit_note(n.id, {"text": str(v).strip()}),
        tooltip=lambda n: n.text,
        max_length=max_length("ClientNote", "text"),
    ),
    Column(
        "Horizon",
        lambda n: "Long term" if n.horizon == Horizon.LONG else "Short term",
        edit=lambda n, _v: edit_note(
            n.id, {"horizon": Horizon.SHORT if n.horizon == Horizon.LONG else Horizon.LONG}
        ),
    ),
    Column("Noted", lambda n: day(n.noted_on), sort=lambda n: n.noted_on),
    Column(
        "Resolved",
        lambda n: day(n.resolved_on),
        check=lambda n: n.resolved_on is not None,
        edit=_resolve,
    ),
)


class BriefSection(Section):
    title = "Brief"
    entities = ("ClientNote",)

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.models: dict[NoteKind, RowsModel] = {}
        self.adders: dict[NoteKind, QLineEdit] = {}
        self.tables: dict[NoteKind, QTableView] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(12)
        for i, kind in enumerate(NoteKind):
            title, placeholder = KIND_TITLES[kind]
            box = QGroupBox(title)
            box.setObjectName(f"brief_{kind.value}")
            model = RowsModel(COLUMNS, context.run, quiet=lambda n: n.resolved_on is not None)
            table = list_table(empty="Nothing yet. Type below and press Enter")
            table.setModel(model)
            stretch(table, 0)
            actions = RecordActions(
                table,
                model,
                context.workspace,
                what=KIND_WORDS[kind],
                name=lambda n: n.text,
                rename_column=0,
                entity=ClientNote,
                plural=KIND_PLURALS[kind],
            )
            actions.set_opener(actions.rename_current)  # an entry is its text
            self.tables[kind] = table
            adder = cap_field(QLineEdit(), "ClientNote", "text")
            adder.setPlaceholderText(f"{placeholder}…  (Enter)")
            adder.returnPressed.connect(lambda k=kind: self._add(k))
            column = QVBoxLayout(box)
            column.addWidget(table)
            column.addWidget(adder)
            self.models[kind], self.adders[kind] = model, adder
            grid.addWidget(box, i // 2, i % 2)

    def _add(self, kind: NoteKind) -> None:
        adder = self.adders[kind]
        text = adder.text().strip()
        if not text:
            return
        horizon = Horizon.LONG if kind in (NoteKind.VISION, NoteKind.GOAL) else Horizon.SHORT
        if self.context.run(
            add_note(
                self.context.client_id, kind, text, horizon=horizon, noted_on=self.context.today()
            )
        ):
            adder.clear()

    def refresh(self) -> None:
        notes = brief_notes(self.context.session, self.context.client_id)
        for kind, model in self.models.items():
            model.set_rows([n for n in notes if n.kind == kind])
