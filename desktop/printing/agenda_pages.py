"""The printed meeting agenda: numbered sections an agency can walk through in order,
laid out from a `db.reports.agenda.Agenda`."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QPagedPaintDevice

from db.labels import plural
from db.reports.agenda import Agenda
from desktop.formatting import Formats
from desktop.printing.canvas import ACCENT, BAND, DASH, INK, MUTED, POOR, RIGHT, RULE, WRAP, Canvas

CENTER = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
Row = tuple[str, str, str]  # main text, detail below it, note on the right


class AgendaLayout:
    def __init__(self, agenda: Agenda, formats: Formats) -> None:
        self.a = agenda
        self.f = formats

    def sections(self) -> list[tuple[str, list[Row], str]]:
        a, f = self.a, self.f
        team = a.client_name is None
        # A client's own copy holds only what is shared with them; the account manager's copy
        # of a client agenda says which of its follow-ups the client sees.
        marks = a.internal and not team
        follow_ups: list[Row] = [
            (
                item.title,
                " · ".join(
                    p
                    for p in (
                        item.client if team else "",
                        item.owner,
                        ("shared" if item.shared else "internal") if marks else "",
                    )
                    if p
                ),
                ("overdue since " if item.overdue else "due ") + f.short_date(item.due),
            )
            for item in a.all_follow_ups
        ]
        due: list[Row] = [
            (
                item.name,
                f"{item.client}: {item.project}" if team else item.project,
                f"{item.kind.value.capitalize()} · {f.short_date(item.when)}",
            )
            for item in a.due
        ]
        changes: list[Row] = []
        for item in a.changes:
            impact = []
            if item.schedule_impact_days:
                impact.append(f"+{plural(item.schedule_impact_days, 'working day')}")
            if item.cost_impact_cents:
                impact.append("+" + f.money(item.cost_impact_cents, item.currency))
            where = f"{item.client}: {item.project}" if team else item.project
            changes.append(
                (
                    item.description,
                    f"{where} · raised {f.short_date(item.raised_on)}",
                    ", ".join(impact),
                )
            )
        people: list[Row] = [
            (
                p.member,
                f"over capacity on {p.days_over} working day{'s' if p.days_over != 1 else ''}"
                f" from {f.short_date(p.first_day)}",
                f"peak {p.peak_hours:g} h on {f.short_date(p.peak_day)}"
                f" (has {p.capacity_per_day:g} h)",
            )
            for p in a.over_allocated
        ]
        days = (a.until - a.today).days
        sections = [
            ("Open follow-ups", follow_ups, "Nothing open or due."),
            (f"Milestones and deliverables in the next {days} days", due, "Nothing due."),
            ("Change requests waiting for a decision", changes, "No pending change requests."),
        ]
        if a.internal:  # staffing is the agency's business, never on a client's copy
            sections.append(
                ("People over-allocated", people, "Nobody is booked beyond their hours.")
            )
        return sections

    def header(self, c: Canvas) -> float:
        a, f = self.a, self.f
        c.fill(QRectF(0, 0, c.width, 4), ACCENT)
        c.label(0, 14, c.width / 2, a.agency_name, c.font(9, QFont.Weight.DemiBold), INK)
        c.label(
            c.width / 2,
            14,
            c.width / 2,
            f"Agenda · {f.date(a.today)}",
            c.font(9),
            MUTED,
            right=True,
        )
        h = c.text(0, 30, c.width, a.title, c.font(20, QFont.Weight.Bold))
        span = f"{f.date(a.today)} {DASH} {f.date(a.until)}"
        if a.internal and a.client_name is not None:  # the account manager's preparation
            c.label(
                c.width / 2,
                32 + h,
                c.width / 2,
                f"INTERNAL {DASH} not for the client",
                c.font(7.5, QFont.Weight.Bold),
                POOR,
                right=True,
            )
        h += c.text(0, 32 + h, c.width, f"Covering {span}", c.font(9), MUTED)
        # The client's own fields: shareable ones on every copy, the rest only internally.
        own = [*a.client_fields, *(a.private_client_fields if a.internal else ())]
        if own:
            facts = "  ·  ".join(f"{line.label}: {line.value}" for line in own)
            h += c.text(0, 32 + h + 2, c.width, facts, c.font(9), MUTED) + 2
        return 32 + h + 18

    def footer(self, c: Canvas) -> None:
        y = c.height - 10
        c.line(0, y - 4, c.width, y - 4, RULE, 0.5)
        c.label(0, y, c.width / 2, f"{self.a.agency_name} · {self.a.title}", c.font(7), MUTED)
        c.label(c.width / 2, y, c.width / 2, f"Page {c.page}", c.font(7), MUTED, right=True)

    def render(self, device: QPagedPaintDevice) -> None:
        c = Canvas(device)
        c.footer = self.footer
        bottom = c.height - 24
        c.y = self.header(c)
        body = c.font(9.5)
        detail = c.font(8)
        note_font = c.font(8, QFont.Weight.DemiBold)
        for number, (title, rows, empty) in enumerate(self.sections(), start=1):
            c.ensure(60)
            c.fill(QRectF(0, c.y, 20, 20), ACCENT, 10)
            c.text(0, c.y + 4, 20, str(number), c.font(9, QFont.Weight.Bold), BAND, CENTER)
            c.y += c.text(28, c.y + 2, c.width - 28, title, c.font(12, QFont.Weight.DemiBold)) + 10
            if not rows:
                c.y += c.text(28, c.y, c.width - 28, empty, c.font(9, italic=True), MUTED) + 16
                continue
            for text, sub, note in rows:
                note_w = min(c.advance(note, note_font) + 8, 190) if note else 0.0
                w = c.width - 28 - note_w - 20

                def row(
                    y: float,
                    text: str = text,
                    sub: str = sub,
                    note: str = note,
                    w: float = w,
                    note_w: float = note_w,
                ) -> float:
                    if not c.dry:
                        c.painter.save()
                        c.painter.setPen(RULE)
                        c.painter.drawRect(QRectF(30, y + 3, 8, 8))
                        c.painter.restore()
                    h = c.text(46, y, w, text, body)
                    h += c.text(46, y + h, w, sub, detail, MUTED) if sub else 0
                    if note:
                        colour = (
                            POOR if note.startswith("overdue") or note.startswith("peak") else MUTED
                        )
                        c.text(
                            c.width - note_w, y + 1, note_w, note, note_font, colour, RIGHT | WRAP
                        )
                    return h + 7

                h = c.measure(row)
                if c.y + h > bottom:
                    c.new_page()
                c.y += row(c.y)
            c.y += 12
        c.y += 6
        c.ensure(60)
        c.text(0, c.y, c.width, "Notes", c.font(12, QFont.Weight.DemiBold))
        c.y += 22
        while c.y + 22 < bottom:
            c.line(0, c.y, c.width, c.y, RULE, 0.5)
            c.y += 22
        c.finish()


def render_agenda(agenda: Agenda, formats: Formats) -> Callable[[QPagedPaintDevice], None]:
    return AgendaLayout(agenda, formats).render
