"""History tabs: who changed what on a record, when, and how it came (issue 18)."""
