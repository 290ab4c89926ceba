"""Widgets more than one area shows (the health badge on the client page and in the client
list's delegate). A widget here imports nothing from an area's package, so areas and the
shared views can all use it."""
