"""The Team workload area: people by days, weeks or months, booked hours against capacity,
task bars to drag in time and between people, "Who is free?" and "Suggest fixes"."""
