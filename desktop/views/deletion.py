"""What Edit > Delete would delete: the protocol between the main window and the views.

A view that can delete its selection attaches a `DeleteOffer` (a child QObject) that builds a
`Deletion` on demand: the menu text, the rows that go, and what to select afterwards. The main
window asks the offer of the widget that has focus, names the action after it ("Delete 3
tasks", "Delete client “Acme”"), disables it when nothing is selected, and runs it; when rows
hang off the selection (a project's tasks, a client's contacts) it asks first, naming them.
So Delete never reaches past the view the user is looking at: a task selected in a Gantt can
never delete the project behind it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QMessageBox, QWidget

from db.models import Entity
from db.operations import DeleteRows, Operation
from db.tree_delete import DeleteTree
from desktop.workspace import Workspace

NAME_CHARS = 40
BUSY_ROWS = 2_000  # rows a deletion takes before it shows the busy cursor while it runs

# How the question names rows that go along: (singular, plural), in the order they are named.
NOUNS: dict[str, tuple[str, str]] = {
    "Project": ("project", "projects"),
    "Task": ("task", "tasks"),
    "Contact": ("contact", "contacts"),
    "ImportantDate": ("important date", "important dates"),
    "Interaction": ("interaction", "interactions"),
    "FollowUp": ("follow-up", "follow-ups"),
    "Opportunity": ("opportunity", "opportunities"),
    "Gift": ("gift", "gifts"),
    "SatisfactionRating": ("satisfaction rating", "satisfaction ratings"),
    "ClientNote": ("brief entry", "brief entries"),
    "CostEntry": ("cost entry", "cost entries"),
    "ChangeRequest": ("change request", "change requests"),
    "Baseline": ("baseline", "baselines"),
    "TimeOff": ("leave entry", "leave entries"),
}
# Rows that only tie two others together (links, assignments): they go without a question and
# are not named in one; undo brings them back with the rows they tie.
TIES = frozenset({"Dependency", "Assignment", "InteractionContact", "BaselineTask"})
# A task's own tasks are its subtasks.
CHILD_NOUNS: dict[tuple[str, str], tuple[str, str]] = {("Task", "Task"): ("subtask", "subtasks")}


def quoted(name: str) -> str:
    """A user's name for a record in a label: quoted, and elided so a long one cannot push
    the menu or the undo button off the screen."""
    name = " ".join(name.split())
    if len(name) > NAME_CHARS:
        name = name[: NAME_CHARS - 1].rstrip() + "…"
    return f"“{name}”"


@dataclass
class Deletion:
    """The selection of one view, ready to delete.

    entity: what is selected (all rows of one kind); ids: the selected rows, top to bottom;
    noun: ("task", "tasks"); name: the one row's name (used when one row is selected);
    after: called once the rows are gone, to select what now sits where they were;
    instead: an operation a view runs in place of deleting (a team member with history is
    archived, never deleted), with `verb` naming it in the menu ("Archive");
    whole_tree: the rows take large trees with them (a project's plan, a client's projects),
    deleted and restored set-based (`DeleteTree`) so thousands of tasks go in a blink.
    """

    entity: type[Entity]
    ids: Sequence[str]
    noun: tuple[str, str]
    name: str = ""
    after: Callable[[], None] | None = field(default=None, repr=False)
    instead: Operation | None = field(default=None, repr=False)
    verb: str = "Delete"
    whole_tree: bool = False

    @property
    def text(self) -> str:
        """The menu text and the undo step's name."""
        if len(self.ids) == 1:
            return f"{self.verb} {self.noun[0]} {quoted(self.name)}"
        return f"{self.verb} {len(self.ids)} {self.noun[1]}"

    def operation(self) -> Operation:
        if self.instead is not None:
            return self.instead
        targets = [(self.entity, id_) for id_ in self.ids]
        if self.whole_tree:
            return DeleteTree(targets, self.text)
        return DeleteRows(targets, self.text)

    def question(self, counts: dict[str, int]) -> str:
        """The confirmation to ask given what would go (`DeleteRows.preview`), or "" when
        only the selected rows and the ties between them go."""
        own = self.entity.__name__
        extra = dict(counts)
        extra[own] = extra.get(own, 0) - len(self.ids)
        if not any(n > 0 for kind, n in extra.items() if kind not in TIES):
            return ""
        parts = []
        for kind, (one, many) in NOUNS.items():
            n = extra.get(kind, 0)
            if n > 0:
                one, many = CHILD_NOUNS.get((own, kind), (one, many))
                parts.append(f"{n} {one if n == 1 else many}")
        rest = sum(n for kind, n in extra.items() if kind not in NOUNS and kind not in TIES)
        if rest > 0:
            parts.append(f"{rest} other record{'s' if rest != 1 else ''}")
        listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        if len(self.ids) == 1:
            return f"Delete {self.noun[0]} {quoted(self.name)} and its {listed}?"
        return f"Delete {len(self.ids)} {self.noun[1]} and their {listed}?"


class DeleteOffer(QObject):
    """Attached to a view: what Edit > Delete deletes while that view has focus.

    Signals:
    changed(): the offer may differ now (the selection, the rows or their names changed).
    """

    changed = Signal()

    def __init__(
        self,
        view: QWidget,
        build: Callable[[], Deletion | None],
        *,
        follows: QAbstractItemView | None = None,
    ) -> None:
        """`follows`: the item view whose selection decides (by default `view` itself; a
        Gantt chart follows the task tree beside it)."""
        super().__init__(view)
        self.setObjectName("deleteOffer")
        self.view = view
        self._build = build
        source = follows if follows is not None else view
        if isinstance(source, QAbstractItemView):
            source.selectionModel().selectionChanged.connect(self.changed)
            model = source.model()
            for signal in (model.modelReset, model.rowsRemoved, model.dataChanged):
                signal.connect(self.changed)

    def deletion(self) -> Deletion | None:
        return self._build()


def offer_of(widget: QWidget | None) -> DeleteOffer | None:
    """The offer of the view that has focus. Only the focused widget itself counts: a cell
    editor, a filter box or a button inside an area offers nothing, so Delete there edits
    text or does nothing."""
    if widget is None:
        return None
    for child in widget.children():
        if isinstance(child, DeleteOffer):
            return child
    return None


def delete_rows(parent: QWidget, workspace: Workspace, deletion: Deletion) -> bool:
    """Delete the selection as one undo step. When rows hang off it, ask first and name
    them ("Delete project “Site” and its 25 tasks?"). True when the rows went."""
    op = deletion.operation()
    counts = op.preview(workspace.session) if isinstance(op, DeleteRows | DeleteTree) else {}
    question = deletion.question(counts) if counts else ""
    if question:
        undo = QKeySequence(QKeySequence.StandardKey.Undo).toString(
            QKeySequence.SequenceFormat.NativeText
        )
        answer = QMessageBox.question(
            parent,
            deletion.text,
            f"{question}\n\nUndo ({undo}) brings all of it back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
    busy = sum(counts.values()) >= BUSY_ROWS
    if busy:  # a large plan takes a moment: say so, rather than look frozen
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        done = workspace.run(op)
    finally:
        if busy:
            QGuiApplication.restoreOverrideCursor()
    if not done:
        return False
    if deletion.after is not None:
        deletion.after()
    return True
