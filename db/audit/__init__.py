"""The audit trail: who changed which field of which record from what to what, when, and how
the change came here (made at this station, brought by sync, a resolved conflict).

`schema` holds the station's audit tables and the triggers that fill them, `capture` what the
app and sync tell those triggers (the station's member, the origin, a pulled change's
author), `history` reads a record's history for its History tab, `retention` compacts away
history older than the agency keeps. Nothing here imports Qt.
"""
