"""The agency key and its envelope (db/sync/crypto.py) and the keystore: unit tests of the
rules the encrypted share rests on."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db.sync import keystore
from db.sync.crypto import (
    AgencyKey,
    EncryptionError,
    MissingKey,
    TamperedFile,
    WrongPassphrase,
    check_passphrase,
    new_key,
    seal,
    unseal,
    unwrap_key,
    wrap_key,
)
from db.sync.errors import ShareIOError, SyncError

FAST_N = 2**14  # the lowest cost unwrap accepts: these tests are about format, not cost


def _seal(
    key: AgencyKey, data: bytes, *, kind: str = "change", station: str = "a" * 16, seq: int = 7
) -> bytes:
    return seal(key, kind=kind, station=station, seq=seq, data=data)


def test_a_sealed_file_opens_in_its_place_and_hides_its_text() -> None:
    key = new_key()
    text = b'{"t": "contact", "f": {"email": "ana.lopez@example.com"}}\n'
    blob = _seal(key, text)
    assert b"ana.lopez" not in blob and b"contact" not in blob
    assert unseal({key.key_id: key}, kind="change", station="a" * 16, seq=7, blob=blob) == text


def test_sealing_is_deterministic_so_a_re_sent_push_keeps_its_name() -> None:
    key = new_key()
    assert _seal(key, b"same") == _seal(key, b"same")
    assert _seal(key, b"same") != _seal(key, b"other")
    assert _seal(key, b"same", seq=8) != _seal(key, b"same")


@pytest.mark.parametrize(
    ("kind", "station", "seq"),
    [("change", "a" * 16, 8), ("change", "b" * 16, 7), ("snapshot", "a" * 16, 7)],
    ids=["renamed to another seq", "moved to another station", "replayed as another kind"],
)
def test_a_file_out_of_its_place_fails(kind: str, station: str, seq: int) -> None:
    key = new_key()
    blob = _seal(key, b"payload")
    with pytest.raises(TamperedFile, match="tampered or corrupt"):
        unseal({key.key_id: key}, kind=kind, station=station, seq=seq, blob=blob)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0), st.integers(min_value=1, max_value=255))
def test_any_flipped_byte_fails(position: int, flip: int) -> None:
    key = _KEY
    blob = bytearray(_seal(key, b"a change file's text"))
    blob[position % len(blob)] ^= flip
    with pytest.raises((TamperedFile, MissingKey)):
        unseal({key.key_id: key}, kind="change", station="a" * 16, seq=7, blob=bytes(blob))


_KEY = new_key()


def test_truncated_and_plain_files_fail() -> None:
    key = new_key()
    keys = {key.key_id: key}
    for blob in (b"", b"ADE1", _seal(key, b"x")[:-1], b'{"count": 1}\n'):
        with pytest.raises(TamperedFile):
            unseal(keys, kind="change", station="a" * 16, seq=7, blob=blob)


def test_a_file_under_a_key_not_held_is_a_missing_key() -> None:
    old, new = new_key(), new_key()
    with pytest.raises(MissingKey, match=new.key_id):
        unseal({old.key_id: old}, kind="change", station="a" * 16, seq=7, blob=_seal(new, b"x"))


def test_errors_belong_to_sync_errors_and_files_are_quarantined_as_unreadable() -> None:
    assert issubclass(WrongPassphrase, SyncError)
    assert issubclass(TamperedFile, ShareIOError)
    assert issubclass(MissingKey, ShareIOError)


def test_the_passphrase_unwraps_the_key_and_a_wrong_one_is_refused() -> None:
    key = new_key()
    wrapped = wrap_key(key, "correct horse battery", n=FAST_N)
    assert key.secret.hex() not in str(wrapped)
    assert unwrap_key(wrapped, "correct horse battery") == key
    with pytest.raises(WrongPassphrase, match="wrong agency passphrase"):
        unwrap_key(wrapped, "correct horse battery!")


def test_a_passphrase_typed_decomposed_unwraps_the_same_key() -> None:
    key = new_key()
    wrapped = wrap_key(key, "caf\u00e9 au lait", n=FAST_N)
    assert unwrap_key(wrapped, "cafe\u0301 au lait") == key


def test_the_default_cost_is_memory_hard() -> None:
    wrapped = wrap_key(new_key(), "a long passphrase")
    assert wrapped["kdf"] == "scrypt" and wrapped["n"] >= 2**17 and wrapped["r"] >= 8


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"n": 2**30}, "outside what Agency Desk accepts"),
        ({"n": 2**10}, "outside what Agency Desk accepts"),
        ({"salt": "not base64!"}, "salt is not valid"),
        ({"sealed": "AAAA"}, "sealed is not valid"),
        ({"format": 9}, "newer Agency Desk"),
        ({"key_id": "../../etc"}, "key_id is not valid"),
    ],
)
def test_a_damaged_or_hostile_wrapped_key_is_refused_before_any_work(
    change: dict[str, object], message: str
) -> None:
    wrapped = {**wrap_key(new_key(), "a long passphrase", n=FAST_N), **change}
    with pytest.raises(EncryptionError, match=message):
        unwrap_key(wrapped, "a long passphrase")


def test_a_new_passphrase_must_be_long_enough() -> None:
    with pytest.raises(EncryptionError, match="at least 8 characters"):
        check_passphrase("short")
    assert check_passphrase("long enough") == "long enough"


def test_the_keystore_keeps_every_key_of_an_agency(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "keys.json"
    monkeypatch.setenv(keystore.FILE_VARIABLE, str(store))
    first, second = new_key(), new_key()
    assert keystore.load_keys("a" * 32) == {}
    keystore.save_key("a" * 32, first)
    keystore.save_key("a" * 32, second)
    keystore.save_key("b" * 32, new_key())
    assert keystore.load_keys("a" * 32) == {first.key_id: first, second.key_id: second}
    assert store.stat().st_mode & 0o077 == 0
    keystore.forget_keys("a" * 32)
    assert keystore.load_keys("a" * 32) == {}
    assert len(keystore.load_keys("b" * 32)) == 1


def test_without_a_keychain_saving_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backends import fail

    monkeypatch.delenv(keystore.FILE_VARIABLE, raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    try:
        with pytest.raises(keystore.KeystoreError, match=keystore.FILE_VARIABLE):
            keystore.save_key("a" * 32, new_key())
        assert keystore.load_keys("a" * 32) == {}
    finally:
        keyring.set_keyring(previous)
