"""Ctrl+K: the global search popup over `db.search`."""

from desktop.search.popup import SearchPopup
from desktop.search.results_model import SearchResultsModel

__all__ = ["SearchPopup", "SearchResultsModel"]
