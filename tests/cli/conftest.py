"""Fixtures for the command-line tests: a demo database made once, a way to prove a file
was left exactly as it was, and an empty shared folder for the sync commands."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from db.demo import write_demo

DEMO_DAY = date(2025, 3, 12)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    write_demo(path, today=DEMO_DAY)
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the scale-1 demo, free to lock or damage."""
    path = tmp_path / "agency.sqlite"
    shutil.copyfile(demo_template, path)
    return path


@dataclass(frozen=True)
class Snapshot:
    """A file's bytes and modification time, and what else lay in its folder."""

    content: bytes
    mtime_ns: int
    folder: frozenset[str]


def snapshot(path: Path) -> Snapshot:
    return Snapshot(
        path.read_bytes() if path.is_file() else b"",
        path.stat().st_mtime_ns if path.exists() else 0,
        frozenset(os.listdir(path.parent)),
    )


@pytest.fixture
def untouched() -> Iterator[Callable[[Path], None]]:
    """`untouched(path)` remembers a file; at the end of the test it must be unchanged."""
    watched: list[tuple[Path, Snapshot]] = []
    yield lambda path: watched.append((path, snapshot(path)))
    for path, before in watched:
        assert snapshot(path) == before, f"{path} was changed"


@pytest.fixture
def share(tmp_path: Path) -> Path:
    """An empty folder to sync through, as a user would make for the agency."""
    folder = tmp_path / "share"
    folder.mkdir()
    return folder
