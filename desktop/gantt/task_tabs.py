"""The tabs of the task details dialog, by number: the Gantt's menus open the dialog on one,
and know them without importing the dialog until it opens (issue 19)."""

TAB_GENERAL, TAB_PEOPLE, TAB_LINKS, TAB_HISTORY = range(4)
