"""The readable half of a personal data export (GDPR article 15): a PDF for the person who
asked, laid out from a `db.privacy.dossier.Dossier`. It prints everything the dossier holds,
in sections, on as many pages as it takes; the JSON beside it is the machine-readable half.

`export_person` writes both files into a folder, for the GUI and the command line alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtGui import QFont, QPagedPaintDevice
from sqlalchemy.orm import Session

from db.am.custom_fields import MONTHS
from db.privacy.dossier import Dossier, dossier, file_stem, write_json
from db.privacy.mentions import Mention
from desktop.formatting import Formats
from desktop.printing.canvas import ACCENT, DASH, INK, MUTED, RIGHT, RULE, Canvas
from desktop.printing.output import write_pdf
from desktop.printing.paper import page_layout

LABEL_W = 120.0


@dataclass(frozen=True)
class ExportedFiles:
    json: Path
    pdf: Path


def export_person(
    session: Session,
    contact_id: str,
    folder: Path,
    *,
    locale: QLocale | None = None,
    paper: str | None = None,
    now: datetime | None = None,
) -> ExportedFiles:
    """Write `personal-data-<name>.json` and `.pdf` into `folder` (replacing earlier ones)."""
    found = dossier(session, contact_id, now)
    stem = folder / file_stem(found)
    files = ExportedFiles(stem.with_suffix(".json"), stem.with_suffix(".pdf"))
    write_json(found, files.json)
    partial = files.pdf.with_name(files.pdf.name + ".partial")
    write_pdf(
        partial,
        DossierLayout(found, Formats(locale)).render,
        page_layout(locale=locale, paper=paper),
        f"Personal data held about {found.name}",
    )
    partial.replace(files.pdf)
    return files


class DossierLayout:
    def __init__(self, found: Dossier, formats: Formats) -> None:
        self.d = found
        self.f = formats

    def _heading(self, c: Canvas, title: str) -> None:
        font = c.font(9, QFont.Weight.Bold)
        c.ensure(c.line_height(font) + 30)
        c.y += 10
        h = c.text(0, c.y, c.width, title.upper(), font, ACCENT)
        c.line(0, c.y + h + 2, c.width, c.y + h + 2, RULE)
        c.y += h + 8

    def _pair(self, c: Canvas, label: str, value: str) -> None:
        body = c.font(9.5)
        bold = c.font(9.5, QFont.Weight.DemiBold)

        def draw(y: float) -> float:
            left = c.text(0, y, LABEL_W - 8, label, bold, MUTED)
            return max(left, c.text(LABEL_W, y, c.width - LABEL_W, value or DASH, body))

        c.ensure(c.measure(draw))
        c.y += draw(c.y) + 4

    def _para(self, c: Canvas, text: str, *, muted: bool = False) -> None:
        font = c.font(9.5, italic=muted)
        height = c.measure(lambda y: c.text(0, y, c.width, text, font))
        c.ensure(height)
        c.y += c.text(0, c.y, c.width, text, font, MUTED if muted else INK) + 4

    def _section(self, c: Canvas, title: str, rows: list[tuple[str, str]], empty: str) -> None:
        self._heading(c, title)
        if not rows:
            self._para(c, empty, muted=True)
        for label, value in rows:
            self._pair(c, label, value)

    def footer(self, c: Canvas) -> None:
        y = c.height - 10
        c.line(0, y - 4, c.width, y - 4, RULE, 0.5)
        who = f"{self.d.agency} · " if self.d.agency else ""
        c.text(0, y, c.width / 2, f"{who}Personal data of {self.d.name}", c.font(7), MUTED)
        c.text(c.width / 2, y, c.width / 2, f"Page {c.page}", c.font(7), MUTED, RIGHT)

    def render(self, device: QPagedPaintDevice) -> None:
        d, f = self.d, self.f
        c = Canvas(device)
        c.footer = self.footer
        c.height -= 20  # room for the footer
        c.start()
        c.y += c.text(0, c.y, c.width, "Personal data we hold about", c.font(10), MUTED)
        c.y += c.text(0, c.y, c.width, d.name, c.font(20, QFont.Weight.Bold)) + 2
        made = f"Exported {f.date(d.made_at.date())} {d.made_at:%H:%M}"
        c.y += c.text(
            0, c.y, c.width, f"{made}" + (f" by {d.agency}" if d.agency else ""), c.font(9), MUTED
        )
        if d.deleted:
            c.y += 4
            self._para(
                c,
                "This contact was deleted. What follows is what the agency still holds: the "
                "record as it was deleted (kept so the delete can be undone), gifts for them "
                "and the interactions they took part in.",
                muted=True,
            )
        self._section(
            c,
            "Contact details",
            [
                ("Name", d.name),
                ("Role", d.title),
                ("Email", d.email),
                ("Phone", d.phone),
                ("Works at", d.client),
                (
                    "Stay in touch",
                    f"every {d.stay_in_touch_days} days" if d.stay_in_touch_days else "",
                ),
                ("Recorded since", f.date(d.recorded_since.date())),
                ("Last changed", f.date(d.last_changed.date())),
            ],
            "",
        )
        self._heading(c, "Rapport notes")
        self._para(c, d.rapport_notes or "None.", muted=not d.rapport_notes)
        self._section(
            c,
            "Important dates",
            [(x.label, _day_month(x.day, x.month, x.year)) for x in d.important_dates],
            "None.",
        )
        self._section(c, "Other fields", list(d.custom_fields), "None.")
        self._section(
            c,
            "Gifts",
            [
                (
                    f.date(g.gift_date) if g.gift_date else g.state.replace("_", " "),
                    " · ".join(p for p in (g.description, g.occasion) if p),
                )
                for g in d.gifts
            ],
            "None.",
        )
        self._section(
            c,
            "Interactions they took part in",
            [
                (
                    f"{f.date(i.occurred_at.date())} {i.kind}",
                    " — ".join(p for p in (i.summary, i.outcome) if p),
                )
                for i in d.interactions
            ],
            "None.",
        )
        self._section(
            c,
            "Other records that name them",
            [(mention_label(m, f), m.text) for m in d.mentions],
            "None.",
        )
        c.finish()


def _day_month(day: int, month: int, year: int | None) -> str:
    text = f"{day} {MONTHS[month - 1]}" if 1 <= month <= 12 else f"{day}/{month}"
    return f"{text} {year}" if year else text


def mention_label(m: Mention, f: Formats) -> str:
    """ "Follow-up, 20 Mar 2026": what the text belongs to, and its row's date."""
    try:
        when = f.date(date.fromisoformat(m.when)) if m.when else ""
    except ValueError:
        when = m.when
    return f"{m.what.capitalize()}, {when}" if when else m.what.capitalize()
