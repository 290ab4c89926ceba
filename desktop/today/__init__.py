"""The Today page: an account manager's start page (see `desktop.today.view`)."""

from desktop.today.view import TodayView

__all__ = ["TodayView"]
