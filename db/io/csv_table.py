"""Reading a CSV file whatever wrote it: the encoding (UTF-8 with or without a byte-order
mark, else Windows-1252, as Excel saves in much of Europe) and the delimiter (comma,
semicolon, tab or bar) are detected, and no field may grow past a limit, so a file that is
one endless line is refused instead of filling memory.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from db.io import limits
from db.io.errors import ImportFileError
from db.io.source import Source

DELIMITERS = ",;\t|"
_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}


@dataclass(frozen=True)
class CsvTable:
    """A CSV file's header and rows (each padded to the header's width), and how it was
    read. `line_of(n)` is the file line where data row n starts, for messages."""

    name: str
    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    encoding: str
    delimiter: str

    def line_of(self, row: int) -> int:
        return self.lines[row]

    def described(self) -> str:
        if self.delimiter == "vCard":
            return f"{self.encoding} vCards"
        return f"{self.encoding}, {_NAMES.get(self.delimiter, repr(self.delimiter))}-separated"


def decode(source: Source) -> tuple[str, str]:
    """The text of the file and the encoding it was in."""
    data = source.data
    if data.startswith(b"\xef\xbb\xbf"):
        return _decoded(source, data[3:], "utf-8"), "UTF-8 (with BOM)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decoded(source, data, "utf-16"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    # Windows-1252 leaves five bytes undefined; a file with them is Latin-1.
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"


def _decoded(source: Source, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            source.name, f"starts like {encoding} but byte {exc.start} is not {encoding}"
        ) from None


def sniff_delimiter(text: str) -> str:
    """The delimiter of the header line: the candidate it holds most of (outside quotes)."""
    first = text.split("\n", 1)[0]
    counts: dict[str, int] = {}
    quoted = False
    for char in first:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in DELIMITERS:
            counts[char] = counts.get(char, 0) + 1
    if not counts:
        return ","
    return max(counts, key=lambda d: (counts[d], -DELIMITERS.index(d)))


def read_table(source: Source) -> CsvTable:
    if len(source.data) > limits.MAX_FILE_BYTES:
        from db.io.source import too_large

        raise ImportFileError(source.name, too_large(len(source.data)))
    text, encoding = decode(source)
    if "\x00" in text[:4096]:
        raise ImportFileError(source.name, "is not a text file (it holds NUL bytes)")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    previous = csv.field_size_limit(limits.MAX_CSV_FIELD_CHARS)
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        header: list[str] | None = None
        start = 1
        for record in reader:
            if header is None:
                header = [cell.strip().lstrip("\ufeff") for cell in record]
            elif any(cell.strip() for cell in record):
                rows.append(record)
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFileError(
            source.name, _csv_reason(exc), f"line {reader.line_num or 1}"
        ) from None
    finally:
        csv.field_size_limit(previous)
    if not header or not any(header):
        raise ImportFileError(source.name, "has no header line naming its columns")
    width = len(header)
    for n, row in enumerate(rows):
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            raise ImportFileError(
                source.name,
                f"has {len(row)} fields where the header names {width}",
                f"line {lines[n]}",
            )
        row[:] = [cell.strip() for cell in row[:width]] + [""] * (width - len(row))
    return CsvTable(source.name, header, rows, lines, encoding, delimiter)


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"holds a field longer than {limits.MAX_CSV_FIELD_CHARS:,} characters"
    return f"is not valid CSV ({text})"
