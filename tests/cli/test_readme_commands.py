"""The README's promise: exactly two commands, one opening the app on a demo agency and one
running the tests; CI runs the second verbatim, and the first uses only real options."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from desktop.cli import build_parser

REPO = Path(__file__).resolve().parents[2]


def try_it_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Try it", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    return [block.strip() for block in blocks]


def test_the_readme_gives_exactly_two_one_line_commands() -> None:
    commands = try_it_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)
    app, tests = commands
    assert "agency-desk demo" in app
    assert "pytest" in tests


def test_ci_runs_the_test_command_verbatim() -> None:
    _, tests = try_it_commands()
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert any(line.startswith(tests) for line in ci.splitlines())


def test_the_app_command_uses_real_options() -> None:
    app, _ = try_it_commands()
    parser = build_parser()
    calls = [shlex.split(step) for step in app.split("&&")]
    desk = [argv[1:] for argv in calls if argv[0].endswith("agency-desk")]
    assert len(desk) == 2
    demo, gui = (parser.parse_args(argv) for argv in desk)
    assert demo.command == "demo" and demo.if_missing  # a second run must not fail
    assert gui.command is None and gui.db == demo.db
