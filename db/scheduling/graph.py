"""The dependency graph of a plan: topological order and cycles named the way a user reads
them ("Design → Review → Design")."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from db.collector_paused import collector_paused
from db.errors import ValidationError


class CycleError(ValidationError):
    """Tasks that would wait on themselves; `loop` lists them, first repeated at the end."""

    def __init__(self, loop: Sequence[str], names: Sequence[str]) -> None:
        super().__init__(
            "Dependency",
            "these tasks would wait on each other forever: " + " → ".join(names),
        )
        self.loop = list(loop)


def find_cycle(nodes: Iterable[str], edges: Mapping[str, Iterable[str]]) -> list[str] | None:
    """One cycle as [a, b, ..., a], or None. Iterative DFS: plans are deep chains and Python's
    recursion limit would trip on them."""
    white, grey, black = 0, 1, 2
    colour: dict[str, int] = {}
    for root in nodes:
        if colour.get(root, white) != white:
            continue
        path: list[str] = [root]
        iters = [iter(edges.get(root, ()))]
        colour[root] = grey
        while iters:
            nxt = next(iters[-1], None)
            if nxt is None:
                colour[path.pop()] = black
                iters.pop()
                continue
            state = colour.get(nxt, white)
            if state == grey:
                return [*path[path.index(nxt) :], nxt]
            if state == white:
                colour[nxt] = grey
                path.append(nxt)
                iters.append(iter(edges.get(nxt, ())))
    return None


def topological_order(
    n: int, successors: Sequence[Sequence[int]], indegree: list[int]
) -> list[int] | None:
    """Kahn's algorithm over integer nodes; None when the graph has a cycle. `indegree` is
    consumed."""
    ready = [i for i in range(n) if indegree[i] == 0]
    order: list[int] = []
    while ready:
        i = ready.pop()
        order.append(i)
        for j in successors[i]:
            indegree[j] -= 1
            if indegree[j] == 0:
                ready.append(j)
    return order if len(order) == n else None


def raise_if_cycle(
    nodes: Iterable[str], edges: Mapping[str, Iterable[str]], name_of: Callable[[str], str]
) -> None:
    loop = find_cycle(nodes, edges)
    if loop is not None:
        raise CycleError(loop, [name_of(i) for i in loop])


def outline_has_loop(
    tasks: Sequence[tuple[str, str | None]], links: Iterable[tuple[str, str]]
) -> bool:
    """Would a plan with these tasks (id, parent id) and links (predecessor, successor)
    wait on itself, as the engine orders it: a task comes after its predecessors and before
    its summary, and a link into a summary binds every task under it. Reads no dates, so an
    edit of the outline checks a 10,000-task plan in milliseconds; the engine names the loop
    when there is one."""
    # Many small lists that all live until the end: cyclic GC passes over them would cost
    # more than the check (as in the engine's build).
    with collector_paused():
        return _outline_has_loop(tasks, links)


def _outline_has_loop(
    tasks: Sequence[tuple[str, str | None]], links: Iterable[tuple[str, str]]
) -> bool:
    pos = {task_id: i for i, (task_id, _parent) in enumerate(tasks)}
    n = len(tasks)
    children: list[list[int]] = [[] for _ in range(n)]
    succ: list[list[int]] = [[] for _ in range(n)]
    indegree = [0] * n
    for i, (_task_id, parent_id) in enumerate(tasks):
        up = pos.get(parent_id) if parent_id is not None else None
        if up is not None:
            children[up].append(i)
            succ[i].append(up)
            indegree[up] += 1
    for predecessor, successor in links:
        p, s = pos.get(predecessor), pos.get(successor)
        if p is None or s is None:
            continue
        stack = [s]
        while stack:  # every task (not summary) at or under the successor
            j = stack.pop()
            if children[j]:
                stack.extend(children[j])
            else:
                succ[p].append(j)
                indegree[j] += 1
    return topological_order(n, succ, indegree) is None
