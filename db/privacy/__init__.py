"""What the agency holds about one person, and erasing it (issue 18, GDPR articles 15, 17).

- `lookup`: finding the contact a user names on the command line (name or email).
- `person`: the contact a request is about, live or deleted the ordinary way (then read from
  the delete's tombstone, which an erase removes with the rest).
- `dossier`: everything about one contact, as data and as JSON (`export`).
- `mentions`: the texts of a client that name a contact (summaries, notes, comments).
- `erase`: the erase itself, on one station (`erase_person`, `ErasePerson` for the store).
- `erased`: what sync needs: dropping late changes to an erased contact, and erasing on
  every station that applies the erase.
- `history`: retiring change files and snapshots on the share once every station has
  applied the erase.
"""
