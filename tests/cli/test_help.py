"""`--help` works for the program and every subcommand, and `--version` names the version."""

from __future__ import annotations

import subprocess
import sys

import pytest

from desktop.cli import main
from desktop.cli_commands import COMMANDS


def test_program_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("usage: agency-desk")
    assert "--db PATH" in out and "--self-test" in out
    for command in COMMANDS:
        assert command.NAME in out
    assert err == ""


@pytest.mark.parametrize("name", [command.NAME for command in COMMANDS])
def test_each_command_has_help(capsys: pytest.CaptureFixture[str], name: str) -> None:
    assert main([name, "--help"]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith(f"usage: agency-desk {name}")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("agency-desk ") and out.strip() != "agency-desk unknown"


def test_help_does_not_load_qt_or_the_database_layer() -> None:
    """--help must stay instant: nothing heavy is imported before a command needs it."""
    probe = (
        "import sys\n"
        "from desktop.cli import main\n"
        "main(['--help'])\n"
        "main(['demo', '--help'])\n"
        "heavy = [m for m in ('PySide6', 'sqlalchemy', 'alembic') if m in sys.modules]\n"
        "print(heavy, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stderr.strip() == "[]"


def test_python_dash_m_desktop_runs_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "--version"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("agency-desk ")
