"""Team workload across every project: each person's capacity per day (working days and hours
that change over time, less leave, closures and public holidays, plus accepted overtime), the
hours their assignments put on each day, over-allocation, "who is free?" and levelling
suggestions that explain instead of acting. No Qt here; every date comes from the one
schedule service (`db.scheduling.schedules`)."""
