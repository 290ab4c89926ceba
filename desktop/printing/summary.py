"""The printed client summary: one to two pages an account manager takes into a meeting.

It lays out a `db.reports.client_summary.ClientSummary`, which has already been cut to its
audience; this module never decides what the client may see, it only prints what it is given.
Sections are blocks measured dry then drawn; two short ones share a row side by side.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPagedPaintDevice

from db.labels import plural
from db.models import NoteKind, ProjectStatus
from db.reports.client_summary import ClientSummary
from desktop.formatting import Formats
from desktop.printing import charts
from desktop.printing.canvas import (
    ACCENT,
    BAND,
    DASH,
    FAIR,
    GOOD,
    INK,
    LEFT,
    MUTED,
    POOR,
    RIGHT,
    RULE,
    WRAP,
    Canvas,
)
from desktop.printing.charts import STAGE_COLORS

Block = Callable[[Canvas, float, float, float], float]  # (canvas, x, y, width) -> height
GAP = 16.0
MAX_PROJECTS = 10  # keeps the section within a page; the rest are counted
GUTTER = 18.0
BRIEF_ORDER = (
    (NoteKind.VISION, "Vision"),
    (NoteKind.GOAL, "Goals"),
    (NoteKind.NEED, "Needs"),
    (NoteKind.PAIN_POINT, "Pain points"),
    (NoteKind.OPPORTUNITY, "Opportunities"),
)
CENTER = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
LEVEL_COLORS = {"good": GOOD, "fair": FAIR, "poor": POOR}


def _label(value: str) -> str:
    text = value.replace("_", " ")
    return text[:1].upper() + text[1:]


class SummaryLayout:
    def __init__(self, summary: ClientSummary, formats: Formats) -> None:
        self.s = summary
        self.f = formats

    # -- pieces -------------------------------------------------------------------------------

    def heading(self, c: Canvas, x: float, y: float, w: float, title: str) -> float:
        h = c.text(x, y, w, title.upper(), c.font(7.5, QFont.Weight.Bold), ACCENT, LEFT)
        c.line(x, y + h + 2, x + w, y + h + 2, RULE, 0.75)
        return h + 7

    def bullets(
        self, c: Canvas, x: float, y: float, w: float, items: list[tuple[str, str]]
    ) -> float:
        """Lines of (text, note on the right)."""
        body = c.font(8.5)
        small = c.font(7.5)
        at = y
        for text, note in items:
            note_w = c.advance(note, small) + 6 if note else 0.0
            h = c.text(x + 8, at, w - 8 - note_w, text, body, INK, LEFT | WRAP)
            c.fill(QRectF(x + 1, at + 4.5, 3, 3), ACCENT, 1.5)
            if note:
                c.text(x + w - note_w, at + 1, note_w, note, small, MUTED, RIGHT)
            at += h + 3
        return at - y

    def empty(self, c: Canvas, x: float, y: float, w: float, text: str) -> float:
        return c.text(x, y, w, text, c.font(8.5, italic=True), MUTED, LEFT) + 2

    # -- blocks -------------------------------------------------------------------------------

    def header(self, c: Canvas, x: float, y: float, w: float) -> float:
        s, f = self.s, self.f
        c.fill(QRectF(x, y, w, 4), ACCENT)
        top = y + 14
        right_w = 170.0
        agency = c.text(
            x + w - right_w,
            top,
            right_w,
            s.agency_name,
            c.font(9, QFont.Weight.DemiBold),
            INK,
            RIGHT,
        )
        kind = "Internal briefing" if s.internal else "Client summary"
        c.text(
            x + w - right_w,
            top + agency + 1,
            right_w,
            f"{kind} · {f.date(s.today)}",
            c.font(8),
            MUTED,
            RIGHT,
        )
        name_h = c.text(x, top, w - right_w - 10, s.client_name, c.font(22, QFont.Weight.Bold))
        facts = [part for part in (s.industry, _label(s.status)) if part]
        if s.client_since:
            facts.append(f"Client since {f.date(s.client_since)}")
        if s.account_manager:
            facts.append(f"Account manager: {s.account_manager}")
        sub = c.text(x, top + name_h + 2, w - 10, "  ·  ".join(facts), c.font(9), MUTED)
        if s.fields:  # the agency's own fields the client may see
            own = "  ·  ".join(f"{line.label}: {line.value}" for line in s.fields)
            sub += c.text(x, top + name_h + 2 + sub + 1, w - 10, own, c.font(9), MUTED) + 1
        at = top + name_h + 2 + sub + 10
        if s.internal:
            at += self.health_band(c, x, at, w)
        return at - y

    def health_band(self, c: Canvas, x: float, y: float, w: float) -> float:
        s = self.s
        colour = LEVEL_COLORS.get(s.health_level, MUTED)
        pad = 8.0
        reasons = "; ".join(s.health_reasons) or "nothing to worry about"
        text_x = x + 96
        text_w = w - 96 - pad - 120
        body = c.font(8.5)
        h = max(c.measure(lambda _y: c.text(text_x, 0, text_w, reasons, body)) + 2 * pad, 34)
        c.fill(QRectF(x, y, w, h), BAND, 4)
        c.fill(QRectF(x + pad, y + (h - 20) / 2, 78, 20), colour, 10)
        c.text(
            x + pad,
            y + (h - 20) / 2 + 4,
            78,
            f"Health {s.health_score}",
            c.font(9, QFont.Weight.Bold),
            QColor("white"),
            CENTER,
        )
        c.text(text_x, y + pad, text_w, reasons, body)
        c.text(
            x + w - 120 - pad,
            y + pad,
            120,
            f"INTERNAL {DASH} not for the client",
            c.font(7.5, QFont.Weight.Bold),
            POOR,
            RIGHT | WRAP,
        )
        return h + GAP

    def brief(self, c: Canvas, x: float, y: float, w: float) -> float:
        at = y + self.heading(c, x, y, w, "Brief")
        brief = self.s.all_brief  # for the client: what they told us (see db.reports)
        if not brief:
            return at - y + self.empty(c, x, at, w, "No brief recorded yet.")
        seen: set[tuple[NoteKind, str]] = set()
        for kind, title in BRIEF_ORDER:
            lines = []
            for line in brief:
                if line.kind is kind and (kind, line.text) not in seen:
                    seen.add((kind, line.text))
                    lines.append((line.text, "long term" if line.long_term else ""))
            if not lines:
                continue
            at += c.text(x, at, w, title, c.font(8.5, QFont.Weight.DemiBold)) + 2
            at += self.bullets(c, x, at, w, lines[:4]) + 3
        return at - y

    def contacts(self, c: Canvas, x: float, y: float, w: float) -> float:
        at = y + self.heading(c, x, y, w, "Key contacts")
        if not self.s.contacts:
            return at - y + self.empty(c, x, at, w, "No contacts yet.")
        for person in self.s.contacts[:6]:
            at += c.text(x, at, w, person.name, c.font(9, QFont.Weight.DemiBold))
            if person.title:
                at += c.text(x, at, w, person.title, c.font(8), MUTED)
            for reach in (person.email, person.phone):
                if reach:
                    at += c.text(x, at, w, reach, c.font(7.5), MUTED, LEFT)
            for line in person.fields:
                at += c.text(x, at, w, f"{line.label}: {line.value}", c.font(7.5), MUTED, LEFT)
            at += 5
        return at - y

    def communication(self, c: Canvas, x: float, y: float, w: float) -> float:
        at = y + self.heading(c, x, y, w, "Recent communication")
        if not self.s.communication:
            return at - y + self.empty(c, x, at, w, "Nothing logged yet.")
        date_w = 62.0
        for item in self.s.communication:
            c.text(x, at, date_w, self.f.short_date(item.when), c.font(8), MUTED, LEFT)
            who = f" with {', '.join(item.with_names)}" if item.with_names else ""
            head = f"{_label(item.kind.value)}{who}"
            h = c.text(x + date_w, at, w - date_w, head, c.font(8, QFont.Weight.DemiBold))
            h += c.text(x + date_w, at + h, w - date_w, item.summary, c.font(8.5))
            at += h + 4
        return at - y

    def follow_ups(self, c: Canvas, x: float, y: float, w: float) -> float:
        at = y + self.heading(c, x, y, w, "Open follow-ups")
        # The client's copy holds only the shared ones; ours marks which the client sees.
        follow_ups = self.s.all_follow_ups
        if not follow_ups:
            return at - y + self.empty(c, x, at, w, "Nothing open.")
        items = []
        for item in follow_ups:
            due = f"due {self.f.short_date(item.due)}"
            owner = f" · {item.owner}" if item.owner else ""
            seen = (" · shared" if item.shared else " · internal") if self.s.internal else ""
            items.append((item.title, f"{due}{owner}{seen}"))
        return at - y + self.bullets(c, x, at, w, items)

    def upcoming(self, c: Canvas, x: float, y: float, w: float) -> float:
        at = y + self.heading(c, x, y, w, "Upcoming dates")
        lines = [(d.label, self.f.short_date(d.when)) for d in self.s.upcoming]
        if not lines:
            return at - y + self.empty(c, x, at, w, "Nothing in the next two months.")
        return at - y + self.bullets(c, x, at, w, lines)

    def satisfaction(self, c: Canvas, x: float, y: float, w: float) -> float:
        at = y + self.heading(c, x, y, w, "Satisfaction")
        points = [(r.when, r.score) for r in self.s.ratings]
        if not points:
            return at - y + self.empty(c, x, at, w, "No ratings yet.")
        at += charts.trend(c, x, at, w, 58, points)
        first, last = points[0][0], points[-1][0]
        span = f"{len(points)} ratings, {self.f.short_date(first)} {DASH} {self.f.date(last)}"
        at += c.text(x, at + 2, w, span, c.font(7.5), MUTED) + 2
        return at - y

    def projects(self, c: Canvas, x: float, y: float, w: float) -> float:
        s, f = self.s, self.f
        at = y + self.heading(c, x, y, w, "Projects")
        if not s.projects:
            return at - y + self.empty(c, x, at, w, "No projects yet.")
        name_w, status_w, slip_w, money_w = 150.0, 58.0, 70.0, 92.0
        line_w = w - name_w - status_w - slip_w - money_w - 12
        shown = s.projects[:MAX_PROJECTS]
        days = [d for p in shown for d in (p.start, p.planned_finish, p.due) if d]
        first = min([*days, s.today]).toordinal()
        last = max([*days, s.today]).toordinal() + 1
        small = c.font(7, QFont.Weight.DemiBold)
        lx = x + name_w + status_w
        c.text(x, at, name_w, "Project", small, MUTED, LEFT)
        c.text(x + name_w, at, status_w, "Status", small, MUTED, LEFT)
        c.text(lx, at, line_w / 2, f.short_date(date.fromordinal(first)), small, MUTED, LEFT)
        c.text(
            lx + line_w / 2,
            at,
            line_w / 2,
            f.short_date(date.fromordinal(last - 1)),
            small,
            MUTED,
            RIGHT,
        )
        c.text(lx + line_w + 6, at, slip_w, "Schedule", small, MUTED, LEFT)
        c.text(x + w - money_w, at, money_w, "Spent / budget", small, MUTED, RIGHT)
        at += 12
        for n, p in enumerate(s.projects[:MAX_PROJECTS]):
            row_h = 24.0
            if n % 2 == 0:
                c.fill(QRectF(x - 3, at - 2, w + 6, row_h), BAND, 2)
            c.text(x, at, name_w - 6, p.name, c.font(8.5, QFont.Weight.DemiBold), INK, LEFT)
            dates = (
                f"{f.short_date(p.start, DASH)} → {f.short_date(p.planned_finish or p.due, DASH)}"
            )
            c.text(x, at + 11, name_w - 6, dates, c.font(7), MUTED, LEFT)
            c.text(x + name_w, at + 3, status_w, _label(p.status.value), c.font(8), INK, LEFT)
            closed = p.status in (ProjectStatus.DONE, ProjectStatus.CANCELLED)
            charts.mini_timeline(
                c,
                lx,
                at + 4,
                line_w,
                (first, last),
                p.start,
                p.planned_finish,
                p.due,
                s.today,
                p.progress,
                p.late_days > 0,
            )
            if closed:
                slip, colour = "Completed" if p.status is ProjectStatus.DONE else "Cancelled", MUTED
            elif p.late_days > 0:
                slip, colour = f"{plural(p.late_days, 'working day')} late", POOR
            else:
                slip, colour = "On schedule", GOOD
            c.text(
                lx + line_w + 6,
                at + 1,
                slip_w,
                slip,
                c.font(8, QFont.Weight.DemiBold),
                colour,
                LEFT | WRAP,
            )
            c.text(lx + line_w + 6, at + 11, slip_w, f"{p.progress}% done", c.font(7), MUTED, LEFT)
            money = f.compact_money
            spent = f"{money(p.spent_cents, s.currency)} / {money(p.budget_cents, s.currency)}"
            c.text(x + w - money_w, at + 3, money_w, spent, c.font(8), INK, RIGHT)
            at += row_h
        hidden = len(s.projects) - MAX_PROJECTS
        if hidden > 0:
            more = f"and {hidden} more project{'s' if hidden > 1 else ''}"
            at += c.text(x, at + 2, w, more, c.font(8, italic=True), MUTED) + 2
        return at - y + 2

    def money(self, c: Canvas, x: float, y: float, w: float) -> float:
        s, f = self.s, self.f
        at = y + self.heading(
            c,
            x,
            y,
            w,
            "Budget, spend and pipeline" if s.internal else "Budget, spend and proposals",
        )
        half = (w - GUTTER) / 2
        rows = [
            (
                "Annual budget",
                s.annual_budget_cents,
                f.money(s.annual_budget_cents, s.currency),
                QColor("#80868b"),
            ),
            ("Revenue secured", s.revenue_cents, f.money(s.revenue_cents, s.currency), ACCENT),
            ("Spent to date", s.spend_cents, f.money(s.spend_cents, s.currency), QColor("#e37400")),
        ]
        left_h = charts.money_bars(c, x, at, half, rows)
        if s.annual_budget_cents:
            share = round(s.revenue_cents * 100 / s.annual_budget_cents)
            left_h += (
                c.text(
                    x,
                    at + left_h + 2,
                    half,
                    f"{share}% of the annual budget is committed.",
                    c.font(7.5),
                    MUTED,
                )
                + 2
            )
        rx = x + half + GUTTER
        title_h = c.text(
            rx,
            at,
            half,
            "Pipeline by stage" if s.internal else "Proposals",
            c.font(8, QFont.Weight.DemiBold),
            INK,
        )
        parts = [
            (
                f"{_label(line.stage.value)} ({line.count})",
                line.value_cents,
                f.compact_money(line.value_cents, s.currency),
                STAGE_COLORS[line.stage.value],
            )
            for line in s.all_pipeline
        ]
        if parts:
            right_h = title_h + 4 + charts.stacked_bar(c, rx, at + title_h + 4, half, parts)
        else:
            right_h = title_h + self.empty(c, rx, at + title_h + 2, half, "None open.")
        return at - y + max(left_h, right_h) + 2

    def private(self, c: Canvas, x: float, y: float, w: float) -> float:
        """Internal pages only: rapport, personal dates, gifts and the agency's own notes."""
        s, f = self.s, self.f
        at = y + self.heading(c, x, y, w, "Internal: rapport, dates and notes")
        body = c.font(8.5)
        bold = c.font(8.5, QFont.Weight.DemiBold)
        sections: list[tuple[str, list[tuple[str, str]]]] = [
            ("Internal fields", [(f"{i.label}: {i.value}", "") for i in s.private_fields]),
            ("Rapport", [(f"{r.name}: {r.notes}", "") for r in s.rapport]),
            ("Personal dates", [(d.label, f.short_date(d.when)) for d in s.personal_dates]),
            (
                "Gifts",
                [
                    (
                        f"{g.description}"
                        + (f" for {g.contact}" if g.contact else "")
                        + (f" ({g.occasion})" if g.occasion else ""),
                        f"{_label(g.state.value)} · {f.money(g.cost_cents, s.currency)}",
                    )
                    for g in s.gifts
                ],
            ),
            ("Internal notes", [(n.text, f.short_date(n.when)) for n in s.internal_notes]),
            (
                "Rating comments",
                [
                    (f"{score}/10: {text}", f.short_date(day))
                    for day, score, text in s.rating_comments
                ],
            ),
        ]
        for title, items in sections:
            if not items:
                continue
            at += c.text(x, at, w, title, bold) + 2
            at += self.bullets(c, x, at, w, items) + 3
        if at == y:
            at += c.text(x, at, w, "Nothing private recorded.", body, MUTED)
        return at - y

    # -- the document -------------------------------------------------------------------------

    def rows(self) -> list[tuple[Block, ...]]:
        rows: list[tuple[Block, ...]] = [
            (self.header,),
            (self.brief, self.contacts),
            (self.projects,),
            (self.money,),
            (self.communication, self.follow_ups),
            (self.satisfaction, self.upcoming),
        ]
        if self.s.internal:
            rows.append((self.private,))
        return rows

    def footer(self, c: Canvas) -> None:
        s = self.s
        y = c.height - 10
        c.line(0, y - 4, c.width, y - 4, RULE, 0.5)
        note = (
            f"Internal {DASH} not for the client" if s.internal else "Prepared for " + s.client_name
        )
        c.text(0, y, c.width / 2, f"{s.agency_name} · {note}", c.font(7), MUTED, LEFT)
        c.text(c.width / 2, y, c.width / 2, f"Page {c.page}", c.font(7), MUTED, RIGHT)

    def render(self, device: QPagedPaintDevice) -> None:
        c = Canvas(device)
        c.footer = self.footer
        bottom = c.height - 20
        c.start()
        for row in self.rows():
            width = c.width if len(row) == 1 else (c.width - GUTTER * (len(row) - 1)) / len(row)

            def draw_row(y: float, row: tuple[Block, ...] = row, width: float = width) -> float:
                return max(block(c, n * (width + GUTTER), y, width) for n, block in enumerate(row))

            height = c.measure(draw_row)
            if c.y + height > bottom and c.y > 0:
                c.new_page()
            c.y += draw_row(c.y) + GAP
        c.finish()


def render_summary(summary: ClientSummary, formats: Formats) -> Callable[[QPagedPaintDevice], None]:
    return SummaryLayout(summary, formats).render
