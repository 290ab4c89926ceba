"""`agency-desk sync … --encrypt / --rotate-key / --passphrase-file`: a user turns encryption
on from the command line, other stations enter the passphrase once (from a file, the
environment, or a prompt in a terminal), and a wrong or missing passphrase is one line on
stderr, exit code 2, with nothing changed. Each station is another computer: its own
keychain file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from db.sync import keystore
from desktop.cli import main
from tests.cli.test_sync_cli import client_names, new_station, run_cli
from tests.sync.encryption_helpers import cheap_key_derivation

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _cheap_key_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    cheap_key_derivation(monkeypatch)


@pytest.fixture
def on_computer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """`on_computer("b")`: what follows runs with station b's keychain."""

    def switch(name: str) -> None:
        monkeypatch.setenv(keystore.FILE_VARIABLE, str(tmp_path / f"{name}.keys.json"))
        monkeypatch.delenv("AGENCY_DESK_PASSPHRASE", raising=False)

    return switch


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "passphrase.txt"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def test_encrypt_then_a_new_station_joins_with_the_passphrase(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    share: Path,
    on_computer: Callable[[str], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a_path, b_path = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    new_station(a_path, "Acme Bakery of the North").close()
    on_computer("a")
    secret = _file(tmp_path, PASSPHRASE)
    code, out, err = run_cli(
        capsys, "sync", "--db", str(a_path), "--share", str(share), "--encrypt",
        "--passphrase-file", str(secret),
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert "is now encrypted" in out and out.count("\n") == 1
    on_computer("b")
    monkeypatch.setenv("AGENCY_DESK_PASSPHRASE", PASSPHRASE)
    code, out, err = run_cli(capsys, "sync", "--db", str(b_path), "--share", str(share))
    assert (code, err) == (0, "")
    assert client_names(b_path) == ["Acme Bakery of the North"]
    # Asked once: the key is in b's keychain, later syncs need no passphrase.
    monkeypatch.delenv("AGENCY_DESK_PASSPHRASE")
    assert main(["sync", "--db", str(b_path), "--share", str(share)]) == 0
    assert all(b"Acme Bakery" not in p.read_bytes() for p in share.rglob("*") if p.is_file())


def _encrypted_share(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, share: Path, on: Callable[[str], None]
) -> Path:
    a_path = tmp_path / "a.sqlite"
    new_station(a_path, "Acme").close()
    on("a")
    secret = _file(tmp_path, PASSPHRASE)
    args = ["sync", "--db", str(a_path), "--share", str(share), "--encrypt"]
    assert run_cli(capsys, *args, "--passphrase-file", str(secret))[0] == 0
    return a_path


def test_a_wrong_passphrase_is_exit_2_in_one_line_and_changes_nothing(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    share: Path,
    on_computer: Callable[[str], None],
    untouched: Callable[[Path], None],
) -> None:
    _encrypted_share(capsys, tmp_path, share, on_computer)
    on_computer("b")
    (tmp_path / "b").mkdir()
    b_path = tmp_path / "b" / "b.sqlite"
    new_station(b_path, "Globex").close()
    wrong = tmp_path / "secrets" / "wrong.txt"
    wrong.parent.mkdir()
    wrong.write_text("not the passphrase\n", encoding="utf-8")
    untouched(b_path)
    for path in sorted(share.rglob("*")):
        if path.is_file():
            untouched(path)
    code, out, err = run_cli(
        capsys, "sync", "--db", str(b_path), "--share", str(share), "--passphrase-file", str(wrong)
    )
    assert (code, out) == (2, "")
    assert err == (
        "sync: wrong agency passphrase: it does not unlock the agency key; nothing was changed\n"
    )
    # A new database is not even created.
    code, _out, err = run_cli(
        capsys, "sync", "--db", str(tmp_path / "b" / "c.sqlite"), "--share", str(share),
        "--passphrase-file", str(wrong),
    )  # fmt: skip
    assert code == 2 and err.count("\n") == 1


def test_without_a_passphrase_a_script_is_told_how_to_give_one(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    share: Path,
    on_computer: Callable[[str], None],
) -> None:
    _encrypted_share(capsys, tmp_path, share, on_computer)
    on_computer("b")
    code, out, err = run_cli(
        capsys, "sync", "--db", str(tmp_path / "b.sqlite"), "--share", str(share)
    )
    assert (code, out) == (2, "")
    assert "is encrypted and this computer does not hold its key" in err
    assert "--passphrase-file FILE or AGENCY_DESK_PASSPHRASE" in err and err.count("\n") == 1
    code, _out, err = run_cli(
        capsys, "sync", "--db", str(tmp_path / "b.sqlite"), "--share", str(share),
        "--passphrase-file", str(tmp_path / "missing.txt"),
    )  # fmt: skip
    assert (code, err) == (
        2,
        f"--passphrase-file: {tmp_path / 'missing.txt'}: no such file\n",
    )


def test_in_a_terminal_the_command_asks(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    share: Path,
    on_computer: Callable[[str], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a_path = tmp_path / "a.sqlite"
    new_station(a_path, "Acme").close()
    on_computer("a")
    asked: list[str] = []
    answers = iter([PASSPHRASE, PASSPHRASE, PASSPHRASE])

    def prompt(text: str = "") -> str:
        asked.append(text)
        return next(answers)

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", prompt)
    assert run_cli(capsys, "sync", "--db", str(a_path), "--share", str(share), "--encrypt")[0] == 0
    assert asked == ["New agency passphrase: ", "The same passphrase again: "]
    on_computer("b")
    b_path = tmp_path / "b.sqlite"
    assert run_cli(capsys, "sync", "--db", str(b_path), "--share", str(share))[0] == 0
    assert asked[-1] == "Agency passphrase: " and client_names(b_path) == ["Acme"]


def test_rotating_the_key_asks_the_others_for_the_new_passphrase(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    share: Path,
    on_computer: Callable[[str], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a_path = _encrypted_share(capsys, tmp_path, share, on_computer)
    b_path = tmp_path / "b.sqlite"
    on_computer("b")
    monkeypatch.setenv("AGENCY_DESK_PASSPHRASE", PASSPHRASE)
    assert run_cli(capsys, "sync", "--db", str(b_path), "--share", str(share))[0] == 0
    on_computer("a")
    monkeypatch.setenv("AGENCY_DESK_PASSPHRASE", "the new agency passphrase")
    code, out, err = run_cli(
        capsys, "sync", "--db", str(a_path), "--share", str(share), "--rotate-key"
    )
    assert (code, err) == (0, "") and "has a new agency key" in out
    on_computer("b")
    monkeypatch.setenv("AGENCY_DESK_PASSPHRASE", PASSPHRASE)  # the old one
    code, _out, err = run_cli(capsys, "sync", "--db", str(b_path), "--share", str(share))
    assert code == 2 and "wrong agency passphrase" in err
    monkeypatch.setenv("AGENCY_DESK_PASSPHRASE", "the new agency passphrase")
    assert run_cli(capsys, "sync", "--db", str(b_path), "--share", str(share))[0] == 0


def test_a_short_new_passphrase_is_refused(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    share: Path,
    on_computer: Callable[[str], None],
) -> None:
    a_path = tmp_path / "a.sqlite"
    new_station(a_path, "Acme").close()
    on_computer("a")
    code, out, err = run_cli(
        capsys, "sync", "--db", str(a_path), "--share", str(share), "--encrypt",
        "--passphrase-file", str(_file(tmp_path, "short")),
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert err == "sync: the agency passphrase must be at least 8 characters long\n"
    assert not (share / "AgencyDesk").exists()
