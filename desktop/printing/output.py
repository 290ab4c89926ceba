"""Where a report goes: a PDF file, or the print preview dialog (and from there a printer).

A report is a function `render(device)` that paints its pages onto any `QPagedPaintDevice`;
both outputs call the same function, so the preview shows exactly what the PDF holds.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QPagedPaintDevice, QPageLayout, QPdfWriter
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
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
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(layout)
    printer.setDocName(title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(f"Print preview: {title}")
    dialog.paintRequested.connect(render)
    dialog.resize(1000, 800)
    return dialog
