"""The Team area: members, their leave, and the agency's closures."""
