"""`agency-desk sync --server URL --encrypt / --rotate-key / --passphrase-file` against a real
agency server (issue 17's command line, for the server as for a share): a user turns
encryption on, another station enters the passphrase once from the environment, and a wrong
passphrase is exit code 2 with one line, the server and the station left exactly as they
were. Each station is another computer: its own keychain file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from db.sync import keystore
from tests.cli.test_sync_cli import client_names, new_station, run_cli
from tests.pg.conftest import AgencyServer, MemoryKeychain
from tests.sync.encryption_helpers import cheap_key_derivation, client_texts, leaks, server_rows

PASSPHRASE = "correct horse battery staple"
NEW_PASSPHRASE = "the agency's new passphrase"


@pytest.fixture(autouse=True)
def _cheap_key_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    cheap_key_derivation(monkeypatch)


@pytest.fixture
def on_computer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keychain: MemoryKeychain
) -> Callable[[str], None]:
    """`on_computer("b")`: what follows runs with station b's keychain."""

    def switch(name: str) -> None:
        monkeypatch.setenv(keystore.FILE_VARIABLE, str(tmp_path / f"{name}.keys.json"))
        monkeypatch.delenv("AGENCY_DESK_PASSPHRASE", raising=False)

    return switch


def test_encrypt_a_server_join_with_the_passphrase_and_a_wrong_one_changes_nothing(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    agency_server: AgencyServer,
    on_computer: Callable[[str], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url_a, url_b = (agency_server.station_url(n) for n in ("a", "b"))
    a_path, b_path = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    new_station(a_path, "Acme Bakery of the North").close()
    on_computer("a")
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    code, out, err = run_cli(
        capsys, "sync", "--db", str(a_path), "--server", url_a, "--encrypt",
        "--passphrase-file", str(secret),
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert "is now encrypted" in out and out.count("\n") == 1

    # B, on another computer, gives a wrong passphrase: one line, exit 2, nothing changed.
    on_computer("b")
    before = server_rows(agency_server.admin_url)
    monkeypatch.setenv("AGENCY_DESK_PASSPHRASE", "not the agency passphrase")
    code, out, err = run_cli(capsys, "sync", "--db", str(b_path), "--server", url_b)
    assert (code, out) == (2, "")
    assert err == (
        "sync: wrong agency passphrase: it does not unlock the agency key; nothing was changed\n"
    )
    assert not b_path.exists()
    assert server_rows(agency_server.admin_url) == before

    # The right one, from the environment: B joins, and is not asked again.
    monkeypatch.setenv("AGENCY_DESK_PASSPHRASE", PASSPHRASE)
    code, _out, err = run_cli(capsys, "sync", "--db", str(b_path), "--server", url_b)
    assert (code, err) == (0, "")
    assert client_names(b_path) == ["Acme Bakery of the North"]
    monkeypatch.delenv("AGENCY_DESK_PASSPHRASE")
    assert run_cli(capsys, "sync", "--db", str(b_path), "--server", url_b)[0] == 0
    assert leaks(server_rows(agency_server.admin_url), client_texts(a_path)) == []

    # Someone left: A changes the key; B's old passphrase no longer opens it.
    on_computer("a")
    secret.write_text(NEW_PASSPHRASE + "\n", encoding="utf-8")
    code, out, err = run_cli(
        capsys, "sync", "--db", str(a_path), "--server", url_a, "--rotate-key",
        "--passphrase-file", str(secret),
    )  # fmt: skip
    assert (code, err) == (0, "") and "has a new agency key" in out
    on_computer("b")
    before = server_rows(agency_server.admin_url)
    b_before = b_path.read_bytes()
    monkeypatch.setenv("AGENCY_DESK_PASSPHRASE", PASSPHRASE)
    code, _out, err = run_cli(capsys, "sync", "--db", str(b_path), "--server", url_b)
    assert code == 2 and "wrong agency passphrase" in err and err.count("\n") == 1
    assert server_rows(agency_server.admin_url) == before
    assert b_path.read_bytes() == b_before
    monkeypatch.setenv("AGENCY_DESK_PASSPHRASE", NEW_PASSPHRASE)
    assert run_cli(capsys, "sync", "--db", str(b_path), "--server", url_b)[0] == 0
