"""The two dialogs that take the agency passphrase.

- `NewPassphraseDialog`: a new passphrase, typed twice, with a strength meter and zxcvbn's
  hint as it is typed (`db.sync.passphrase_rules`): used to turn encryption on and to change
  the key when someone leaves. The action button stays off until the passphrase will do.
- `UnlockDialog`: the agency's passphrase, asked once when this station meets an encrypted
  share or server it holds no key for (joining, or after the key was changed). A wrong one is
  said in the dialog, which stays open for another try.

Both run their step on a worker (`desktop.sync.background`) behind a busy bar: the window
keeps painting while the KDF and the share work, and the dialog cannot be closed halfway (the
step finishes, or undoes itself, on its own). What failed is said in the dialog in one
sentence; what was typed stays.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QColor, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.sync.background import Background, Failure

ERROR_COLOR = "#d0453b"
METER_COLORS = ("#d0453b", "#d0453b", "#d9931c", "#2f9e57", "#2f9e57")


def _note(color: str | None = None) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)  # messages may quote names users typed
    if color is not None:
        palette = label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(color))
        label.setPalette(palette)
    return label


def _passphrase_field(placeholder: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    field.setMinimumWidth(300)
    field.setMaxLength(1024)
    return field


class _StepDialog(QDialog):
    """What both dialogs share: a busy bar, a red message line, an action button, and a
    step that runs on the worker while the inputs wait."""

    def __init__(self, runner: Background, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.busy = False
        self.error = _note(ERROR_COLOR)
        self.error.setObjectName("passphrase_error")
        self.error.hide()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: the KDF and the share take what they take
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress.hide()
        self.working = _note()
        self.working.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.working.hide()
        self.buttons = QDialogButtonBox()
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAutoDefault(False)  # Enter means the action, never Cancel
        self.buttons.rejected.connect(self.reject)

    def _add_action(self, text: str) -> QPushButton:
        button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.AcceptRole)
        button.setDefault(True)
        button.clicked.connect(self.start)
        self.action_button = button
        return button

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        self.adjustSize()

    def inputs(self) -> list[QWidget]:
        raise NotImplementedError

    def ready(self) -> bool:
        raise NotImplementedError

    def step(self) -> Callable[[], Any]:
        """The work to run on the worker for what was typed."""
        raise NotImplementedError

    def finished_step(self, result: Any, failure: Failure | None) -> None:
        raise NotImplementedError

    def start(self) -> bool:
        """Run the step for what was typed; False when it cannot start (said in the dialog)."""
        if self.busy or not self.ready():
            return False
        work = self.step()
        self._set_busy(True)
        if not self.runner.run(work, self._after):
            self._set_busy(False)
            self.show_error("Agency Desk is closing; nothing was changed")
            return False
        return True

    def _after(self, result: Any, failure: Failure | None) -> None:
        self._set_busy(False)
        self.action_button.setDefault(True)  # disabled while busy, it may have lost it
        self.finished_step(result, failure)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.progress.setVisible(busy)
        self.working.setVisible(busy)
        if busy:
            self.show_error("")
        for widget in [*self.inputs(), self.cancel_button]:
            widget.setEnabled(not busy)
        self.action_button.setEnabled(not busy and self.ready())

    def reject(self) -> None:
        if self.busy:
            return  # the step finishes (or undoes itself) on its own; wait for it
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.busy:
            event.ignore()
            return
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter in a field means the action button, and only when it is on.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.action_button.isEnabled():
                self.start()
            event.accept()
            return
        super().keyPressEvent(event)


class NewPassphraseDialog(_StepDialog):
    """A new agency passphrase, typed twice, then `work(passphrase)` on the worker; its
    return value (a sentence saying what was done) is kept in `outcome`.

    Signals:
    succeeded(str): the step succeeded; what it did, for the caller's status line.
    """

    succeeded = Signal(str)

    def __init__(
        self,
        runner: Background,
        work: Callable[[str], str],
        *,
        title: str,
        intro: str,
        action: str,
        working: str,
        context: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, parent)
        self.setWindowTitle(title)
        self.setObjectName("newPassphraseDialog")
        self.work = work
        self.context = [c for c in context if c]
        self.outcome = ""
        self.working.setText(working)

        heading = QLabel(intro)
        heading.setWordWrap(True)
        heading.setTextFormat(Qt.TextFormat.RichText)
        heading.setMinimumWidth(540)
        self.heading = heading
        self.first = _passphrase_field("at least four uncommon words, or a long sentence")
        self.second = _passphrase_field("the same again")
        self.meter = QProgressBar()
        self.meter.setRange(0, 5)  # one step more than zxcvbn's 0-4: "very weak" shows too
        self.meter.setTextVisible(False)
        self.meter.setFixedHeight(6)
        self.meter.setFixedWidth(120)
        self.strength = _note()
        self.strength.setObjectName("passphrase_strength")
        self.hint = _note()
        self.hint.setObjectName("passphrase_hint")
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        # Three lines held even when empty: the dialog does not jump while one types.
        self.hint.setMinimumHeight(3 * self.hint.fontMetrics().lineSpacing())
        self.hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.mismatch = _note(ERROR_COLOR)
        self.mismatch.setObjectName("passphrase_mismatch")
        self.mismatch.hide()
        self.show_typed = QCheckBox("Show the passphrase")
        self.show_typed.toggled.connect(self._show_typed)
        keep = QLabel(
            "Every station types it once, when it first meets the encrypted sync; after that "
            "the key stays in its keychain. Keep the passphrase somewhere safe: Agency Desk "
            "cannot recover it."
        )
        keep.setWordWrap(True)
        keep.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        meter_row = QWidget()
        row = QHBoxLayout(meter_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.meter, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.strength, 1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("New agency passphrase:", self.first)
        form.addRow("", meter_row)
        form.addRow("", self.hint)
        form.addRow("Type it again:", self.second)
        form.addRow("", self.mismatch)
        form.addRow("", self.show_typed)

        self._add_action(action)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(keep)
        layout.addWidget(self.progress)
        layout.addWidget(self.working)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.first.textChanged.connect(lambda _t: self._judge())
        self.second.textChanged.connect(lambda _t: self._judge())
        self._judge()

    def _show_typed(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.first.setEchoMode(mode)
        self.second.setEchoMode(mode)

    def _judge(self) -> None:
        from db.sync.passphrase_rules import new_passphrase_problem, strength

        typed = self.first.text()
        found = strength(typed, self.context)
        self.meter.setValue(found.score + 1 if typed else 0)
        self.meter.setStyleSheet(
            f"QProgressBar::chunk {{ background: {METER_COLORS[found.score]}; }}"
        )
        if not typed:
            self.strength.setText("Strength: nothing typed yet")
        else:
            verdict = "" if found.acceptable else " — too easy to guess"
            self.strength.setText(f"Strength: {found.label}{verdict}")
        self.hint.setText(found.hint)
        problem = new_passphrase_problem(typed, self.second.text(), self.context)
        # "Type it again" is only said once the second field has something in it.
        says = problem is not None and problem[0] == "second" and bool(self.second.text())
        self.mismatch.setText(problem[1] if problem is not None and says else "")
        self.mismatch.setVisible(says)
        self.action_button.setEnabled(not self.busy and problem is None)

    def inputs(self) -> list[QWidget]:
        return [self.first, self.second, self.show_typed]

    def ready(self) -> bool:
        from db.sync.passphrase_rules import new_passphrase_problem

        return new_passphrase_problem(self.first.text(), self.second.text(), self.context) is None

    def step(self) -> Callable[[], Any]:
        passphrase, work = self.first.text(), self.work
        return lambda: work(passphrase)

    def finished_step(self, result: Any, failure: Failure | None) -> None:
        if failure is not None:
            self.show_error(failure.message)
            return
        self.outcome = str(result or "")
        self.succeeded.emit(self.outcome)
        self.accept()


class UnlockDialog(_StepDialog):
    """The agency's passphrase, then `work(passphrase)` on the worker (it unlocks the key
    and keeps it in the keychain). A wrong passphrase is said here and the field is
    selected for another try; the dialog closes only when the key is unlocked, or on
    Cancel.

    Signals:
    unlocked(): the key is unlocked and kept; sync may run.
    """

    unlocked = Signal()

    def __init__(
        self,
        runner: Background,
        work: Callable[[str], object],
        *,
        intro: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, parent)
        self.setWindowTitle("Agency passphrase")
        self.setObjectName("unlockDialog")
        self.work = work
        self.tries = 0
        self.working.setText("Unlocking the agency key…")
        heading = QLabel(intro)
        heading.setWordWrap(True)
        heading.setTextFormat(Qt.TextFormat.RichText)
        heading.setMinimumWidth(440)
        self.heading = heading
        self.passphrase = _passphrase_field("the agency passphrase")
        self.passphrase.textChanged.connect(self._typed)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Agency passphrase:", self.passphrase)
        kept = QLabel("The key is kept in this computer's keychain: you are asked only once.")
        kept.setWordWrap(True)
        kept.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._add_action("Unlock")
        self.cancel_button.setText("Not now")
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(kept)
        layout.addWidget(self.progress)
        layout.addWidget(self.working)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._typed("")

    def _typed(self, _text: str) -> None:
        self.action_button.setEnabled(not self.busy and self.ready())

    def inputs(self) -> list[QWidget]:
        return [self.passphrase]

    def ready(self) -> bool:
        return bool(self.passphrase.text())

    def step(self) -> Callable[[], Any]:
        passphrase, work = self.passphrase.text(), self.work
        self.tries += 1
        return lambda: work(passphrase)

    def finished_step(self, result: Any, failure: Failure | None) -> None:
        if failure is not None:
            self.show_error(failure.message)
            self.passphrase.setFocus()
            self.passphrase.selectAll()
            return
        self.unlocked.emit()
        self.accept()
