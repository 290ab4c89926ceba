"""Where a report goes: a PDF file, or the print preview dialog (and from there a printer).

A report is a function `render(device)` that paints its pages onto any `QPagedPaintDevice`;
both outputs call the same function, so the preview shows exactly what the PDF holds.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QPagedPaintDevice, QPageLayout, QPdfWriter
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

Render = Callable[[QPagedPaintDevice], None]
PDF_DPI = 300


def write_pdf(path: Path, render: Render, layout: QPageLayout, title: str) -> None:
    """Write the report to `path` (replacing it). QPdfWriter streams each page to the file as
    it is finished, so memory stays bounded however many pages there are."""
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    writer.setTitle(title)
    writer.setCreator("Agency Desk")
    writer.setPageLayout(layout)
    render(writer)


def preview_dialog(
    parent: QWidget | None, render: Render, layout: QPageLayout, title: str
) -> QPrintPreviewDialog:
    """A print preview of the report; the caller shows it (`open()` or `exec()`)."""
    # The dialog's own printer: one passed in would be Python's to delete, and the dialog
    # would be left holding a dangling pointer.
    dialog = QPrintPreviewDialog(parent)
    printer = dialog.printer()
    printer.setPageLayout(layout)
    printer.setDocName(title)
    dialog.setWindowTitle(f"Print preview: {title}")
    # A closure, not the bound method: PySide holds a bound method's object weakly, and the
    # layout object behind `render` has no other owner.
    dialog.paintRequested.connect(lambda printer: render(printer))
    dialog.resize(1000, 800)
    return dialog
