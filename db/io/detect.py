"""Which format a file is in, judged from its content (the name only breaks a tie).

XML formats are told apart by their root element and its namespace, read from the first
few kilobytes without parsing the document (so a hostile file is refused by the safe parser
later, not here). Text that is not XML is CSV, vCard or iCalendar by its first line.
"""

from __future__ import annotations

import re
from enum import StrEnum

from db.io.errors import ImportFileError
from db.io.source import Source


class Format(StrEnum):
    MSPDI = "mspdi"
    GAN = "gan"
    PLANNER = "planner"
    CSV = "csv"
    VCARD = "vcard"


_ROOT = re.compile(rb"<(?!\?|!)([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)([^>]*)>", re.S)
_HEAD = 64 * 1024


def _head_text(data: bytes) -> bytes:
    """The start of the file as ASCII-compatible bytes (UTF-16 files are narrowed)."""
    head = data[:_HEAD]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return head.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
        except UnicodeError:
            return head
    return head.removeprefix(b"\xef\xbb\xbf")


def detect(source: Source) -> Format:
    head = _head_text(source.data)
    if not head.strip():
        raise ImportFileError(source.name, "is empty")
    stripped = head.lstrip()
    if stripped.startswith(b"<"):
        # Skip comments and the DOCTYPE (whose entities the safe parser refuses later).
        body = re.sub(rb"<!--.*?-->", b"", stripped, flags=re.S)
        body = re.sub(rb"<!DOCTYPE[^\[>]*(\[.*?\])?\s*>", b"", body, flags=re.S)
        match = _ROOT.search(body)
        if match is not None:
            root = match.group(2).decode("ascii", "replace")
            attributes = match.group(3)
            if root == "Project" and b"schemas.microsoft.com/project" in attributes:
                return Format.MSPDI
            if root == "Project":
                return Format.MSPDI
            if root == "project" and b"mrproject-version" in attributes:
                return Format.PLANNER
            if root == "project":
                return Format.GAN
            raise ImportFileError(
                source.name,
                f"is XML with root <{root}>, which is no project format Agency Desk reads",
            )
    if stripped[:11].upper() == b"BEGIN:VCARD":
        return Format.VCARD
    if _looks_like_csv(head):
        return Format.CSV
    raise ImportFileError(
        source.name,
        "is not a file Agency Desk can import (Microsoft Project XML, GanttProject .gan, "
        "GNOME Planner .planner, CSV)",
    )


def _looks_like_csv(head: bytes) -> bool:
    """Text whose first line names columns between commas, semicolons, tabs or bars."""
    if b"\x00" in head:
        return False
    first = head.split(b"\n", 1)[0]
    printable = sum(1 for b in first if b >= 0x20 or b in (0x09, 0x0D))
    if not first or printable < len(first):
        return False
    return any(d in first for d in (b",", b";", b"\t", b"|"))
