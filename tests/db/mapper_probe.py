"""Reads run in a fresh Python process, where SQLAlchemy has configured no mapper yet, to
prove they leave the mappers waiting (what the first window reads must, issue 19)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def assert_configures_no_mapper(probe: str, *args: str) -> None:
    """Run `probe` (Python source ending in `print(Base.registry._new_mappers)`) with `args`
    in a fresh process: it must succeed and print True, the mappers still unconfigured."""
    done = subprocess.run(
        [sys.executable, "-c", probe, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "True", done.stdout  # (not rewritten by pytest: say it)
