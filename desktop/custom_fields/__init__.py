"""The agency's custom fields in the GUI: their editors on a client's or contact's record, and
their definitions in Preferences (`db.am.custom_fields` holds the rules)."""
