"""The client summary: the audience whitelist in `db.reports`, and the printed PDF proving no
private string reaches the client's copy while the internal one carries them all."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale

from db.reports.client_summary import (
    CLIENT_VISIBLE,
    SHARED_STAGES,
    Audience,
    ClientSummary,
    client_summary,
    for_audience,
)
from db.store import Store
from desktop.printing.reports import write_summary_pdf
from tests.printing.conftest import (
    CLIENT,
    PRIVATE,
    PUBLIC,
    TODAY,
    pdf_page_size,
    pdf_pages,
    pdf_text,
    render_png,
    requires_poppler,
)

pytestmark = pytest.mark.usefixtures("qapp")


def _client_id(store: Store) -> str:
    from db.reports.lookup import find_client

    return find_client(store.session, CLIENT)


def test_client_facing_data_keeps_only_whitelisted_fields(printing_store: Store) -> None:
    full = client_summary(
        printing_store.session, _client_id(printing_store), TODAY, Audience.INTERNAL
    )
    assert full.rapport and full.gifts and full.personal_dates and full.internal_notes
    assert full.health_reasons and full.rating_comments
    client = for_audience(full, Audience.CLIENT)
    for f in fields(ClientSummary):
        if f.name not in CLIENT_VISIBLE:
            assert getattr(client, f.name) == f.default, f.name
    assert client.contacts == full.contacts
    assert all(line.stage in SHARED_STAGES for line in client.pipeline)
    assert PRIVATE["rapport"] not in repr(client)


def test_every_private_string_is_outside_the_whitelisted_fields(printing_store: Store) -> None:
    full = client_summary(
        printing_store.session, _client_id(printing_store), TODAY, Audience.INTERNAL
    )
    visible = repr([getattr(full, name) for name in sorted(CLIENT_VISIBLE)])
    for what, text in PRIVATE.items():
        assert text not in visible, what
    for reason in full.health_reasons:
        assert reason not in visible


@requires_poppler
def test_client_pdf_leaves_out_everything_private(printing_store: Store, tmp_path: Path) -> None:
    client_id = _client_id(printing_store)
    client_pdf = tmp_path / "client.pdf"
    internal_pdf = tmp_path / "internal.pdf"
    write_summary_pdf(printing_store.session, client_id, client_pdf, today=TODAY)
    write_summary_pdf(
        printing_store.session, client_id, internal_pdf, audience=Audience.INTERNAL, today=TODAY
    )
    client_text = pdf_text(client_pdf)
    internal_text = pdf_text(internal_pdf)
    reasons = client_summary(
        printing_store.session, client_id, TODAY, Audience.INTERNAL
    ).health_reasons
    assert reasons
    for what, text in PRIVATE.items():
        assert text not in client_text, f"{what} reached the client's PDF"
        assert text in internal_text, f"{what} missing from the internal PDF"
    for reason in reasons:
        assert reason not in client_text
        assert reason in internal_text
    assert "Health" not in client_text and "INTERNAL" not in client_text
    for what, text in PUBLIC.items():
        assert text in client_text, f"{what} missing from the client's PDF"
    assert 1 <= pdf_pages(client_pdf) <= 2
    assert render_png(client_pdf, tmp_path).stat().st_size > 5_000


@requires_poppler
def test_summary_is_one_or_two_pages_for_every_demo_client(
    printing_store: Store, tmp_path: Path
) -> None:
    from sqlalchemy import select

    from db.models import Client

    for n, client_id in enumerate(printing_store.session.scalars(select(Client.id)).all()[:8]):
        out = tmp_path / f"{n}.pdf"
        write_summary_pdf(
            printing_store.session, client_id, out, audience=Audience.INTERNAL, today=TODAY
        )
        assert 1 <= pdf_pages(out) <= 2, client_id


@requires_poppler
@pytest.mark.parametrize(
    ("locale", "paper", "money"),
    [
        (
            QLocale(QLocale.Language.English, QLocale.Country.UnitedStates),
            "612 x 792 pts (letter)",
            "€90,000",
        ),
        (QLocale(QLocale.Language.German, QLocale.Country.Germany), "595 x 842 pts (A4)", "90.000"),
    ],
)
def test_paper_and_money_follow_the_locale(
    printing_store: Store, tmp_path: Path, locale: QLocale, paper: str, money: str
) -> None:
    out = tmp_path / "summary.pdf"
    write_summary_pdf(
        printing_store.session, _client_id(printing_store), out, today=TODAY, locale=locale
    )
    assert pdf_page_size(out).startswith(paper)
    assert money in pdf_text(out)


@requires_poppler
def test_only_the_bundled_font_is_embedded(printing_store: Store, tmp_path: Path) -> None:
    import subprocess

    out = tmp_path / "summary.pdf"
    write_summary_pdf(printing_store.session, _client_id(printing_store), out, today=TODAY)
    listing = subprocess.run(["pdffonts", str(out)], check=True, capture_output=True, text=True)
    fonts = [line.split()[0] for line in listing.stdout.splitlines()[2:]]
    assert fonts and all(name.startswith("Inter") for name in fonts), fonts
    assert all(" yes " in line for line in listing.stdout.splitlines()[2:])  # embedded
