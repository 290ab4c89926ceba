"""`python -m bench [--only PREFIX] [--json]`: run the registered metrics, print a table or JSON.

Every module `bench/<area>.py` is imported so its `@metric` declarations register themselves.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
from pathlib import Path

from bench.registry import Metric, selected

_NOT_METRIC_MODULES = {"registry", "__main__", "__init__"}


def load_metric_modules() -> None:
    package_dir = Path(__file__).parent
    for module in sorted(pkgutil.iter_modules([str(package_dir)]), key=lambda m: m.name):
        if module.name not in _NOT_METRIC_MODULES and not module.ispkg:
            importlib.import_module(f"bench.{module.name}")


def _format_value(value: float) -> str:
    return f"{value:.3f}" if value < 100 else f"{value:.1f}"


def _table(rows: list[tuple[Metric, float]]) -> str:
    header = ("metric", "value", "unit", "target", "")
    lines = [
        (
            m.name,
            _format_value(v),
            m.unit,
            "" if m.target is None else f"≤ {m.target:g}",
            "" if m.target is None else ("ok" if v <= m.target else "OVER"),
        )
        for m, v in rows
    ]
    widths = [max(len(r[i]) for r in [header, *lines]) for i in range(len(header))]
    fmt = "  ".join(f"{{:{'<' if i in (0, 2) else '>'}{w}}}" for i, w in enumerate(widths))
    out = [fmt.format(*header).rstrip(), "  ".join("-" * w for w in widths).rstrip()]
    out += [fmt.format(*line).rstrip() for line in lines]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="Run Agency Desk's benchmarks and print a table."
    )
    parser.add_argument(
        "--only", metavar="PREFIX", help="run only the metrics whose name starts with PREFIX"
    )
    parser.add_argument("--json", action="store_true", help='print {"metrics": {name: value}}')
    parser.add_argument("--list", action="store_true", help="list metric names and exit")
    args = parser.parse_args(argv)

    load_metric_modules()
    metrics = selected(args.only)
    if args.list:
        print("\n".join(m.name for m in metrics))
        return 0
    if not metrics:
        wanted = "" if args.only is None else f" starts with {args.only!r}"
        print(f"no benchmark metric{wanted} is registered", file=sys.stderr)
        return 2
    rows: list[tuple[Metric, float]] = []
    failed = 0
    for m in metrics:
        if not args.json:
            print(f"running {m.name} …", file=sys.stderr, flush=True)
        try:
            rows.append((m, float(m.run())))
        except Exception as exc:  # one broken metric must not hide the others' figures
            failed += 1
            print(f"{m.name}: failed: {type(exc).__name__}: {exc}", file=sys.stderr)
    if args.json:
        print(json.dumps({"metrics": {m.name: v for m, v in rows}}, indent=2))
    else:
        print(_table(rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
