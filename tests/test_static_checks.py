"""The static checks CI asks for, run by the suite so the README's one test command covers
them: mypy (strict on db/, plain on desktop/, as pyproject.toml configures it), `ruff check`
and `ruff format --check`. Each runs as its own process from the project's root and fails
with the tool's own report.

mypy keeps its cache in the project's `.mypy_cache` (its default, ignored by git): a first
run reads every module, later runs only what changed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(
            f"`{' '.join(args)}` failed (exit {done.returncode}):\n{done.stdout}{done.stderr}",
            pytrace=False,
        )


def test_mypy() -> None:
    # One process for both packages: they share most imports, so this reads each once.
    _run("mypy", "db", "desktop")


def test_ruff_check() -> None:
    _run("ruff", "check", ".")


def test_ruff_format() -> None:
    _run("ruff", "format", "--check", ".")
