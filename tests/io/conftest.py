"""Fixtures of the import and export tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.io.helpers import FILES


@pytest.fixture
def files() -> Path:
    """The hand-written files in the shapes other tools save."""
    return FILES
