"""The Portfolio area: every open project on one timeline, grouped by client, to filter,
read, print, and move a whole project by dragging its bar."""
