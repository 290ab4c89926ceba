"""Sizes the task tree, the chart and the printed chart share, so their rows line up: the
row height and where a bar sits in its row."""

ROW_HEIGHT = 26  # px per task row, in the tree and on the chart
BAR_TOP = 5  # px from a row's top to its bar
BAR_HEIGHT = 13
LINK_HANDLE = 9  # px from a bar's end to the centre of its link handle
