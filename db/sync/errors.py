"""Errors sync raises. Each message is one line fit to show as it is; the CLI maps every
`SyncError` to exit code 2. Whatever the error, the local outbox is left untouched."""

from __future__ import annotations

from db.errors import AgencyDeskError


class SyncError(AgencyDeskError):
    """Sync could not complete; local data and the outbox are as they were."""


class ShareMissingError(SyncError):
    pass


class ShareReadOnlyError(SyncError):
    pass


class ShareFullError(SyncError):
    pass


class ShareIOError(SyncError):
    """The share failed in some other way (vanished mid-write, a hash that does not read back)."""


class ShareFormatError(SyncError):
    """The share was written by a newer Agency Desk (format or schema) than this one."""


class DatabaseOnShareError(SyncError):
    """The station's live database lies inside the share, which sync must never allow."""


class SyncBusyError(SyncError):
    """This Agency Desk is syncing the same database already (other processes are kept out
    by the database's instance lock, `db.instance_lock`)."""


class RestoreError(SyncError):
    """A conflict's losing value cannot be put back as it is (its row or key is taken)."""
