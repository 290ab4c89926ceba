"""The Gantt fixtures (a small project open in a plan view), shared with the money tests."""

from tests.gantt.conftest import project, view, workspace

__all__ = ["project", "view", "workspace"]
