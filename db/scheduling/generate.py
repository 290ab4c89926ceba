"""Generated plans of any size, for benchmarks, property tests and demos: parallel streams of
work, each a chain of phases (summaries) with fan-outs inside a phase, milestones closing
each phase, and all four dependency types with lags and leads."""

from __future__ import annotations

import random
from datetime import date

from db.models import DependencyType
from db.scheduling.plan import LinkSpec, Plan, TaskSpec

_TYPES = [DependencyType.FS, DependencyType.SS, DependencyType.FF, DependencyType.SF]
PHASE_SIZE = 20
STREAM_PHASES = 10  # a stream is 200 rows


def generated_plan(
    n_tasks: int, *, seed: int = 1, start: date = date(2026, 1, 5), fan_out: int = 0
) -> Plan:
    """About `n_tasks` tasks in streams of 10 phases of 20 rows. Inside a phase most tasks
    follow the previous one (FS, sometimes SS/FF/SF, lags of -1..2), the phase's first task
    fans out to three others, and a milestone closes the phase; phases of a stream follow
    each other. The first leaf is named "hub"; with `fan_out`, it also starts the first task
    of as many further streams as make about `fan_out` tasks downstream of it."""
    rng = random.Random(seed)
    tasks: list[TaskSpec] = []
    links: list[LinkSpec] = []
    stream_heads: list[str] = []
    phase = 0
    prev_leaf: str | None = None
    while len(tasks) < n_tasks:
        if phase % STREAM_PHASES == 0:
            prev_leaf = None
        phase_id = f"p{phase}"
        tasks.append(TaskSpec(phase_id, f"Phase {phase + 1}", start, 1, sort_order=len(tasks)))
        first: str | None = None
        for k in range(PHASE_SIZE - 1):
            if len(tasks) >= n_tasks:
                break
            tid = "hub" if len(tasks) == 1 else f"t{len(tasks)}"
            milestone = k == PHASE_SIZE - 2
            tasks.append(
                TaskSpec(
                    tid,
                    f"Task {len(tasks)}" if not milestone else f"Phase {phase + 1} done",
                    start,
                    0 if milestone else rng.randint(1, 5),
                    parent_id=phase_id,
                    milestone=milestone,
                    sort_order=len(tasks),
                    progress=rng.choice((0, 0, 25, 50, 100)),
                )
            )
            if prev_leaf is None:
                stream_heads.append(tid)
            elif first is not None and k in (3, 4, 5):
                links.append(LinkSpec(first, tid, DependencyType.SS, k - 3, f"l{len(links)}"))
            else:
                kind = _TYPES[len(tasks) % 4] if rng.random() < 0.4 else DependencyType.FS
                lag = rng.choice((0, 0, 0, 1, 2, -1))
                links.append(LinkSpec(prev_leaf, tid, kind, lag, f"l{len(links)}"))
            if first is None:
                first = tid
            prev_leaf = tid
        phase += 1
    extra_streams = -(-fan_out // (PHASE_SIZE * STREAM_PHASES))
    for head in stream_heads[1 : 1 + extra_streams]:
        links.append(LinkSpec("hub", head, _TYPES[len(links) % 4], 1, f"f{head}"))
    return Plan(tasks=tasks, links=links)
