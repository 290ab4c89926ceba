"""Change sets fold several flushes into the net effect a view must show."""

from __future__ import annotations

from db.changes import ChangeSet


def test_added_then_changed_is_added() -> None:
    total = ChangeSet(added={"Client": {"a"}})
    total.merge(ChangeSet(changed={"Client": {"a", "b"}}))
    assert total.added == {"Client": {"a"}}
    assert total.changed == {"Client": {"b"}}


def test_added_then_removed_is_nothing() -> None:
    total = ChangeSet(added={"Client": {"a"}})
    total.merge(ChangeSet(removed={"Client": {"a"}}))
    assert not total


def test_removed_then_added_is_a_change() -> None:
    total = ChangeSet(removed={"Task": {"t"}})
    total.merge(ChangeSet(added={"Task": {"t"}}))
    assert total.changed == {"Task": {"t"}} and not total.removed and not total.added


def test_changed_then_removed_is_removed() -> None:
    total = ChangeSet(changed={"Task": {"t"}})
    total.merge(ChangeSet(removed={"Task": {"t"}}))
    assert total.removed == {"Task": {"t"}} and not total.changed


def test_queries() -> None:
    cs = ChangeSet(added={"Client": {"a"}}, removed={"Task": {"t"}})
    assert cs.touches("Task") and not cs.touches("Project")
    assert cs.ids("Client") == {"a"}
    assert cs.summary() == "1 added, 1 removed"
