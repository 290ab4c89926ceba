"""The benchmark runner: metrics register by decorator, `--only` filters by prefix, `--json`
prints the agreed shape, and one broken metric does not hide the others."""

from __future__ import annotations

import json

import pytest

from bench import __main__ as runner
from bench import registry


@pytest.fixture
def metrics(monkeypatch: pytest.MonkeyPatch) -> dict[str, registry.Metric]:
    """An empty registry for the test, and no real metric modules loaded."""
    table: dict[str, registry.Metric] = {}
    monkeypatch.setattr(registry, "METRICS", table)
    monkeypatch.setattr(runner, "load_metric_modules", lambda: None)
    return table


def declare(name: str, value: float, target: float | None = None) -> None:
    registry.metric(name, target=target)(lambda: value)


def test_decorator_registers_with_default_units(metrics: dict[str, registry.Metric]) -> None:
    declare("area.speed", 0.5, target=1.0)
    declare("area.memory_mb", 120.0)
    assert metrics["area.speed"].unit == "s"
    assert metrics["area.memory_mb"].unit == "MB"
    assert metrics["area.speed"].run() == 0.5


def test_a_name_is_declared_once(metrics: dict[str, registry.Metric]) -> None:
    declare("area.speed", 0.5)
    with pytest.raises(ValueError, match="twice"):
        declare("area.speed", 0.7)


def test_table_shows_value_unit_target_and_verdict(
    metrics: dict[str, registry.Metric], capsys: pytest.CaptureFixture[str]
) -> None:
    declare("startup.fast", 0.5, target=1.5)
    declare("startup.slow", 3.0, target=2.5)
    declare("import.db", 0.25)
    assert runner.main([]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["metric", "value", "unit", "target"]
    rows = {line.split()[0]: line.split()[1:] for line in out[2:]}
    assert rows["startup.fast"] == ["0.500", "s", "≤", "1.5", "ok"]
    assert rows["startup.slow"] == ["3.000", "s", "≤", "2.5", "OVER"]
    assert rows["import.db"] == ["0.250", "s"]


def test_only_and_json(
    metrics: dict[str, registry.Metric], capsys: pytest.CaptureFixture[str]
) -> None:
    declare("startup.fast", 0.5, target=1.5)
    declare("import.db", 0.25)
    assert runner.main(["--only", "startup", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"metrics": {"startup.fast": 0.5}}


def test_unknown_prefix_is_refused(
    metrics: dict[str, registry.Metric], capsys: pytest.CaptureFixture[str]
) -> None:
    declare("startup.fast", 0.5)
    assert runner.main(["--only", "nothing"]) == 2
    assert "nothing" in capsys.readouterr().err


def test_a_failing_metric_is_reported_and_the_rest_still_run(
    metrics: dict[str, registry.Metric], capsys: pytest.CaptureFixture[str]
) -> None:
    def broken() -> float:
        raise RuntimeError("no demo database")

    registry.metric("area.broken")(broken)
    declare("area.fine", 1.0)
    assert runner.main(["--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"metrics": {"area.fine": 1.0}}
    assert "area.broken: failed: RuntimeError: no demo database" in captured.err


def test_every_real_metric_module_loads() -> None:
    runner.load_metric_modules()
    names = set(registry.METRICS)
    assert {"startup.first_paint.scale1", "startup.first_paint.scale20", "import.db"} <= names
