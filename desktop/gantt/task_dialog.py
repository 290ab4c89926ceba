"""The task details dialog (Return or a double-click on a bar, or a right-click menu): name,
kind, start ("no earlier than"), duration, progress and notes; the people on the task with
their hours a day; its predecessors and successors with type and lag.

Nothing is written until OK: the dialog then builds one composite of plan operations, which the
workspace applies as one undo step, or refuses as a whole with the reason shown at the top of
the dialog (and the dialog stays open, with what was typed). A new predecessor or successor
that would close a loop is refused as it is added, naming the loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.labels import quoted
from db.models import (
    Assignment,
    DependencyType,
    Task,
    TaskConstraint,
    TaskKind,
)
from db.operations import Operation, Update, composite
from db.roster import active_members
from db.scheduling.engine import would_cycle
from db.scheduling.operations import (
    Link,
    MoveTask,
    ResizeTask,
    SetConstraint,
    SetKind,
    SetLink,
    SetProgress,
    Unlink,
)
from db.scheduling.plan import LinkSpec, load_plan
from db.scheduling.plan_reads import links_of_task, people_on_task
from db.scheduling.rules import MAX_DURATION
from db.scheduling.staffing import Assign, SetHours, Unassign
from desktop.gantt.document import GanttDocument
from desktop.gantt.task_tabs import TAB_GENERAL, TAB_LINKS, TAB_PEOPLE
from desktop.views.unsaved_changes import GuardedDialog, UnsavedChanges
from desktop.workspace import Workspace

KIND_LABELS = {
    TaskKind.TASK: "Task",
    TaskKind.MILESTONE: "Milestone",
    TaskKind.DELIVERABLE: "Deliverable",
}
CONSTRAINT_LABELS = {
    TaskConstraint.START_NO_EARLIER: "Start no earlier than the start",
    TaskConstraint.MUST_START_ON: "Must start on the start",
    TaskConstraint.FINISH_NO_LATER: "Finish no later than",
}
TYPE_LABELS = {
    DependencyType.FS: "Finish → Start (FS)",
    DependencyType.SS: "Start → Start (SS)",
    DependencyType.FF: "Finish → Finish (FF)",
    DependencyType.SF: "Start → Finish (SF)",
}


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


@dataclass
class _PersonRow:
    member_id: str
    name: str
    hours: QDoubleSpinBox
    assignment_id: str = ""  # "" for someone added in this dialog
    removed: bool = False


@dataclass
class _LinkRow:
    other_id: str  # the task at the other end
    predecessor: bool  # True: the other task comes before this one
    type_box: QComboBox
    lag: QSpinBox
    dependency_id: str = ""  # "" for a link added in this dialog
    removed: bool = False
    old_type: DependencyType = DependencyType.FS
    old_lag: int = 0


def _type_box(kind: DependencyType) -> QComboBox:
    box = QComboBox()
    for value, label in TYPE_LABELS.items():
        box.addItem(label, value.value)
    box.setCurrentIndex(box.findData(kind.value))
    return box


def _lag_box(days: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(-999, 999)
    box.setSuffix(" d")
    box.setToolTip("Lag in working days; negative for a lead (start before)")
    box.setValue(days)
    return box


class TaskDialog(GuardedDialog):
    def __init__(
        self,
        workspace: Workspace,
        document: GanttDocument,
        task_id: str,
        parent: QWidget | None = None,
        tab: int = TAB_GENERAL,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.document = document
        self.task_id = task_id
        session = workspace.session
        task = session.get(Task, task_id)
        assert task is not None
        self.task = task
        self.summary = document.schedule.is_summary(document.node(task_id))
        self.setWindowTitle(f"Task — {task.name}")
        self.setMinimumWidth(560)

        self.error = QLabel()
        self.error.setObjectName("taskDialogError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #d93025;")
        self.error.hide()

        self.tabs = QTabWidget()
        self.tabs.addTab(self._general_tab(), "General")
        self.tabs.addTab(self._people_tab(), "People")
        self.tabs.addTab(self._links_tab(), "Predecessors and successors")
        # Here, not at the top: opening a plan must not load the History tab's modules.
        from db.audit.history import task_records
        from desktop.history.panel import HistoryPanel

        self.history = HistoryPanel(
            workspace, lambda session: task_records(session, task_id), ("Task", "Assignment")
        )
        self.history.setContentsMargins(6, 6, 6, 6)  # inside the tab's frame
        self.tabs.addTab(self.history, "History")
        self.tabs.setCurrentIndex(tab)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        # Cancel after an edit asks Save / Discard / Keep editing; Save is OK.
        self.unsaved = UnsavedChanges(self, save=self.accept, discard=lambda: QDialog.reject(self))
        layout = QVBoxLayout(self)
        layout.addWidget(self.error)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)

    # -- general ------------------------------------------------------------------------------

    def _general_tab(self) -> QWidget:
        task, v = self.task, self.document.schedule
        page = QWidget()
        form = QFormLayout(page)
        self.name = QLineEdit(task.name)
        self.kind = QComboBox()
        for value, label in KIND_LABELS.items():
            self.kind.addItem(label, value.value)
        self.kind.setCurrentIndex(self.kind.findData(task.kind.value))
        self.start = QDateEdit(_qdate(task.start_date))
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("ddd d MMM yyyy")
        self.start.setToolTip(
            "The task starts on this day or later: its predecessors and its people's leave "
            "can move it later"
        )
        # How the dates are held, as in MS Project: the start date is always a floor.
        self.constraint = QComboBox()
        for held_as, label in CONSTRAINT_LABELS.items():
            self.constraint.addItem(label, held_as.value)
        self.constraint.setCurrentIndex(self.constraint.findData(task.constraint_kind.value))
        self.constraint.setToolTip(
            "Must start on: nothing may push the task past its start.\n"
            "Finish no later than: nothing may push its finish past the date."
        )
        self.finish_by = QDateEdit(_qdate(task.finish_by or v.finish(self.task_id)))
        self.finish_by.setCalendarPopup(True)
        self.finish_by.setDisplayFormat("ddd d MMM yyyy")
        held = QWidget()
        held_row = QHBoxLayout(held)
        held_row.setContentsMargins(0, 0, 0, 0)
        held_row.addWidget(self.constraint, 1)
        held_row.addWidget(self.finish_by)
        self.constraint.currentIndexChanged.connect(self._constraint_changed)
        self.duration = QSpinBox()
        self.duration.setRange(0, MAX_DURATION)
        self.duration.setSuffix(" working days")
        self.duration.setValue(v.duration(v.node(self.task_id)))
        self.duration.setToolTip("0 makes a milestone")
        self.progress = QSpinBox()
        self.progress.setRange(0, 100)
        self.progress.setSuffix(" %")
        self.progress.setValue(task.progress)
        self.notes = QPlainTextEdit(task.notes)
        self.notes.setTabChangesFocus(True)
        self.scheduled = QLabel(self._scheduled_text())
        self.scheduled.setEnabled(False)
        form.addRow("&Name:", self.name)
        form.addRow("&Kind:", self.kind)
        form.addRow("&Start:", self.start)
        form.addRow("&Dates:", held)
        form.addRow("", self.scheduled)
        form.addRow("&Duration:", self.duration)
        form.addRow("&Progress:", self.progress)
        form.addRow("N&otes:", self.notes)
        if self.summary:
            # A summary spans its tasks: its dates, duration, kind and progress follow them.
            for widget in (self.kind, self.start, self.duration, self.progress, held):
                widget.setEnabled(False)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.duration.valueChanged.connect(self._duration_changed)
        self._kind_changed()
        self._constraint_changed()
        return page

    def _constraint_changed(self) -> None:
        self.finish_by.setVisible(
            self.constraint.currentData() == TaskConstraint.FINISH_NO_LATER.value
        )

    def _scheduled_text(self) -> str:
        v = self.document.schedule
        start, finish = v.start(self.task_id), v.finish(self.task_id)
        if start == finish:
            return f"Scheduled on {start:%a %d %b %Y}"
        return f"Scheduled {start:%a %d %b %Y} → {finish:%a %d %b %Y}"

    def _kind_changed(self) -> None:
        milestone = self.kind.currentData() == TaskKind.MILESTONE.value
        if milestone and self.duration.value() != 0:
            self.duration.setValue(0)
        elif not milestone and self.duration.value() == 0:
            self.duration.setValue(1)
        self.progress.setEnabled(not milestone and not self.summary)

    def _duration_changed(self, days: int) -> None:
        milestone = self.kind.currentData() == TaskKind.MILESTONE.value
        if days == 0 and not milestone:
            self.kind.setCurrentIndex(self.kind.findData(TaskKind.MILESTONE.value))
        elif days > 0 and milestone:
            self.kind.setCurrentIndex(self.kind.findData(TaskKind.TASK.value))

    # -- people -------------------------------------------------------------------------------

    def _people_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.people_grid = QGridLayout()
        self.people_grid.setColumnStretch(0, 1)
        for col, title in enumerate(("Person", "Hours a day", "")):
            header = QLabel(title)
            header.setEnabled(False)
            self.people_grid.addWidget(header, 0, col)
        layout.addLayout(self.people_grid)
        self.people: list[_PersonRow] = []
        session = self.workspace.session
        for assignment_id, member_id, name, hours in people_on_task(session, self.task_id):
            self._add_person_row(member_id, name, hours, assignment_id)
        self.no_people = QLabel("Nobody is on this task yet.")
        self.no_people.setEnabled(False)
        layout.addWidget(self.no_people)
        add_row = QHBoxLayout()
        self.member_box = QComboBox()
        self.member_box.setObjectName("addPerson")
        self.add_hours = QDoubleSpinBox()
        self.add_hours.setRange(0.5, 24)
        self.add_hours.setSingleStep(0.5)
        self.add_hours.setSuffix(" h/day")
        self.add_hours.setValue(8)
        self.add_person_button = QPushButton("&Add person")
        self.add_person_button.clicked.connect(self.add_person)
        add_row.addWidget(self.member_box, 1)
        add_row.addWidget(self.add_hours)
        add_row.addWidget(self.add_person_button)
        layout.addLayout(add_row)
        self.people_hint = QLabel()
        self.people_hint.setEnabled(False)
        self.people_hint.setWordWrap(True)
        layout.addWidget(self.people_hint)
        layout.addStretch(1)
        self._refresh_people()
        return page

    def _add_person_row(
        self, member_id: str, name: str, hours: float, assignment_id: str = ""
    ) -> None:
        spin = QDoubleSpinBox()
        spin.setRange(0.5, 24)
        spin.setSingleStep(0.5)
        spin.setSuffix(" h/day")
        spin.setValue(hours)
        row = _PersonRow(member_id, name, spin, assignment_id)
        remove = QPushButton("Remove")
        remove.setToolTip(f"Take {name} off this task")
        label = QLabel(name)
        line = self.people_grid.rowCount()
        self.people_grid.addWidget(label, line, 0)
        self.people_grid.addWidget(spin, line, 1)
        self.people_grid.addWidget(remove, line, 2)

        def drop() -> None:
            row.removed = True
            for widget in (label, spin, remove):
                widget.hide()
            self._refresh_people()

        remove.clicked.connect(drop)
        self.people.append(row)

    def _refresh_people(self) -> None:
        on_task = {p.member_id for p in self.people if not p.removed}
        self.no_people.setVisible(not on_task)
        self.member_box.clear()
        for member_id, name in active_members(self.workspace.session):
            if member_id not in on_task:
                self.member_box.addItem(name, member_id)
        can_add = self.member_box.count() > 0
        self.add_person_button.setEnabled(can_add)
        self.people_hint.setText(
            "" if can_add else "Everyone in the team is on this task; add people in Team."
        )

    def add_person(self) -> None:
        member_id = self.member_box.currentData()
        if not member_id:
            return
        for row in self.people:
            if row.member_id == member_id and row.removed:
                # Taken off and put back in the same sitting: keep the original assignment.
                row.removed = False
                row.hours.setValue(self.add_hours.value())
                for col in range(3):
                    item = self.people_grid.itemAtPosition(self._grid_line(row), col)
                    widget = item.widget() if item is not None else None
                    if widget is not None:
                        widget.show()
                self._refresh_people()
                return
        self._add_person_row(member_id, self.member_box.currentText(), self.add_hours.value())
        self._refresh_people()

    def _grid_line(self, row: _PersonRow) -> int:
        index = self.people_grid.indexOf(row.hours)
        position = self.people_grid.getItemPosition(index)
        assert isinstance(position, tuple)  # (row, column, spans); PySide6 stubs say object
        return int(position[0])

    # -- links --------------------------------------------------------------------------------

    def _links_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.links_grid = QGridLayout()
        self.links_grid.setColumnStretch(1, 1)
        for col, title in enumerate(("This task", "Task", "Type", "Lag", "")):
            header = QLabel(title)
            header.setEnabled(False)
            self.links_grid.addWidget(header, 0, col)
        layout.addLayout(self.links_grid)
        self.links: list[_LinkRow] = []
        session = self.workspace.session
        for dep in links_of_task(session, self.task_id):
            before = dep.successor_id == self.task_id
            other = dep.predecessor_id if before else dep.successor_id
            self._add_link_row(other, before, DependencyType(dep.type), dep.lag_days, dep.id)
        self.no_links = QLabel("No predecessors or successors.")
        self.no_links.setEnabled(False)
        layout.addWidget(self.no_links)
        add_row = QHBoxLayout()
        self.link_side = QComboBox()
        self.link_side.addItem("Follows (predecessor)", True)
        self.link_side.addItem("Precedes (successor)", False)
        self.link_task = QComboBox()
        self.link_task.setObjectName("linkTask")
        self.link_task.setEditable(True)
        self.link_task.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        v = self.document.schedule
        for node in self.document.tree_order():
            other = v.task_id(node)
            if other != self.task_id:
                self.link_task.addItem(f"{self.document.wbs[node]}  {v.name(node)}", other)
        self.link_task.setCurrentIndex(-1)
        self.add_link_button = QPushButton("Add &link")
        self.add_link_button.clicked.connect(self.add_link)
        add_row.addWidget(self.link_side)
        add_row.addWidget(self.link_task, 1)
        add_row.addWidget(self.add_link_button)
        layout.addLayout(add_row)
        self.link_error = QLabel()
        self.link_error.setObjectName("linkError")
        self.link_error.setWordWrap(True)
        self.link_error.setStyleSheet("color: #d93025;")
        layout.addWidget(self.link_error)
        layout.addStretch(1)
        self._refresh_links()
        return page

    def _add_link_row(
        self,
        other_id: str,
        predecessor: bool,
        kind: DependencyType,
        lag: int,
        dependency_id: str = "",
    ) -> _LinkRow:
        v = self.document.schedule
        row = _LinkRow(
            other_id, predecessor, _type_box(kind), _lag_box(lag), dependency_id, False, kind, lag
        )
        side = QLabel("Follows" if predecessor else "Precedes")
        side.setEnabled(False)
        node = v.node(other_id)
        name = QLabel(f"{self.document.wbs[node]}  {v.name(node)}")
        remove = QPushButton("Remove")
        remove.setToolTip("Remove this dependency")
        line = self.links_grid.rowCount()
        for col, widget in enumerate((side, name, row.type_box, row.lag, remove)):
            self.links_grid.addWidget(widget, line, col)

        def drop() -> None:
            row.removed = True
            for widget in (side, name, row.type_box, row.lag, remove):
                widget.hide()
            self._refresh_links()

        remove.clicked.connect(drop)
        self.links.append(row)
        return row

    def _refresh_links(self) -> None:
        self.no_links.setVisible(not any(not r.removed for r in self.links))

    def _link_specs(self) -> list[LinkSpec]:
        """The project's links that do not touch this task (the dialog holds those)."""
        plan = load_plan(self.workspace.session, self.document.project_id)
        mine = {r.dependency_id for r in self.links if r.dependency_id}
        return [
            link
            for link in plan.links
            if link.id not in mine and self.task_id not in (link.predecessor_id, link.successor_id)
        ]

    def add_link(self) -> None:
        other = self.link_task.currentData()
        if not other:
            self.link_error.setText("Choose the task to link to")
            return
        before = bool(self.link_side.currentData())
        pred, succ = (other, self.task_id) if before else (self.task_id, other)
        for row in self.links:
            if not row.removed and row.other_id == other:
                name = self.document.schedule.name(self.document.node(other))
                self.link_error.setText(f"Dependency: already linked to '{name}'")
                return
        candidate = LinkSpec(pred, succ, DependencyType.FS, 0)
        if (problem := self._cycle_with(candidate)) is not None:
            self.link_error.setText(problem)
            return
        self.link_error.clear()
        self._add_link_row(other, before, DependencyType.FS, 0)
        self.link_task.setCurrentIndex(-1)
        self._refresh_links()

    def _cycle_with(self, extra: LinkSpec) -> str | None:
        """The loop `extra` would close with the links as the dialog has them, in words."""
        plan = load_plan(self.workspace.session, self.document.project_id)
        plan.links = self._link_specs() + [
            LinkSpec(
                r.other_id if r.predecessor else self.task_id,
                self.task_id if r.predecessor else r.other_id,
            )
            for r in self.links
            if not r.removed
        ]
        error = would_cycle(plan, extra)
        return str(error) if error is not None else None

    # -- applying -----------------------------------------------------------------------------

    def operations(self) -> list[Operation]:
        """What OK would do, as plan operations in an order that applies cleanly."""
        task = self.task
        ops: list[Operation] = []
        name = self.name.text().strip()
        if name != task.name:
            ops.append(Update(Task, task.id, {"name": name}, label="Rename task"))
        if self.notes.toPlainText() != task.notes:
            ops.append(Update(Task, task.id, {"notes": self.notes.toPlainText()}))
        if not self.summary:
            kind = TaskKind(self.kind.currentData())
            days = self.duration.value()
            if kind != task.kind:
                ops.append(SetKind(task.id, kind))
            current = 0 if kind == TaskKind.MILESTONE else max(task.duration_days, 1)
            if kind != TaskKind.MILESTONE and days != current:
                ops.append(ResizeTask(task.id, days))
            if self.progress.value() != task.progress and kind != TaskKind.MILESTONE:
                ops.append(SetProgress(task.id, self.progress.value()))
        for person in self.people:
            if person.assignment_id and person.removed:
                ops.append(Unassign(person.assignment_id))
        for person in self.people:
            hours = person.hours.value()
            if person.removed:
                continue
            if not person.assignment_id:
                ops.append(Assign(task.id, person.member_id, hours))
            else:
                assignment = self.workspace.session.get(Assignment, person.assignment_id)
                if assignment is not None and abs(assignment.hours_per_day - hours) > 1e-9:
                    ops.append(SetHours(person.assignment_id, hours))
        for link in self.links:
            if link.dependency_id and link.removed:
                ops.append(Unlink(link.dependency_id))
        for link in self.links:
            if link.removed:
                continue
            link_type = DependencyType(link.type_box.currentData())
            lag = link.lag.value()
            if not link.dependency_id:
                pred, succ = (
                    (link.other_id, task.id) if link.predecessor else (task.id, link.other_id)
                )
                ops.append(Link(pred, succ, link_type, lag))
            elif link_type != link.old_type or lag != link.old_lag:
                ops.append(SetLink(link.dependency_id, link_type, lag))
        # The dates last: their rules are judged against the links as they will be.
        if not self.summary and _pydate(self.start.date()) != task.start_date:
            ops.append(MoveTask(task.id, _pydate(self.start.date())))
        held = TaskConstraint(self.constraint.currentData())
        finish_by = (
            _pydate(self.finish_by.date()) if held == TaskConstraint.FINISH_NO_LATER else None
        )
        if not self.summary and (held, finish_by) != (task.constraint_kind, task.finish_by):
            ops.append(SetConstraint(task.id, held, finish_by))
        return ops

    def accept(self) -> None:
        ops = self.operations()
        if not ops:
            super().accept()  # nothing changed: no undo step
            return
        name = self.name.text().strip() or self.task.name
        label = ops[0].label if len(ops) == 1 else f"Edit {quoted(name)}"
        if self.workspace.run(composite(ops, label)):
            super().accept()
            return
        message = self.workspace.last_error or "The changes were refused"
        self.error.setText(message)
        self.error.show()
        field = message.split(":", 1)[0]
        if field in ("Dependency",):
            self.tabs.setCurrentIndex(TAB_LINKS)
        elif field in ("People", "Hours per day"):
            self.tabs.setCurrentIndex(TAB_PEOPLE)
        else:
            self.tabs.setCurrentIndex(TAB_GENERAL)
            at_field = {
                "Start": self.start,
                "Duration": self.duration,
                "Kind": self.kind,
                "Constraint": self.constraint,
                "Finish by": self.finish_by,
            }
            if field in at_field:
                at_field[field].setFocus()


def open_task_dialog(
    workspace: Workspace,
    document: GanttDocument,
    task_id: str,
    parent: QWidget | None = None,
    tab: int = TAB_GENERAL,
) -> TaskDialog:
    dialog = TaskDialog(workspace, document, task_id, parent, tab)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
