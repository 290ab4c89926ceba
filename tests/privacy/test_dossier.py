"""Export of what the agency holds about one person: the JSON holds every seeded string of
theirs and the texts that name them, and nothing about anyone else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db.privacy.dossier import dossier, file_stem, write_json
from db.privacy.lookup import find_person
from db.reports.lookup import NoMatch
from db.store import Store
from tests.privacy.people import BUSINESS, NAMING, OTHER, PERSONAL, seed


def test_the_export_holds_everything_about_the_person_and_nothing_of_others(
    store: Store, tmp_path: Path
) -> None:
    s = seed(store.session)
    path = tmp_path / f"{file_stem(dossier(store.session, s.quilla))}.json"
    write_json(dossier(store.session, s.quilla), path)
    text = path.read_text("utf-8")
    data = json.loads(text)
    for value in [*PERSONAL.values(), *BUSINESS.values()]:
        assert value in text, value
    for original, _edited in NAMING.values():
        assert original in text, original
    for value in OTHER.values():
        assert value not in text, value
    assert data["contact"]["email"] == PERSONAL["email"]
    assert data["custom_fields"] == {"Favourite sweet": PERSONAL["custom"]}
    assert [d["label"] for d in data["important_dates"]] == [PERSONAL["date"]]
    assert [i["summary"] for i in data["interactions"]] == [
        BUSINESS["summary"],
        "Quarterly check-in",
    ]
    assert [f["text"] for f in data["follow_ups_naming_them"]] == [NAMING["follow_up"][0]]
    assert [c["text"] for c in data["satisfaction_comments_naming_them"]] == [NAMING["rating"][0]]
    assert path.name == "personal-data-quilla-vantersby.json"


def test_a_person_is_found_by_email_or_name_and_ambiguity_lists_the_candidates(
    store: Store,
) -> None:
    s = seed(store.session)
    assert find_person(store.session, PERSONAL["email"].upper()) == s.quilla
    assert find_person(store.session, "quilla") == s.quilla
    with pytest.raises(NoMatch, match="no contact"):
        find_person(store.session, "Nobody Atall")
    with pytest.raises(NoMatch) as ambiguous:
        find_person(store.session, "a")
    assert "ambiguous" in str(ambiguous.value)
    assert "Quilla Vantersby" in str(ambiguous.value) and "Bram Oddleworth" in str(ambiguous.value)
    assert "(Vexmoor Ltd)" in str(ambiguous.value)
