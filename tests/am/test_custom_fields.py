"""Custom fields without a display: definitions and their rules, values typed by kind and
locale, one undo step per edit, and both travelling through sync like any other field."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.am.custom_fields import (
    add_field,
    delete_field,
    display_value,
    edit_field,
    fields_of,
    parse_value,
    set_values,
    sort_key,
    values_of,
)
from db.errors import ValidationError
from db.models import (
    Client,
    Contact,
    CustomField,
    CustomFieldKind,
    CustomFieldTarget,
    CustomValue,
    value_id,
)
from db.operations import Create
from db.store import Store
from tests.sync.harness import Bench, conflicts, dump

from .conftest import Agency

CLIENT, CONTACT = CustomFieldTarget.CLIENT, CustomFieldTarget.CONTACT


def field(store: Store, name: str, kind: CustomFieldKind, *choices: str, **kw: bool) -> str:
    op = add_field(CLIENT if not kw.pop("contact", False) else CONTACT, name, kind, choices, **kw)
    store.apply(op)
    return op.id


def test_fields_are_added_renamed_and_deleted_each_one_undo_step(agency: Agency) -> None:
    store = agency.store
    c = agency.client()
    region = field(store, "Region", CustomFieldKind.CHOICE, "North", "South")
    field(store, "Birthday gift?", CustomFieldKind.TEXT, contact=True)
    assert [f.name for f in fields_of(agency.session, CLIENT)] == ["Region"]
    assert [f.name for f in fields_of(agency.session, CONTACT)] == ["Birthday gift?"]
    store.apply(set_values(agency.session, CLIENT, c.id, {region: "north"}, "Acme"))
    assert values_of(agency.session, CLIENT) == {c.id: {region: "North"}}  # as listed
    rename = edit_field(agency.session, region, {"name": "Sales region"})
    assert rename.label == "Rename field “Region” to “Sales region”"
    store.apply(rename)
    assert fields_of(agency.session, CLIENT)[0].name == "Sales region"
    store.revert(rename)
    assert fields_of(agency.session, CLIENT)[0].name == "Region"
    gone = delete_field(agency.session, region)
    store.apply(gone)
    assert fields_of(agency.session, CLIENT) == [] and values_of(agency.session, CLIENT) == {}
    store.revert(gone)  # the field and its values come back
    assert values_of(agency.session, CLIENT) == {c.id: {region: "North"}}


def test_definition_rules_refuse_with_the_field_named(agency: Agency) -> None:
    store = agency.store
    c = agency.client()
    tier = field(store, "Tier", CustomFieldKind.CHOICE, "Gold", "Silver")
    with pytest.raises(ValidationError, match="Field name: clients already have a field “tier”"):
        store.apply(add_field(CLIENT, "tier", CustomFieldKind.TEXT))
    store.apply(add_field(CONTACT, "Tier", CustomFieldKind.TEXT))  # contacts may have one
    with pytest.raises(ValidationError, match="Field name: must not be empty"):
        store.apply(add_field(CLIENT, "  ", CustomFieldKind.TEXT))
    with pytest.raises(ValidationError, match="a choice field needs at least one choice"):
        store.apply(add_field(CLIENT, "Size", CustomFieldKind.CHOICE, ["", " "]))
    with pytest.raises(ValidationError, match="the choice “gold” is listed twice"):
        store.apply(add_field(CLIENT, "Size", CustomFieldKind.CHOICE, ["Gold", "gold"]))
    store.apply(set_values(agency.session, CLIENT, c.id, {tier: "Gold"}, "Acme"))
    with pytest.raises(ValidationError, match="Tier: the choice “Gold” is in use by 1 record"):
        store.apply(edit_field(agency.session, tier, {"choices": ["Silver", "Bronze"]}))
    with pytest.raises(ValidationError, match="Tier: cannot change what it is while 1 record"):
        store.apply(edit_field(agency.session, tier, {"kind": CustomFieldKind.TEXT}))
    store.apply(edit_field(agency.session, tier, {"choices": ["Gold", "Silver", "Bronze"]}))
    assert fields_of(agency.session, CLIENT)[0].choices == ("Gold", "Silver", "Bronze")


def test_values_parse_by_kind_and_locale() -> None:
    from db.am.custom_fields import FieldDef

    def of(kind: CustomFieldKind, *choices: str) -> FieldDef:
        return FieldDef("f", CLIENT, "Size", kind, choices, False, 0)

    number = of(CustomFieldKind.NUMBER)
    assert parse_value(number, "12.5") == "12.5"
    assert parse_value(number, "12,5", decimal=",", group=".") == "12.5"  # German
    assert parse_value(number, "1.250,00", decimal=",", group=".") == "1250"
    assert parse_value(number, "1,250", decimal=".", group=",") == "1250"
    with pytest.raises(ValidationError, match="“12,5” is not a number here: “,” separates"):
        parse_value(number, "12,5", decimal=".", group=",")  # never silently 125
    with pytest.raises(ValidationError, match="Size: “lots” is not a number"):
        parse_value(number, "lots")
    assert display_value(number, "12.5", decimal=",") == "12,5"
    when = of(CustomFieldKind.DATE)
    assert parse_value(when, "2026-03-18") == "2026-03-18"
    assert display_value(when, "2026-03-18") == "18 Mar 2026"
    with pytest.raises(ValidationError, match="is not a date"):
        parse_value(when, "18/03/2026")
    choice = of(CustomFieldKind.CHOICE, "Small", "Large")
    with pytest.raises(ValidationError, match=r"“Huge” is not one of its choices \(Small, Large\)"):
        parse_value(choice, "Huge")
    assert parse_value(of(CustomFieldKind.TEXT), "  two   words ") == "two words"
    assert parse_value(number, "") == ""  # blank: no value
    assert sorted(["10", "9", "", "100"], key=lambda v: sort_key(number, v)) == [
        "9",
        "10",
        "100",
        "",
    ]
    assert sorted(["Large", "Small"], key=lambda v: sort_key(choice, v)) == ["Small", "Large"]


def test_one_records_fields_are_one_step_and_blank_removes_a_value(agency: Agency) -> None:
    store = agency.store
    c = agency.client()
    jo = agency.add(Contact, client_id=c.id, name="Jo")
    size = field(store, "Size", CustomFieldKind.NUMBER)
    since = field(store, "Signed", CustomFieldKind.DATE)
    hobby = field(store, "Hobby", CustomFieldKind.TEXT, contact=True)
    both = set_values(agency.session, CLIENT, c.id, {size: "40", since: "2025-01-06"}, "Acme")
    assert both.label == "Edit fields of “Acme”"
    store.apply(both)
    assert values_of(agency.session, CLIENT)[c.id] == {size: "40", since: "2025-01-06"}
    one = set_values(agency.session, CLIENT, c.id, {size: "", since: "2025-01-06"}, "Acme")
    assert one.label == "Set “Size” of “Acme”"  # only what changes is a step
    store.apply(one)
    assert values_of(agency.session, CLIENT)[c.id] == {since: "2025-01-06"}
    store.revert(one)
    assert values_of(agency.session, CLIENT)[c.id] == {size: "40", since: "2025-01-06"}
    store.revert(both)
    assert values_of(agency.session, CLIENT) == {}
    store.apply(set_values(agency.session, CONTACT, jo.id, {hobby: "Sailing"}, "Jo"))
    assert values_of(agency.session, CONTACT) == {jo.id: {hobby: "Sailing"}}
    with pytest.raises(ValidationError, match="Size: “big” is not a number"):
        set_values(agency.session, CLIENT, c.id, {size: "big"}, "Acme")
    # Deleting the contact takes its values along.
    from db.operations import Delete

    store.apply(Delete(Contact, jo.id))
    assert agency.session.query(CustomValue).filter_by(contact_id=jo.id).count() == 0


def test_definitions_and_values_sync_and_the_same_field_set_twice_is_one_row(
    tmp_path: Path,
) -> None:
    with_bench = Bench(tmp_path, 2)
    try:
        a, b = with_bench.stations
        acme = Create(Client, {"name": "Acme"})
        a.apply(acme)
        add = add_field(CLIENT, "Region", CustomFieldKind.CHOICE, ["North", "South"])
        a.apply(add)
        with_bench.settle()
        store_b = b.open()
        store_b.session.commit()
        assert [f.name for f in fields_of(store_b.session, CLIENT)] == ["Region"]
        # Both stations fill in the same field of the same client before syncing.
        a.apply(set_values(a.open().session, CLIENT, acme.id, {add.id: "North"}, "Acme"))
        b.apply(set_values(store_b.session, CLIENT, acme.id, {add.id: "South"}, "Acme"))
        b.apply(edit_field(store_b.session, add.id, {"shareable": True}))
        with_bench.settle()
        assert dump(a.path) == dump(b.path)  # converged
        rows = a.sql("SELECT id, value FROM custom_value")
        assert len(rows) == 1 and rows[0][0] == value_id(add.id, acme.id)
        listed = conflicts(a.path) + conflicts(b.path)
        assert any(c["entity"] == "CustomValue" and c["field"] == "value" for c in listed)
        store_a = a.open()
        store_a.session.commit()
        assert store_a.session.get(CustomField, add.id).shareable is True
    finally:
        with_bench.close()
