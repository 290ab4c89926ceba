"""Where a station keeps the agency keys it has unlocked: the operating system's keychain
through `keyring` (Windows Credential Locker, macOS Keychain, Secret Service on Linux), one
entry per agency holding every key of it this station knows (the current one and, after a
rotation, older ones still needed to read files written before it). Never in QSettings, the
database or a file of ours: the passphrase is asked once, when the station joins.

Headless machines without a keychain (CI, a server's cron job, the test suite) set
`AGENCY_DESK_KEYSTORE_FILE` to a file path: keys are then kept in that JSON file (created
with owner-only permissions) instead. That file holds the keys in the clear, like a
passphrase file would; it is meant for test runs and unattended scripts only, and a
subprocess started by a test inherits it, so a second process finds the same keys.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, PasswordDeleteError

from db.sync.crypto import AgencyKey, EncryptionError

SERVICE = "Agency Desk agency key"
FILE_VARIABLE = "AGENCY_DESK_KEYSTORE_FILE"


class KeystoreError(EncryptionError):
    """No keychain to keep the agency key in, or it refused."""


class FileKeyring(KeyringBackend):
    """A keyring in one JSON file, for machines without a keychain (see the module)."""

    priority = 0  # never chosen by keyring on its own

    def __init__(self, path: Path) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.path = path

    def _load(self) -> dict[str, str]:
        try:
            found = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise KeyringError(f"{self.path}: cannot be read ({exc})") from None
        return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}

    def _save(self, items: dict[str, str]) -> None:
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(items, out, sort_keys=True)
        os.replace(tmp, self.path)

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\0{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        items = self._load()
        items[f"{service}\0{username}"] = password
        self._save(items)

    def delete_password(self, service: str, username: str) -> None:
        items = self._load()
        if items.pop(f"{service}\0{username}", None) is None:
            raise PasswordDeleteError("not found")
        self._save(items)


def _backend() -> KeyringBackend:
    path = os.environ.get(FILE_VARIABLE)
    return FileKeyring(Path(path)) if path else keyring.get_keyring()


def _encode(keys: dict[str, AgencyKey]) -> str:
    return json.dumps(
        {k.key_id: base64.b64encode(k.secret).decode("ascii") for k in keys.values()},
        sort_keys=True,
    )


def _decode(text: str | None) -> dict[str, AgencyKey]:
    if not text:
        return {}
    keys: dict[str, AgencyKey] = {}
    try:
        found = json.loads(text)
        for key_id, secret in found.items():
            key = AgencyKey(key_id, base64.b64decode(secret, validate=True))
            keys[key.key_id] = key
    except (ValueError, TypeError, AttributeError, binascii.Error):
        return {}  # not ours or damaged: as if there were none (the passphrase is asked)
    return keys


def load_keys(agency_id: str) -> dict[str, AgencyKey]:
    """key id -> key, for every key of the agency this station holds ({} when none, or
    when there is no keychain: then the passphrase is asked)."""
    try:
        return _decode(_backend().get_password(SERVICE, agency_id))
    except KeyringError:
        return {}


def save_key(agency_id: str, key: AgencyKey) -> None:
    """Add `key` to the agency's keys; raises `KeystoreError` when there is no keychain."""
    backend = _backend()
    try:
        keys = _decode(backend.get_password(SERVICE, agency_id))
        keys[key.key_id] = key
        backend.set_password(SERVICE, agency_id, _encode(keys))
    except KeyringError as exc:
        raise KeystoreError(
            f"the agency key could not be kept in this computer's keychain ({exc}); "
            f"on a machine without one, set {FILE_VARIABLE} to a private file"
        ) from None


def forget_keys(agency_id: str) -> None:
    with contextlib.suppress(PasswordDeleteError, KeyringError):
        _backend().delete_password(SERVICE, agency_id)
