"""Custom fields on paper: a shareable field prints on the client's summary and agenda; an
internal one only on the agency's own copies. Read back from the PDFs."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.am.custom_fields import add_field, edit_field, set_values
from db.models import Contact, CustomFieldKind, CustomFieldTarget
from db.reports.client_summary import Audience, client_summary
from db.store import Store
from desktop.printing.reports import write_agenda_pdf, write_summary_pdf
from tests.printing.conftest import CLIENT, TODAY, pdf_text, requires_poppler

pytestmark = [pytest.mark.usefixtures("qapp"), requires_poppler]


def _fill(store: Store) -> tuple[str, str]:
    from db.reports.lookup import find_client

    client_id = find_client(store.session, CLIENT)
    region = add_field(CustomFieldTarget.CLIENT, "Region", CustomFieldKind.TEXT, shareable=True)
    margin = add_field(CustomFieldTarget.CLIENT, "Target margin", CustomFieldKind.NUMBER)
    pet = add_field(CustomFieldTarget.CONTACT, "Dog's name", CustomFieldKind.TEXT)
    language = add_field(
        CustomFieldTarget.CONTACT, "Language", CustomFieldKind.TEXT, shareable=True
    )
    for op in (region, margin, pet, language):
        store.apply(op)
    store.apply(
        set_values(
            store.session,
            CustomFieldTarget.CLIENT,
            client_id,
            {region.id: "Nordic markets", margin.id: "37.5"},
            CLIENT,
        )
    )
    contact = store.session.query(Contact).filter_by(client_id=client_id).first()
    store.apply(
        set_values(
            store.session,
            CustomFieldTarget.CONTACT,
            contact.id,
            {pet.id: "Biscuitsnap", language.id: "Finnish"},
            contact.name,
        )
    )
    return client_id, margin.id


def test_shareable_fields_reach_the_client_and_internal_ones_never(
    printing_store: Store, tmp_path: Path
) -> None:
    client_id, margin = _fill(printing_store)
    theirs = client_summary(printing_store.session, client_id, TODAY, Audience.CLIENT)
    assert [(f.label, f.value) for f in theirs.fields] == [("Region", "Nordic markets")]
    assert theirs.private_fields == ()
    mine = client_summary(printing_store.session, client_id, TODAY, Audience.INTERNAL)
    assert ("Target margin", "37.5") in [(f.label, f.value) for f in mine.private_fields]

    summary, internal = tmp_path / "summary.pdf", tmp_path / "internal.pdf"
    write_summary_pdf(printing_store.session, client_id, summary, today=TODAY)
    write_summary_pdf(
        printing_store.session, client_id, internal, today=TODAY, audience=Audience.INTERNAL
    )
    client_text, internal_text = pdf_text(summary), pdf_text(internal)
    assert "Region: Nordic markets" in client_text and "Language: Finnish" in client_text
    for private in ("Target margin", "Biscuitsnap"):
        assert private not in client_text, f"{private} reached the client's summary"
        assert private in internal_text

    agenda, agenda_internal = tmp_path / "agenda.pdf", tmp_path / "agenda-internal.pdf"
    write_agenda_pdf(printing_store.session, agenda, client_id=client_id, days=14, today=TODAY)
    write_agenda_pdf(
        printing_store.session,
        agenda_internal,
        client_id=client_id,
        audience=Audience.INTERNAL,
        days=14,
        today=TODAY,
    )
    assert "Region: Nordic markets" in pdf_text(agenda)
    assert "Target margin" not in pdf_text(agenda)
    assert "Target margin: 37.5" in pdf_text(agenda_internal)

    # Marking a field shareable lets it reach the client; unmarking takes it back.
    printing_store.apply(edit_field(printing_store.session, margin, {"shareable": True}))
    write_summary_pdf(printing_store.session, client_id, summary, today=TODAY)
    assert "Target margin: 37.5" in pdf_text(summary)
    printing_store.apply(edit_field(printing_store.session, margin, {"shareable": False}))
    write_summary_pdf(printing_store.session, client_id, summary, today=TODAY)
    assert "Target margin" not in pdf_text(summary)
