"""The instance lock: while an Agency Desk process uses a database, it holds an exclusive lock
on a small file beside it (`agency.sqlite` → `agency.sqlite.lock`), and every other Agency Desk
process refuses to open that database until the lock is free.

Why a lock of our own, on top of SQLite's: on Linux and macOS, SQLite keeps processes apart
with POSIX advisory (fcntl) locks, and those belong to the process and the file, not to a file
descriptor. When the process closes *any* descriptor on the file, every lock it holds on that
file is gone ("How To Corrupt An SQLite Database File", §2.2). A file dialog that sniffs the
content of `agency.sqlite-wal` to pick an icon was enough, and so would be a backup copy, a
hash, a thumbnail or a drag-and-drop MIME check anywhere in the app, now or later. A second
process (a `print-summary`, a `sync`) then believes it is alone, checkpoints and deletes the
`-wal` and `-shm` files the app is still writing to, and the app's later edits are lost and the
database damaged. Careful callers cannot be guaranteed; a lock that such closes cannot drop can:
`flock()` on Linux and macOS belongs to the open file description, `LockFileEx` on Windows to
the handle. `filelock.lock_descriptor` takes either on a descriptor we open ourselves (so a
contender never truncates the owner's note, which `FileLock` would).

The rules, and where they are enforced:
- `db.database` takes the lock in `open_database` before SQLite sees the file, and every engine
  from `make_engine` holds it while it has a connection open; `sync` holds it for its whole
  run. Nothing that reaches the database through the data layer can skip it.
- Within one process the lock is shared and counted: the app's session, its sync worker and an
  upgrade all use the database together (SQLite coordinates connections inside one process
  without relying on fcntl locks); the lock goes when the last of them closes.
- Another process is refused with `DatabaseInUseError`, naming the file and who holds it.
  There is no read-only fallback on purpose: a read-only SQLite connection still joins the WAL
  and, as the last connection to close, may checkpoint and delete it under the app.
- The file holds a newline and then one JSON line describing the owner (program, process id,
  host, since when). The newline is there because Windows locks byte 0 for everyone else's
  reads too; the note starts at byte 1 so a refused process can still say who holds it.
- The holder removes the file when it lets go, while still holding the lock; an acquirer checks
  after locking that the file it locked is still the one at that path, and starts again if
  not. So a closed database leaves only its own files behind.

Programs other than Agency Desk (a `sqlite3` shell, DB Browser) know nothing of this file;
SQLite's own locks are all that keeps them apart from the app, as before.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from filelock import lock_descriptor, unlock_descriptor

from db.errors import DatabaseInUseError, DatabaseLockedError, ReadOnlyDatabaseError

SUFFIX = ".lock"
_OPEN_FLAGS = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0)
_NOTE_MAX = 4096
_RETRIES = 20


@dataclass(frozen=True)
class Owner:
    """Who holds a database, as its lock file says."""

    program: str
    pid: int
    host: str
    app: bool
    since: str = ""

    def describe(self) -> str:
        where = "this computer" if self.host == socket.gethostname() else self.host
        return f"{self.program} (process {self.pid} on {where})"


@dataclass
class _Hold:
    fd: int
    path: Path
    count: int


@dataclass
class _Me:
    program: str = "Agency Desk"
    app: bool = False


_me = _Me()
_guard = threading.Lock()
_holds: dict[str, _Hold] = {}


def identify(program: str, *, app: bool) -> None:
    """Say what this process is, for the note other processes read when they are refused:
    `identify("the Agency Desk app", app=True)`, `identify("'agency-desk sync'", app=False)`."""
    _me.program = program
    _me.app = app


def resolved(db_path: Path | str) -> Path:
    """The database's real path: two names (a symlink, a relative path) of one file share a
    lock. A file that does not exist yet resolves through its folder."""
    return Path(db_path).expanduser().absolute().resolve()


def lock_path(db_path: Path | str) -> Path:
    real = resolved(db_path)
    return real.with_name(real.name + SUFFIX)


def _key(db_path: Path | str) -> str:
    return os.path.normcase(str(resolved(db_path)))


def acquire(db_path: Path | str) -> None:
    """Hold the database for this process (again, if it already does). Raises
    DatabaseInUseError when another process holds it."""
    key = _key(db_path)
    with _guard:
        hold = _holds.get(key)
        if hold is not None:
            hold.count += 1
            return
        path = lock_path(db_path)
        _holds[key] = _Hold(_lock(path, Path(db_path)), path, 1)


def release(db_path: Path | str) -> None:
    """Undo one `acquire`; the last one lets the database go."""
    key = _key(db_path)
    with _guard:
        hold = _holds.get(key)
        if hold is None:
            return
        hold.count -= 1
        if hold.count > 0:
            return
        del _holds[key]
        if sys.platform == "win32":
            # Windows cannot remove a file someone has open, and a file removed while we still
            # hold it would refuse every opener until we close it: close first, then try.
            unlock_descriptor(hold.fd)
            os.close(hold.fd)
            with suppress(OSError):
                hold.path.unlink()
        else:
            # Removing it while still locked means nobody can lock this file and then think it
            # is the current one: an acquirer re-checks the path after locking.
            with suppress(OSError):
                hold.path.unlink()
            unlock_descriptor(hold.fd)
            os.close(hold.fd)


@contextmanager
def held(db_path: Path | str) -> Iterator[None]:
    acquire(db_path)
    try:
        yield
    finally:
        release(db_path)


def held_here(db_path: Path | str) -> bool:
    """Does this process hold the database?"""
    with _guard:
        return _key(db_path) in _holds


def _lock(path: Path, db_path: Path) -> int:
    for _attempt in range(_RETRIES):
        fd = _open(path, db_path)
        try:
            locked = lock_descriptor(fd, blocking=False)
        except OSError as exc:
            os.close(fd)
            raise DatabaseLockedError(
                f"{db_path}: cannot be locked on this disk ({exc.strerror}); keep the "
                "database on this computer's own disk"
            ) from exc
        if not locked:
            owner = _read_owner(fd)
            os.close(fd)
            raise DatabaseInUseError(_in_use_message(db_path, owner), owner)
        if _still_at(fd, path):
            _write_owner(fd)
            return fd
        # The previous holder removed this file between our open and our lock: the lock we
        # got guards nothing. Start again on whatever is at the path now.
        unlock_descriptor(fd)
        os.close(fd)
    raise DatabaseLockedError(f"{db_path}: its lock file {path.name} keeps changing; try again")


def _open(path: Path, db_path: Path) -> int:
    try:
        return os.open(path, _OPEN_FLAGS, 0o666)
    except PermissionError as exc:
        if path.exists():
            # Left by another user's Agency Desk: a lock needs no write access, only the note.
            with suppress(OSError):
                return os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        raise ReadOnlyDatabaseError(
            f"{db_path.parent}: folder is read-only; Agency Desk needs to write beside "
            f"the database ({path.name})"
        ) from exc
    except OSError as exc:
        raise DatabaseLockedError(
            f"{db_path}: its lock file {path.name} cannot be created ({exc.strerror})"
        ) from exc


def _in_use_message(db_path: Path, owner: Owner | None) -> str:
    if owner is None:
        return f"{db_path}: is open in another Agency Desk; close it there and try again"
    then = "close it there and try again" if owner.app else "try again when it has finished"
    return f"{db_path}: is open in {owner.describe()}; {then}"


def _still_at(fd: int, path: Path) -> bool:
    try:
        on_disk = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (on_disk.st_dev, on_disk.st_ino) == (mine.st_dev, mine.st_ino)


def _write_owner(fd: int) -> None:
    note = {
        "program": _me.program,
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "app": _me.app,
        "since": datetime.now().isoformat(timespec="seconds"),
    }
    data = b"\n" + json.dumps(note).encode() + b"\n"
    with suppress(OSError):  # the note is a courtesy; the lock is what counts
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, data)
        os.ftruncate(fd, len(data))


def _read_owner(fd: int) -> Owner | None:
    try:
        os.lseek(fd, 1, os.SEEK_SET)
        note = json.loads(os.read(fd, _NOTE_MAX))
        return Owner(
            program=str(note["program"]),
            pid=int(note["pid"]),
            host=str(note["host"]),
            app=bool(note["app"]),
            since=str(note.get("since", "")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None  # written by a holder that has not finished its note, or not ours
