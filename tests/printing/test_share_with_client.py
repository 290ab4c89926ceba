"""Follow-ups are internal unless marked "share with client": the client's summary and their
meeting agenda print only the marked ones, and the agenda never shows the agency's staffing.
Read back from the PDFs, with the distinctive private strings of the printing fixture."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from db.am.operations import share_follow_up
from db.models import FollowUp
from db.reports.client_summary import Audience
from db.store import Store
from desktop.printing.reports import write_agenda_pdf, write_summary_pdf
from tests.printing.conftest import (
    CLIENT,
    PRIVATE,
    PUBLIC,
    TODAY,
    pdf_text,
    render_png,
    requires_poppler,
)

pytestmark = [pytest.mark.usefixtures("qapp"), requires_poppler]


def _client_id(store: Store) -> str:
    from db.reports.lookup import find_client

    return find_client(store.session, CLIENT)


def _follow_up(store: Store, title: str) -> FollowUp:
    found = store.session.scalars(select(FollowUp).where(FollowUp.title == title)).one()
    return found


def _agenda_texts(store: Store, tmp_path: Path) -> tuple[str, str]:
    client_id = _client_id(store)
    theirs, mine = tmp_path / "agenda-client.pdf", tmp_path / "agenda-internal.pdf"
    write_agenda_pdf(store.session, theirs, client_id=client_id, days=14, today=TODAY)
    write_agenda_pdf(
        store.session,
        mine,
        client_id=client_id,
        audience=Audience.INTERNAL,
        days=14,
        today=TODAY,
    )
    assert render_png(theirs, tmp_path).stat().st_size > 3_000
    return pdf_text(theirs), pdf_text(mine)


def test_client_agenda_leaves_out_everything_private(printing_store: Store, tmp_path: Path) -> None:
    client_text, internal_text = _agenda_texts(printing_store, tmp_path)
    for what, text in PRIVATE.items():
        assert text not in client_text, f"{what} reached the client's agenda"
    assert PRIVATE["follow-up"] in internal_text
    assert PUBLIC["follow-up"] in client_text and PUBLIC["follow-up"] in internal_text
    assert "People over-allocated" not in client_text
    assert "People over-allocated" in internal_text


def test_marking_a_follow_up_lets_it_reach_the_client_and_unmarking_takes_it_back(
    printing_store: Store, tmp_path: Path
) -> None:
    client_id = _client_id(printing_store)
    surprise = _follow_up(printing_store, PRIVATE["follow-up"])
    summary = tmp_path / "summary.pdf"

    printing_store.apply(share_follow_up(surprise.id, surprise.title, True))
    write_summary_pdf(printing_store.session, client_id, summary, today=TODAY)
    assert PRIVATE["follow-up"] in pdf_text(summary)
    assert PRIVATE["follow-up"] in _agenda_texts(printing_store, tmp_path)[0]

    printing_store.apply(share_follow_up(surprise.id, surprise.title, False))
    write_summary_pdf(printing_store.session, client_id, summary, today=TODAY)
    assert PRIVATE["follow-up"] not in pdf_text(summary)
    assert PRIVATE["follow-up"] not in _agenda_texts(printing_store, tmp_path)[0]


def test_the_internal_summary_says_which_follow_ups_the_client_sees(
    printing_store: Store, tmp_path: Path
) -> None:
    out = tmp_path / "internal.pdf"
    write_summary_pdf(
        printing_store.session,
        _client_id(printing_store),
        out,
        audience=Audience.INTERNAL,
        today=TODAY,
    )
    text = pdf_text(out)
    assert PRIVATE["follow-up"] in text and PUBLIC["follow-up"] in text
    assert "· internal" in text and "· shared" in text
