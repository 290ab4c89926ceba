"""The first-run dialog: with no database yet, offer a demo agency to explore, an empty one to
start from, or joining an agency that already syncs through a shared folder (the join dialog,
`desktop.sync.join_dialog`, then builds this station's database from it)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

DEMO = "demo"
EMPTY = "empty"
JOIN = "join"


class FirstRunDialog(QDialog):
    def __init__(self, location: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to Agency Desk")
        self.choice: str | None = None
        heading = QLabel("<h2>Welcome to Agency Desk</h2>")
        text = QLabel(
            "Start with a <b>demo agency</b> (clients, contacts, projects and plans to explore) "
            "or an <b>empty agency</b> of your own. If your agency already syncs through a "
            "shared folder, <b>join</b> it.<br><br>"
            f"Your data will be kept in <tt>{location}</tt>."
        )
        text.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.demo_button = QPushButton("Demo agency")
        self.empty_button = QPushButton("Empty agency")
        self.join_button = QPushButton("Join a Shared Agency…")
        self.demo_button.setDefault(True)
        self.buttons.addButton(self.demo_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.empty_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.join_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.demo_button.clicked.connect(lambda: self._choose(DEMO))
        self.empty_button.clicked.connect(lambda: self._choose(EMPTY))
        self.join_button.clicked.connect(lambda: self._choose(JOIN))
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addWidget(text)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def ask_first_run(location: str) -> str | None:
    """DEMO, EMPTY, JOIN, or None when the user cancels."""
    dialog = FirstRunDialog(location)
    dialog.exec()
    return dialog.choice
