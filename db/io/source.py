"""Reading an import file: its bytes within the size limit, and XML parsed safely.

XML goes through defusedxml, which refuses entity expansion (the "billion laughs"), external
entities and DTD tricks instead of following them (a document that provably has no DOCTYPE
takes the C parser, which then has nothing to expand or follow); a file too large is refused
before a byte of it is parsed. Every failure is an `ImportFileError` naming the file and,
where the parser knows it, the line and column.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from db.io import limits
from db.io.errors import ImportFileError


@dataclass(frozen=True)
class Source:
    """An import's input: its name as the user knows it and its bytes."""

    name: str
    data: bytes

    @classmethod
    def read(cls, path: Path) -> Source:
        name = str(path)
        try:
            size = path.stat().st_size
            if size > limits.MAX_FILE_BYTES:
                raise ImportFileError(name, too_large(size))
            with path.open("rb") as handle:
                data = handle.read(limits.MAX_FILE_BYTES + 1)
        except FileNotFoundError:
            raise ImportFileError(name, "no such file") from None
        except IsADirectoryError:
            raise ImportFileError(name, "is a folder, not a file") from None
        except OSError as exc:
            raise ImportFileError(name, f"cannot be read ({exc.strerror or exc})") from None
        if len(data) > limits.MAX_FILE_BYTES:  # it grew while we looked
            raise ImportFileError(name, too_large(len(data)))
        return cls(name, data)

    def xml(self) -> Element:
        """The document's root, every tag without its namespace."""
        if len(self.data) > limits.MAX_FILE_BYTES:
            raise ImportFileError(self.name, too_large(len(self.data)))
        try:
            if _plain(self.data):
                root = ET.fromstring(self.data)
            else:
                root = SafeET.fromstring(self.data, forbid_dtd=False)
        except ParseError as exc:
            line, column = exc.position
            reason = str(exc).split(":")[0]
            raise ImportFileError(
                self.name, f"is not well-formed XML ({reason})", f"line {line}, column {column}"
            ) from None
        except defusedxml.EntitiesForbidden:
            raise ImportFileError(
                self.name,
                "declares XML entities, which an import never expands nor follows to other files",
            ) from None
        except defusedxml.ExternalReferenceForbidden:
            raise ImportFileError(
                self.name, "refers to an external file or address, which an import never reads"
            ) from None
        except defusedxml.DefusedXmlException as exc:
            raise ImportFileError(self.name, f"uses an unsafe XML feature ({exc})") from None
        except (ValueError, LookupError) as exc:  # an unknown declared encoding
            raise ImportFileError(self.name, f"cannot be decoded ({exc})") from None
        for element in root.iter():
            if isinstance(element.tag, str) and element.tag.startswith("{"):
                element.tag = element.tag.split("}", 1)[1]
        return root


_DECLARED = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_ASCII_SUPERSETS = re.compile(
    r"^(utf-?8|us-ascii|ascii|iso-?8859-\d+|latin-?1|(windows|cp)-?125\d)$"
)


def _plain(data: bytes) -> bool:
    """Whether the document can go to the C parser directly: it has no DOCTYPE (so no
    entity can be declared and nothing outside the file can be named), which a byte search
    proves only when the encoding writes ASCII as ASCII. Anything else, UTF-16 included,
    goes through defusedxml, which refuses entities itself; the C parser is twice as fast."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in data[:64]:
        return False  # UTF-16 or UTF-32 without a byte-order mark
    declared = _DECLARED.match(data.removeprefix(b"\xef\xbb\xbf"))
    if declared is None:
        return True  # XML without a declaration is UTF-8
    return _ASCII_SUPERSETS.match(declared.group(1).decode("ascii").lower()) is not None


def too_large(size: int) -> str:
    mb = limits.MAX_FILE_BYTES / (1024 * 1024)
    return f"is {size / (1024 * 1024):,.1f} MB; an import reads at most {mb:,.0f} MB"
