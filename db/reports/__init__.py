"""What goes into printed reports: a client summary for each audience, meeting agendas and
who is over-allocated. Plain Python over the models, no Qt; `desktop.printing` lays it out."""
