"""What can go wrong with an agency server, each as one line fit to show as it is. All are
`SyncError`s (the CLI's exit code 2); the local database and its outbox stay as they were."""

from __future__ import annotations

from db.sync.errors import ShareFormatError, ShareIOError, ShareMissingError, SyncError


class ServerUnreachableError(ShareMissingError):
    """No answer from the server (down, wrong address, no network, connection lost)."""


class ServerLoginError(SyncError):
    """The server answered and refused the login (wrong password, no such station login)."""


class ServerSchemaError(ShareFormatError):
    """The server's schema is newer than this Agency Desk knows."""


class NotAServerError(SyncError):
    """The database answered but holds no Agency Desk schema (`agency-desk server init`)."""


class ServerRefusedError(ShareIOError):
    """The server refused a statement (a permission, a policy, a constraint)."""
