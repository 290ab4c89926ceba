"""The agency key and the sealed envelope every encrypted change file, snapshot and server
payload travels in (issue 17). No Qt, no I/O: bytes in, bytes out.

One agency key (32 random bytes, AES-256-GCM) seals everything. An envelope is

    b"ADE1" | key_id (16 ASCII hex) | nonce (12 bytes) | AES-GCM ciphertext and tag

and its associated data binds the envelope to where it belongs: its kind (a change, a
snapshot, a sealed record), the station folder, the seq (or snapshot generation) and the key
id. A file renamed to another seq, moved to another station's folder or replayed elsewhere
fails authentication exactly as a flipped byte does (`TamperedFile`).

The nonce is derived, not drawn: HMAC-SHA256 over the associated data and the plaintext,
under a nonce key derived from the agency key (the synthetic-IV construction). Sealing the
same bytes for the same place gives the same envelope, which sync relies on: a push re-sent
after a crash must produce the same file name (its hash) and a server row the same
`change_id`. Two different plaintexts get different nonces unless HMAC collides, so a nonce
is never reused with different data, and sealing the same data twice reveals only that it
is the same file.

The key is kept on the share wrapped by the agency passphrase (`wrap_key`): scrypt, a
memory-hard KDF (N=2^17, r=8, p=1: 128 MiB, OWASP's recommendation), derives a key-encrypting
key that seals the agency key with AES-GCM. The parameters travel with the wrapped key so
they can be raised later; reading a wrapped key checks them against bounds, so a hostile
share cannot make a station spend gigabytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from db.sync.errors import ShareIOError, SyncError

MAGIC = b"ADE1"
KEY_ID_LEN = 16
NONCE_LEN = 12
TAG_LEN = 16
SECRET_LEN = 32
HEADER_LEN = len(MAGIC) + KEY_ID_LEN + NONCE_LEN
# AES-GCM in `cryptography` takes at most 2**31 - 1 bytes in one call.
MAX_PLAINTEXT = 2**31 - 1 - TAG_LEN

WRAP_FORMAT = 1
SCRYPT_N = 2**17
SCRYPT_R = 8
SCRYPT_P = 1
# Bounds a wrapped key read from the share must keep: below, the passphrase is too cheap to
# guess; above, unwrapping would take more memory than a station should give.
SCRYPT_N_RANGE = (2**14, 2**20)
SCRYPT_R_RANGE = (1, 32)
SCRYPT_P_RANGE = (1, 16)
SCRYPT_MAX_MEMORY = 1024 * 1024 * 1024
SALT_LEN = 16
MIN_PASSPHRASE = 8


class EncryptionError(SyncError):
    """Something about the agency's encryption stops this sync; nothing was sent or
    received, and the outbox is as it was."""


class WrongPassphrase(EncryptionError):
    """The passphrase does not unlock the agency key on the share."""


class MissingKey(EncryptionError, ShareIOError):
    """Something is sealed with an agency key this station does not hold (the key was
    rotated, or this station never unlocked the share). As a `ShareIOError`, a single file
    sealed so is quarantined like any unreadable file; at the start of a sync it stops it."""


class TamperedFile(EncryptionError, ShareIOError):
    """A sealed file failed authentication: changed, truncated, renamed, moved or replayed.
    As a `ShareIOError` the engine quarantines it and never applies it."""


class EncryptionRequired(EncryptionError):
    """This station meets an encrypted share or server without the agency key (or an
    encrypted agency's share that claims to be plain)."""


@dataclass(frozen=True)
class AgencyKey:
    """The agency key: `key_id` names it on the share (random, not secret), `secret` is the
    32-byte AES-256 key."""

    key_id: str
    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.key_id) != KEY_ID_LEN or not _is_hex(self.key_id):
            raise ValueError("an agency key id is 16 hex digits")
        if len(self.secret) != SECRET_LEN:
            raise ValueError("an agency key is 32 bytes")


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdef" for c in text)


def new_key() -> AgencyKey:
    return AgencyKey(os.urandom(KEY_ID_LEN // 2).hex(), os.urandom(SECRET_LEN))


def _derived(key: AgencyKey, purpose: bytes) -> bytes:
    return hmac.new(key.secret, b"agency-desk/" + purpose, hashlib.sha256).digest()


# Per-key AES-GCM objects and nonce keys: building them costs a key schedule per call.
_CIPHERS: dict[bytes, tuple[AESGCM, bytes]] = {}


def _cipher(key: AgencyKey) -> tuple[AESGCM, bytes]:
    found = _CIPHERS.get(key.secret)
    if found is None:
        if len(_CIPHERS) > 64:
            _CIPHERS.clear()
        found = (AESGCM(_derived(key, b"aead")), _derived(key, b"nonce"))
        _CIPHERS[key.secret] = found
    return found


def associated_data(kind: str, station: str, seq: int, key_id: str) -> bytes:
    for name, value in (("kind", kind), ("station", station)):
        if "\0" in value:
            raise ValueError(f"{name} must not hold a NUL character")
    return b"\0".join(
        (b"agency-desk/1", kind.encode(), station.encode(), str(int(seq)).encode(), key_id.encode())
    )


def seal(key: AgencyKey, *, kind: str, station: str, seq: int, data: bytes) -> bytes:
    """`data` sealed for one place: (kind, station, seq) under `key`."""
    if len(data) > MAX_PLAINTEXT:
        raise EncryptionError(f"{len(data):,} bytes are more than one sealed file can hold (2 GiB)")
    aead, nonce_key = _cipher(key)
    ad = associated_data(kind, station, seq, key.key_id)
    mac = hmac.new(nonce_key, len(ad).to_bytes(4, "big") + ad, hashlib.sha256)
    mac.update(data)
    nonce = mac.digest()[:NONCE_LEN]
    return MAGIC + key.key_id.encode() + nonce + aead.encrypt(nonce, data, ad)


def is_sealed(blob: bytes) -> bool:
    return blob[: len(MAGIC)] == MAGIC


def key_id_of(blob: bytes) -> str | None:
    """The key id an envelope names, None when `blob` is not one."""
    if not is_sealed(blob) or len(blob) < HEADER_LEN + TAG_LEN:
        return None
    try:
        key_id = blob[len(MAGIC) : len(MAGIC) + KEY_ID_LEN].decode("ascii")
    except UnicodeDecodeError:
        return None
    return key_id if _is_hex(key_id) else None


def unseal(
    keys: Mapping[str, AgencyKey], *, kind: str, station: str, seq: int, blob: bytes
) -> bytes:
    """The plaintext of an envelope sealed for (kind, station, seq). Raises `TamperedFile`
    when it is not a sound envelope or fails authentication (changed, renamed, moved,
    replayed), `MissingKey` when it names a key not in `keys`."""
    key_id = key_id_of(blob)
    if key_id is None:
        raise TamperedFile("tampered or corrupt: not sealed with an agency key")
    key = keys.get(key_id)
    if key is None:
        raise MissingKey(
            f"sealed with agency key {key_id}, which this station does not hold (the key "
            "was changed since this station last unlocked the agency?)"
        )
    aead, _nonce_key = _cipher(key)
    nonce = blob[len(MAGIC) + KEY_ID_LEN : HEADER_LEN]
    try:
        return aead.decrypt(
            nonce, blob[HEADER_LEN:], associated_data(kind, station, seq, key.key_id)
        )
    except InvalidTag:
        raise TamperedFile(
            "tampered or corrupt: fails authentication under the agency key (changed, "
            "renamed, moved from another station or replayed)"
        ) from None


# -- the passphrase-wrapped key -------------------------------------------------------------


def check_passphrase(passphrase: str) -> str:
    """A new passphrase, normalized; raises `EncryptionError` naming what is wrong."""
    text = normalize(passphrase)
    if len(text) < MIN_PASSPHRASE:
        raise EncryptionError(
            f"the agency passphrase must be at least {MIN_PASSPHRASE} characters long"
        )
    return text


def normalize(passphrase: str) -> str:
    """The same passphrase typed on macOS (decomposed accents) and Windows (composed) must
    unlock the same key."""
    return unicodedata.normalize("NFC", passphrase)


def _kek(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    kdf = Scrypt(salt=salt, length=32, n=n, r=r, p=p)
    return kdf.derive(normalize(passphrase).encode("utf-8"))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def wrap_key(key: AgencyKey, passphrase: str, *, n: int | None = None) -> dict[str, Any]:
    """`key` sealed under a key derived from `passphrase` (scrypt, cost `n`, default
    `SCRYPT_N`), as a JSON-able record to keep on the share or server."""
    n = n or SCRYPT_N
    salt = os.urandom(SALT_LEN)
    nonce = os.urandom(NONCE_LEN)
    kek = _kek(passphrase, salt, n, SCRYPT_R, SCRYPT_P)
    sealed = AESGCM(kek).encrypt(nonce, key.secret, f"agency-key/{key.key_id}".encode())
    return {
        "format": WRAP_FORMAT,
        "kdf": "scrypt",
        "n": n,
        "r": SCRYPT_R,
        "p": SCRYPT_P,
        "salt": _b64(salt),
        "key_id": key.key_id,
        "nonce": _b64(nonce),
        "sealed": _b64(sealed),
    }


def _field(wrapped: Mapping[str, Any], name: str, kind: type) -> Any:
    value = wrapped.get(name)
    if type(value) is not kind:
        raise EncryptionError(f"the agency key on the share is damaged (its {name} is not valid)")
    return value


def _bytes(wrapped: Mapping[str, Any], name: str, size: int | None) -> bytes:
    try:
        value = base64.b64decode(_field(wrapped, name, str), validate=True)
    except (binascii.Error, ValueError):
        raise EncryptionError(
            f"the agency key on the share is damaged (its {name} is not valid)"
        ) from None
    if size is not None and len(value) != size:
        raise EncryptionError(f"the agency key on the share is damaged (its {name} is not valid)")
    return value


def wrapped_key_id(wrapped: Mapping[str, Any]) -> str:
    key_id = _field(wrapped, "key_id", str)
    if len(key_id) != KEY_ID_LEN or not _is_hex(key_id):
        raise EncryptionError("the agency key on the share is damaged (its key_id is not valid)")
    return str(key_id)


def unwrap_key(wrapped: dict[str, Any], passphrase: str) -> AgencyKey:
    """The agency key from its wrapped record; `WrongPassphrase` when `passphrase` does not
    open it, `EncryptionError` when the record is damaged or asks for unreasonable work."""
    if not isinstance(wrapped, Mapping):
        raise EncryptionError("the agency key on the share is damaged")
    if wrapped.get("format") != WRAP_FORMAT or wrapped.get("kdf") != "scrypt":
        raise EncryptionError(
            "the agency key on the share was written by a newer Agency Desk; update to sync"
        )
    n, r, p = (_field(wrapped, name, int) for name in ("n", "r", "p"))
    if not (
        SCRYPT_N_RANGE[0] <= n <= SCRYPT_N_RANGE[1]
        and n & (n - 1) == 0
        and SCRYPT_R_RANGE[0] <= r <= SCRYPT_R_RANGE[1]
        and SCRYPT_P_RANGE[0] <= p <= SCRYPT_P_RANGE[1]
        and 128 * n * r * p <= SCRYPT_MAX_MEMORY
    ):
        raise EncryptionError(
            "the agency key on the share asks for key-derivation settings outside what "
            "Agency Desk accepts; it was not written by Agency Desk"
        )
    key_id = wrapped_key_id(wrapped)
    salt = _bytes(wrapped, "salt", None)
    nonce = _bytes(wrapped, "nonce", NONCE_LEN)
    sealed = _bytes(wrapped, "sealed", SECRET_LEN + TAG_LEN)
    if not 8 <= len(salt) <= 64:
        raise EncryptionError("the agency key on the share is damaged (its salt is not valid)")
    kek = _kek(passphrase, salt, n, r, p)
    try:
        secret = AESGCM(kek).decrypt(nonce, sealed, f"agency-key/{key_id}".encode())
    except InvalidTag:
        raise WrongPassphrase(
            "wrong agency passphrase: it does not unlock the agency key; nothing was changed"
        ) from None
    return AgencyKey(key_id, secret)
