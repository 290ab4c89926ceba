"""What a window standing in for the main window while the data layer loads does (issue 19):
the plan's first look (`desktop.first_look`) and the plain start's first screen
(`desktop.first_screen`). It says when it first painted; it takes no input (a busy cursor
says why); the main window, once it has painted in its place, closes it with `hand_over`;
and a user who closes it ends the start (`dismissed`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QWidget


class StandIn:
    """A mixin, listed before the Qt widget class it stands on; call `stand_in()` from the
    constructor and `mark_painted()` from `paintEvent`.

    Signals:
    painted(): the window painted for the first time.
    dismissed(): the user closed it (the start ends).
    """

    if TYPE_CHECKING:  # instances of a mixin that is no QObject: typed as they will be
        painted: SignalInstance
        dismissed: SignalInstance
    else:
        painted = Signal()
        dismissed = Signal()
    was_dismissed = False  # closed by the user: the start ends
    _handed_over = False
    _marked = False

    def _widget(self) -> QWidget:
        return cast(QWidget, self)

    def hand_over(self) -> None:
        """Close without ending the start: the main window stands in this one's place."""
        self._handed_over = True
        self._widget().close()

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)  # type: ignore[misc]  # the widget class's
        if not self._handed_over and not self.was_dismissed:
            self.was_dismissed = True
            self.dismissed.emit()

    def mark_painted(self) -> None:
        if not self._marked:
            self._marked = True
            self.painted.emit()
