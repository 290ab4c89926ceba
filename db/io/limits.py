"""How much an import may read, so a huge or hostile file costs bounded memory.

Files are refused by size before they are parsed; the figures are module values so tests can
lower them instead of writing a gigabyte.
"""

from __future__ import annotations

# A 10,000-task MSPDI file is about 15 MB: this leaves room for far larger plans while the
# parsed tree stays within a few hundred MB.
MAX_FILE_BYTES = 100 * 1024 * 1024
# The longest CSV field (a line without a newline is one field): notes fit, a 1 GB line not.
MAX_CSV_FIELD_CHARS = 1_000_000
