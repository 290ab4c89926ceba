"""Errors a user may see. Each carries a message fit to show as it is: it names the field or
file and what is wrong."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.instance_lock import Owner


class AgencyDeskError(Exception):
    """Base of every error meant for a user's eyes."""


class ValidationError(AgencyDeskError):
    """A value a user typed is not acceptable; `field` names where it was typed."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class DatabaseOpenError(AgencyDeskError):
    """A database file cannot be opened; the file is left untouched."""


class MissingDatabaseError(DatabaseOpenError):
    pass


class NotADatabaseError(DatabaseOpenError):
    pass


class DatabaseLockedError(DatabaseOpenError):
    pass


class ReadOnlyDatabaseError(DatabaseOpenError):
    pass


class NetworkDriveError(DatabaseOpenError):
    """The file is on a network drive, where SQLite's locking cannot be trusted."""


class NewerDatabaseError(DatabaseOpenError):
    """The file was written by a newer Agency Desk; opening it could damage it."""


class NotFoundError(AgencyDeskError):
    """An operation names a row that no longer exists (deleted elsewhere, or by sync)."""


class DatabaseInUseError(DatabaseLockedError):
    """Another Agency Desk process has the database open (see `db.instance_lock`); `owner`
    says which, when it could be read."""

    def __init__(self, message: str, owner: Owner | None = None) -> None:
        super().__init__(message)
        self.owner = owner
