"""The benchmark registry: every area of Agency Desk declares its metrics here.

A metric is a zero-argument function returning one float (seconds, or megabytes when the name
ends in `_mb`), declared with `@metric("area.what", target=1.5, unit="s")` in any module
`bench/<area>.py`; `python -m bench` imports them all and runs them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

MetricFunction = Callable[[], float]


@dataclass(frozen=True)
class Metric:
    name: str
    run: MetricFunction
    target: float | None
    unit: str


METRICS: dict[str, Metric] = {}


def metric(
    name: str, *, target: float | None = None, unit: str | None = None
) -> Callable[[MetricFunction], MetricFunction]:
    """Register the decorated function as metric `name`; lower is better, `target` is the most
    it may take. The unit defaults to "MB" for names ending `_mb`, else "s"."""
    if unit is None:
        unit = "MB" if name.endswith("_mb") else "s"

    def register(run: MetricFunction) -> MetricFunction:
        if name in METRICS:
            raise ValueError(f"benchmark metric {name!r} is declared twice")
        METRICS[name] = Metric(name, run, target, unit)
        return run

    return register


def selected(prefix: str | None) -> list[Metric]:
    """The registered metrics whose name starts with `prefix` (all when None), by name."""
    return sorted(
        (m for m in METRICS.values() if prefix is None or m.name.startswith(prefix)),
        key=lambda m: m.name,
    )
