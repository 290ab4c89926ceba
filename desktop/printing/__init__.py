"""Printing: the client summary, the Gantt across pages and meeting agendas, to PDF or through
print preview. Each report is a function that paints onto a `QPagedPaintDevice` (a
`QPdfWriter` for export, a `QPrinter` for preview), page by page, in points."""
