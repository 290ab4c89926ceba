"""The encryption steps the desktop offers, run on a worker thread: read whether the agency's
share or server is encrypted, turn encryption on, change the key, unlock it with the
passphrase. Each opens the transport for where this station syncs and calls
`db.sync.encryption`; nothing here touches Qt, so the dialogs stay thin and a step's outcome
is a sentence for the user.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.sync.transport import Transport
    from desktop.sync.settings import SyncSettings


@dataclass(frozen=True)
class Place:
    """Where an agency syncs: a shared folder or an agency server (its URL, no password)."""

    share: Path | None = None
    server: str | None = None

    @classmethod
    def of(cls, settings: SyncSettings) -> Place | None:
        if settings.server:
            return cls(server=settings.server)
        if settings.share is not None:
            return cls(share=settings.share)
        return None

    @property
    def kind(self) -> str:
        return "the agency server" if self.server else "the shared folder"

    def describe(self) -> str:
        if self.server:
            from db.sync.server.connect import describe

            return f"the agency server {describe(self.server)}"
        return f"the shared folder {self.share}"


@contextmanager
def opened(place: Place) -> Iterator[Transport]:
    """The transport for `place` (a server connection is closed afterwards)."""
    if place.server:
        from db.sync.server.secrets import stored_password
        from db.sync.server.transport import ServerTransport

        with ServerTransport(place.server, stored_password(place.server)) as transport:
            yield transport
    else:
        from db.sync.folder import FolderTransport

        assert place.share is not None
        yield FolderTransport(place.share)


@dataclass(frozen=True)
class Found:
    """What `read_status` found at a place."""

    place: Place
    agency_id: str | None  # None: no agency has synced there yet
    agency_name: str
    enabled: bool
    key_id: str
    have_key: bool


def read_status(place: Place) -> Found:
    from db.sync.agency import share_agency
    from db.sync.encryption import encryption_status

    with opened(place) as transport:
        agency = share_agency(transport)
        if agency is None:
            return Found(place, None, "", False, "", False)
        status = encryption_status(transport, agency.id)
    return Found(
        place, agency.id, agency.name, status.enabled, status.key_id or "", status.have_key
    )


def _share_and_place(place: Place) -> tuple[Path, str | None]:
    """What the engine is given as the share (a server is named by its label) and where
    the database remembers syncing (None: the folder's path)."""
    if place.server:
        from db.sync.server.connect import describe
        from db.sync.server.sync import server_label

        return server_label(place.server), describe(place.server)
    assert place.share is not None
    return place.share, None


def encrypt(place: Place, database: Path, passphrase: str) -> str:
    """Convert the plain share or server in place, from this station's database; the
    sentence that says it is done."""
    from db.sync.encryption import enable_encryption

    share, remembered = _share_and_place(place)
    with opened(place) as transport:
        status = enable_encryption(database, transport, share, passphrase, place=remembered)
    return f"Sync is encrypted with key {status.key_id}: {place.kind} holds only ciphertext"


def change_key(place: Place, database: Path, passphrase: str) -> str:
    """A new agency key and passphrase (someone left); the sentence that says it is done."""
    from db.sync.encryption import rotate_key

    share, remembered = _share_and_place(place)
    with opened(place) as transport:
        status = rotate_key(database, transport, share, passphrase, place=remembered)
    return (
        f"The agency key was changed (now {status.key_id}): the old passphrase reads "
        "nothing written from now on"
    )


def unlock(place: Place, agency_id: str | None, passphrase: str) -> None:
    """Unlock the agency key with `passphrase` and keep it in the keychain (`agency_id`
    None: the one the share records)."""
    from db.sync.encryption import unlock as unlock_key

    with opened(place) as transport:
        unlock_key(transport, agency_id, passphrase)


def unlock_intro(place: Place, agency_name: str) -> str:
    """The unlock prompt's heading and sentence (rich text; every value escaped)."""
    import html

    name = f"“{html.escape(agency_name)}”" if agency_name else "this agency"
    return (
        "<b>This agency's sync is encrypted</b><br>"
        f"{html.escape(place.describe()[0].upper() + place.describe()[1:])} holds the data of "
        f"{name}, encrypted with a key this station does not hold yet (a new station, or the "
        "key was changed). Type the agency passphrase to unlock it."
    )
