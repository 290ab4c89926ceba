"""One window per database. The app that holds a database (its instance lock, see
`db.instance_lock`) listens on a local socket named after the database's real path; launching
Agency Desk again on the same database asks that app to bring its window forward instead of
opening a second one, and then exits.

The socket's name is a hash of the resolved path, so two names of one file meet and two
databases never do. Only the lock's holder listens, which is why it may remove a socket left
behind by a crashed app before listening: while it holds the lock nobody else can be serving
that database. The exchange is one line each way: `activate`, then `ok`.
"""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QWidget

from db import instance_lock

log = logging.getLogger(__name__)

ACTIVATE = b"activate"
DONE = b"ok"


def server_name(db_path: Path) -> str:
    key = str(instance_lock.resolved(db_path)).encode("utf-8", "surrogatepass")
    return f"agency-desk-{hashlib.sha256(key).hexdigest()[:24]}"


class ActivationServer(QObject):
    """Listens for later launches on the same database.

    Signals:
        activation_requested(): another launch asked for this app's window.
    """

    activation_requested = Signal()

    def __init__(self, db_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(db_path)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(self.name)
        if not self._server.listen(self.name):
            # The app works without it; a second launch then says the database is open.
            log.warning("cannot listen for other launches: %s", self._server.errorString())
        self._server.newConnection.connect(self._accept)

    def is_listening(self) -> bool:
        return self._server.isListening()

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        request = bytes(socket.readLine().data()).strip()
        if request == ACTIVATE:
            self.activation_requested.emit()
            socket.write(DONE + b"\n")
            socket.flush()
        socket.disconnectFromServer()


def bring_forward(window: QWidget) -> None:
    """Show `window` on top and ask for focus (the window manager may only flash it)."""
    if window.isMinimized():
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
    QApplication.alert(window)


def ask_running_app(db_path: Path, *, wait_s: float) -> bool:
    """Ask the app that holds `db_path` to bring its window forward; True when it did.
    Keeps trying for `wait_s` seconds: an app that is still starting is not listening yet."""
    name = server_name(db_path)
    deadline = time.monotonic() + wait_s
    socket = QLocalSocket()
    while True:
        socket.connectToServer(name)
        if socket.waitForConnected(1000):
            break
        socket.abort()
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)
    try:
        socket.write(ACTIVATE + b"\n")
        if not socket.waitForBytesWritten(2000):
            return False
        while not socket.canReadLine():
            if not socket.waitForReadyRead(3000):
                return False
        return bytes(socket.readLine().data()).strip() == DONE
    finally:
        socket.abort()
