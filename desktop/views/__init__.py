"""The widgets of each area of the main window; they hold layout and styling, and reach the
data only through the item models and the workspace."""
