"""The preview of a CSV or vCard import of clients, contacts, interactions or follow-ups:
which column feeds which field (guessed from the header, changeable), how rows match what
exists, what is added, updated and skipped and why, and the likely duplicates, with the choice
to merge them.

Every change plans the import again (`replan`), so the preview is always exactly what
Import applies; nothing is written before.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from db.io.records_csv import KEYS, SYNONYMS, RecordImport, RecordKind
from desktop.io.preview_frame import PreviewFrame, file_label

Replan = Callable[[RecordKind, dict[str, int], str, bool], RecordImport]
NOT_IMPORTED = -1
FIELD_NAMES = {
    "id": "Agency Desk id",
    "name": "Name",
    "first_name": "First name",
    "last_name": "Last name",
    "client": "Client",
    "title": "Job title",
    "email": "Email",
    "phone": "Phone",
    "birthday": "Birthday",
    "status": "Status",
    "industry": "Industry",
    "website": "Website",
    "currency": "Currency",
    "contact": "Contact (name or email)",
    "kind": "Kind",
    "occurred_at": "Date",
    "time": "Time",
    "summary": "Summary",
    "outcome": "Outcome",
    "sentiment": "Sentiment",
    "due_date": "Due date",
    "project": "Project",
    "owner": "Owner",
    "done_at": "Done",
    "notes": "Notes",
}
KEY_NAMES = {
    "email": "the same email",
    "name": "the same name at the same client",
    "moment": "the same client, time, kind and summary",
    "title": "the same title, due date and client",
}


def field_name(kind: RecordKind, name_of_field: str) -> str:
    if name_of_field == "title" and kind is RecordKind.FOLLOW_UPS:
        return "Title"
    return FIELD_NAMES.get(name_of_field, name_of_field)


class RecordsPreviewDialog(PreviewFrame):
    """Shows `plan`; Import accepts it (read `plan` afterwards), Cancel writes nothing."""

    def __init__(self, plan: RecordImport, replan: Replan, parent: QWidget | None = None):
        super().__init__("Import Records", "recordsPreview", parent)
        self.plan = plan
        self._replan = replan
        self._building = False
        self.resize(760, 620)

        self.kind_box = QComboBox()
        for kind in RecordKind:
            self.kind_box.addItem(kind.value.capitalize(), kind)
        self.kind_box.currentIndexChanged.connect(self._kind_changed)
        self.key_box = QComboBox()
        self.key_box.currentIndexChanged.connect(self._plan_again)
        head = QFormLayout()
        head.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        head.addRow("File:", file_label(plan.table.name))
        head.addRow("&Rows are:", self.kind_box)
        head.addRow("&Match by:", self.key_box)

        self.columns = QGroupBox("Columns")
        # Label and choice side by side, the fields in two columns: a dialog of nine
        # full-width rows would push what the import does out of sight.
        self.column_grid = QGridLayout(self.columns)
        self.column_grid.setColumnStretch(1, 1)
        self.column_grid.setColumnStretch(4, 1)
        self.column_grid.setColumnMinimumWidth(2, 24)
        self.column_boxes: dict[str, QComboBox] = {}

        self.duplicates = QListWidget()
        self.duplicates.setObjectName("likelyDuplicates")
        self.merge = QCheckBox("M&erge each likely duplicate into the contact it resembles")
        self.merge.toggled.connect(self._plan_again)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.columns)
        layout.addWidget(QLabel("<b>What the import does</b>"))
        layout.addWidget(self.summary, 1)
        self.duplicates_label = QLabel("<b>Likely duplicates</b>")
        layout.addWidget(self.duplicates_label)
        layout.addWidget(self.duplicates, 1)
        layout.addWidget(self.merge)
        self.add_footer(layout)
        self._fill_controls(plan)
        self._show(plan)

    def _fill_controls(self, plan: RecordImport) -> None:
        self._building = True
        try:
            self.kind_box.setCurrentIndex(self.kind_box.findData(plan.kind))
            self.key_box.clear()
            for key in KEYS[plan.kind]:
                self.key_box.addItem(KEY_NAMES[key], key)
            self.key_box.setCurrentIndex(max(self.key_box.findData(plan.key), 0))
            while self.column_grid.count():
                item = self.column_grid.takeAt(0)
                widget = item.widget() if item is not None else None
                if widget is not None:
                    widget.deleteLater()
            self.column_boxes = {}
            fields = list(SYNONYMS[plan.kind])
            half = (len(fields) + 1) // 2
            for place, name_of_field in enumerate(fields):
                box = QComboBox()
                box.addItem("(not imported)", NOT_IMPORTED)
                for column_index, header in enumerate(plan.table.header):
                    box.addItem(header or f"Column {column_index + 1}", column_index)
                box.setCurrentIndex(box.findData(plan.mapping.get(name_of_field, NOT_IMPORTED)))
                box.currentIndexChanged.connect(self._plan_again)
                self.column_boxes[name_of_field] = box
                label = QLabel(f"{field_name(plan.kind, name_of_field)}:")
                label.setBuddy(box)
                row, column = place % half, 0 if place < half else 3
                self.column_grid.addWidget(label, row, column)
                self.column_grid.addWidget(box, row, column + 1)
            contacts = plan.kind is RecordKind.CONTACTS
            self.merge.setVisible(contacts)
            self.key_box.setEnabled(len(KEYS[plan.kind]) > 1)
        finally:
            self._building = False

    def _show(self, plan: RecordImport) -> None:
        self.plan = plan
        self.show_summary(plan.summary.lines())
        self.duplicates.clear()
        self.duplicates.addItems([d.text() for d in plan.duplicates])
        self.duplicates.setVisible(bool(plan.duplicates))
        self.duplicates_label.setVisible(bool(plan.duplicates))

    def mapping(self) -> dict[str, int]:
        found = {}
        for name_of_field, box in self.column_boxes.items():
            column = box.currentData()
            if isinstance(column, int) and column != NOT_IMPORTED:
                found[name_of_field] = column
        return found

    def _kind_changed(self) -> None:
        if self._building:
            return
        kind = self.kind_box.currentData()
        assert isinstance(kind, RecordKind)
        self._run(kind, None, KEYS[kind][0])

    def _plan_again(self) -> None:
        if self._building:
            return
        key = self.key_box.currentData()
        self._run(self.plan.kind, self.mapping(), str(key) if key else KEYS[self.plan.kind][0])

    def _run(self, kind: RecordKind, mapping: dict[str, int] | None, key: str) -> None:
        from db.io.records_csv import guess_mapping

        chosen = guess_mapping(kind, self.plan.table.header) if mapping is None else mapping
        plan = self.attempt(lambda: self._replan(kind, chosen, key, self.merge.isChecked()))
        if plan is None:
            return
        if kind is not self.plan.kind:
            self._fill_controls(plan)
        self._show(plan)
