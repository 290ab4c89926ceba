"""What a printing command needs around it: its shared options, a checked database and
output path, the database opened for the length of the print, and a Qt application without a
screen. Printing to PDF never needs a display, so the command line always runs Qt with the
offscreen platform."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli_commands.command import UsageError, iso_date, open_database_or_refuse

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from db.store import Store


def gui_application() -> object:
    """The running QApplication, or a new offscreen one (fonts and PDF writing need it)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def checked_output(path: Path) -> Path:
    """`path` if a PDF can be written there; else a UsageError naming what is wrong."""
    path = path.expanduser()
    if path.suffix.lower() != ".pdf":
        raise UsageError(f"{path}: the output must be a .pdf file")
    if path.is_dir():
        raise UsageError(f"{path}: is a folder; give a file name ending in .pdf")
    if not path.parent.is_dir():
        raise UsageError(f"{path.parent}: no such folder")
    if not os.access(path.parent, os.W_OK):
        raise UsageError(f"{path.parent}: folder is not writable")
    return path


def checked_database(path: Path) -> Path:
    path = path.expanduser()
    if not path.exists():
        raise UsageError(f"{path}: no such database file")
    return path


def add_pdf_arguments(parser: argparse.ArgumentParser, today_help: str) -> None:
    """The options every print command takes: the database, the PDF, paper and date."""
    parser.add_argument("--db", type=Path, required=True, metavar="PATH", help="the database")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE.pdf", help="the PDF to write"
    )
    parser.add_argument(
        "--paper", choices=("a4", "letter"), help="paper size (default: your locale's)"
    )
    parser.add_argument("--today", type=iso_date, metavar="YYYY-MM-DD", help=today_help)


@contextmanager
def printing_store(args: argparse.Namespace) -> Iterator[Store]:
    """Check the database and the output first (nothing is written on bad input), then open
    the database and the offscreen Qt application that PDF writing needs. A PDF that cannot
    be written becomes a UsageError naming the file."""
    from db.store import Store

    db_path = checked_database(args.db)
    output = checked_output(args.output)
    store = Store(open_database_or_refuse(db_path))
    try:
        yield store
    except OSError as exc:
        raise UsageError(f"{output}: cannot be written ({exc})") from exc
    finally:
        store.close()


def looked_up(find: Callable[[Session, str], str], store: Store, text: str | None) -> str | None:
    """The id a name (or id) given on the command line stands for; None when none was given."""
    from db.reports.lookup import NoMatch

    if text is None:
        return None
    try:
        return find(store.session, text)
    except NoMatch as exc:
        raise UsageError(str(exc)) from exc
