"""What Delete says: the menu text names the selection, and the question names what goes with
it, in plain words, with plurals right and long names cut short."""

from __future__ import annotations

from db.models import Client, Project, Task
from desktop.views.deletion import Deletion


def test_the_menu_names_one_record_or_counts_several() -> None:
    assert Deletion(Task, ["a"], ("task", "tasks"), "Design review").text == (
        "Delete task “Design review”"
    )
    assert Deletion(Task, ["a", "b", "c"], ("task", "tasks"), "Design").text == "Delete 3 tasks"


def test_a_long_name_is_cut_short_and_flattened() -> None:
    text = Deletion(Client, ["a"], ("client", "clients"), "Acme\n" + "x" * 5000).text
    assert len(text) < 60 and text.endswith("…”") and "\n" not in text


def test_the_question_names_children_not_links_or_assignments() -> None:
    project = Deletion(Project, ["p"], ("project", "projects"), "Website relaunch")
    assert (
        project.question({"Project": 1, "Task": 25, "Dependency": 30, "Assignment": 4})
        == "Delete project “Website relaunch” and its 25 tasks?"
    )
    task = Deletion(Task, ["t"], ("task", "tasks"), "Phase")
    assert task.question({"Task": 2}) == "Delete task “Phase” and its 1 subtask?"
    assert task.question({"Task": 1, "Dependency": 3, "Assignment": 1}) == ""
    several = Deletion(Task, ["a", "b"], ("task", "tasks"), "A")
    assert several.question({"Task": 5}) == "Delete 2 tasks and their 3 subtasks?"
    client = Deletion(Client, ["c"], ("client", "clients"), "Acme")
    assert client.question(
        {"Client": 1, "Contact": 2, "Project": 1, "InteractionContact": 3, "Interaction": 1}
    ) == ("Delete client “Acme” and its 1 project, 2 contacts and 1 interaction?")
