"""Reading an import file: its bytes within the size limit, and XML parsed safely.

XML goes through defusedxml, which refuses entity expansion (the "billion laughs"), external
entities and DTD tricks instead of following them; a file too large is refused before a byte
of it is parsed. Every failure is an `ImportFileError` naming the file and, where the parser
knows it, the line and column.
"""

from __future__ import annotations

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
            root: Element = SafeET.fromstring(self.data, forbid_dtd=False)
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


def too_large(size: int) -> str:
    mb = limits.MAX_FILE_BYTES / (1024 * 1024)
    return f"is {size / (1024 * 1024):,.1f} MB; an import reads at most {mb:,.0f} MB"
