"""The app's own options (`--db`, `--project`, `--self-test`) read the same whether or not a
command follows: a start without a command is parsed without the commands (issue 19), and
anything else, or a mistake, goes through the full parser as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop import cli


def test_a_plain_start_reaches_the_app_with_its_options(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    started: list[tuple[object, ...]] = []
    monkeypatch.setattr(
        cli, "_run_gui", lambda args: started.append((args.db, args.open_project)) or 0
    )
    built: list[bool] = []
    full = cli.build_parser
    monkeypatch.setattr(cli, "build_parser", lambda: built.append(True) or full())
    assert cli.main(["--db", str(tmp_path / "a.sqlite"), "--pro", "Rebrand"]) == 0
    assert started == [(tmp_path / "a.sqlite", "Rebrand")]
    assert built == []


def test_options_before_a_command_still_refuse_it_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert cli.main(["--project", "Rebrand", "demo", "--db", str(tmp_path / "d.sqlite")]) == 2
    assert "--project before a command opens the app" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--db"], "argument --db: expected one argument"),
        (["--nonsense"], "unrecognized arguments: --nonsense"),
        (["nonsense"], "invalid choice: 'nonsense'"),
    ],
)
def test_a_mistake_is_one_line_naming_it(
    capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert said in err and err.count("\n") == 1
