"""Whether an edit of the outline closes a loop, read near the edit instead of over the
whole plan.

The engine orders a plan so that a task comes after its predecessors and before its
summary, and a link into a summary binds every task under it (see `engine`). A plan is
loop-free before any edit (every edit that could close a loop is refused, and a plan with one
cannot be scheduled at all), so an edit closes a loop only through a wait it adds:

* An outdent adds none that was not there: the task already came before its old parent's
  parent (through its old parent), and a link into its old parent that binds the old parent
  itself once its last task has left bound that task before. It needs no check.
* An indent under the task above it adds two kinds of waits: the task now comes before its
  new summary, and every link into the new summary now binds the tasks of the moved
  subtree. It closes a loop exactly when the new summary already waits on the moved task,
  or when a predecessor of the new summary waits on the moved subtree. Both are read with
  one walk down the waits from those two places (`indent_closes_loop`), which stays among
  the tasks downstream of them; a walk that grows large gives way to the whole-plan check.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from db.search import driver

# Rows the walk may visit (each task at most four times: as reached or as a link's target,
# from either start) before the whole-plan check, which reads every task once, is cheaper.
WALK_LIMIT = 6_000

# `walk` holds (task, down, src): `down` 0 for a task reached (what waits on it comes next:
# its summary and the targets of its links), 1 for a link's target on the way down to the
# tasks it binds (a summary's tasks; a task binds itself). `src` 0 for the walk from the new
# summary, 1 for the walk from the moved subtree's tasks.
_WALK = """
WITH RECURSIVE walk(id, down, src) AS (
  VALUES (:summary, 0, 0), (:moved, 1, 1)
  UNION SELECT t.parent_id, 0, w.src FROM walk AS w JOIN task AS t ON t.id = w.id
    WHERE w.down = 0 AND t.parent_id IS NOT NULL
  UNION SELECT d.successor_id, 1, w.src FROM walk AS w
    JOIN dependency AS d ON d.predecessor_id = w.id WHERE w.down = 0
  UNION SELECT c.id, 1, w.src FROM walk AS w JOIN task AS c ON c.parent_id = w.id
    WHERE w.down = 1
  UNION SELECT w.id, 0, w.src FROM walk AS w
    WHERE w.down = 1 AND NOT EXISTS (SELECT 1 FROM task AS c WHERE c.parent_id = w.id)
  LIMIT :limit
)
SELECT
  count(*),
  coalesce(max(src = 0 AND down = 0 AND id = :moved), 0),
  coalesce(max(src = 1 AND down = 0 AND id IN (
    SELECT predecessor_id FROM dependency WHERE successor_id = :summary)), 0)
FROM walk
"""


def indent_closes_loop(session: Session, task_id: str, summary_id: str) -> bool | None:
    """After `task_id` has gone under `summary_id` (flushed): does the plan now wait on
    itself? True or False, or None when the walk grew past `WALK_LIMIT` and only the
    whole-plan check can tell.

    The new summary waits on the moved task when the walk from the summary reaches it; a
    predecessor of the summary (whose link now binds the moved tasks) closes a loop when
    the walk from the moved tasks reaches it, or it is one of them."""
    session.flush()
    visited, summary_waits, predecessor_waits = (
        driver(session.connection())
        .execute(_WALK, {"summary": summary_id, "moved": task_id, "limit": WALK_LIMIT})
        .fetchone()
    )
    if visited >= WALK_LIMIT:
        return None
    return bool(summary_waits or predecessor_waits)
