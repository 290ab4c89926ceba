"""The dependency graph of a plan: topological order and cycles named the way a user reads
them ("Design → Review → Design")."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

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
