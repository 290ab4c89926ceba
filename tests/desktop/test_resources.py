"""Bundled resources: the font becomes the app font; a missing font or icon is no error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtGui import QFont

from desktop.resources import app_icon, load_fonts, resources_dir

SYSTEM_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf")


def test_resources_live_at_the_repository_root() -> None:
    assert resources_dir() == Path(__file__).resolve().parents[2] / "resources"


def test_frozen_resources_come_from_meipass(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr("sys._MEIPASS", str(tmp_path), raising=False)
    assert resources_dir() == tmp_path / "resources"


def test_missing_fonts_and_icons_are_fine(qapp, tmp_path) -> None:
    before = QFont(qapp.font())
    assert load_fonts(qapp, tmp_path / "fonts") is None
    assert app_icon(tmp_path / "icons") is None
    assert qapp.font() == before


@pytest.mark.skipif(not SYSTEM_FONT.exists(), reason="needs a TrueType font to load")
def test_a_bundled_font_becomes_the_app_font(qapp, tmp_path) -> None:
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    shutil.copy(SYSTEM_FONT, fonts / SYSTEM_FONT.name)
    before = QFont(qapp.font())
    try:
        family = load_fonts(qapp, fonts)
        assert family and family.startswith("DejaVu Sans")
        assert qapp.font().family() == family
    finally:
        qapp.setFont(before)


def test_the_real_resources_load_when_present(qapp) -> None:
    before = QFont(qapp.font())
    try:
        family = load_fonts(qapp)
        if (resources_dir() / "fonts").is_dir() and any((resources_dir() / "fonts").iterdir()):
            assert family is not None
    finally:
        qapp.setFont(before)
