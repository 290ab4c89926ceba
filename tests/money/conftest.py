"""The Gantt fixtures (a small project open in a plan view), shared with the money tests; the
workspace is the suite's own (tests/conftest.py)."""

from tests.gantt.conftest import project, view

__all__ = ["project", "view"]
