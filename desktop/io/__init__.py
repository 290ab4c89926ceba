"""File > Import…, File > Export… and files dropped on the window: the desktop side of
`db.io`, which does all the reading, planning and writing."""
