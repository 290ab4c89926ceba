"""A station's server password, kept in the operating system's keychain through `keyring`
(Windows Credential Locker, macOS Keychain, Secret Service on Linux): never in QSettings,
never in the database, never in a file of ours. Keyed by user, host, port and database, so
one computer can hold logins to two servers."""

from __future__ import annotations

import logging

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

from db.sync.errors import SyncError
from db.sync.server.connect import parts

SERVICE = "Agency Desk agency server"
log = logging.getLogger(__name__)


class KeychainError(SyncError):
    """No keychain to keep the password in (a headless Linux without Secret Service)."""


def account(url: str) -> str:
    fields = parts(url)
    host = fields.get("host") or "localhost"
    user, port, dbname = fields.get("user") or "", fields.get("port") or 5432, fields.get("dbname")
    return f"{user}@{host}:{port}/{dbname or ''}"


def stored_password(url: str) -> str | None:
    """The keychain's password for this login, None when there is none (or no keychain:
    then libpq's own sources, PGPASSWORD and ~/.pgpass, still apply)."""
    try:
        return keyring.get_password(SERVICE, account(url))
    except KeyringError as exc:
        log.info("no password from the keychain: %s", exc)
        return None


def store_password(url: str, password: str) -> None:
    try:
        keyring.set_password(SERVICE, account(url), password)
    except KeyringError as exc:
        raise KeychainError(
            f"the password could not be kept in this computer's keychain ({exc})"
        ) from None


def forget_password(url: str) -> None:
    try:
        keyring.delete_password(SERVICE, account(url))
    except PasswordDeleteError:
        pass
    except KeyringError as exc:
        log.info("keychain: %s", exc)
