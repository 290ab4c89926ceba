"""Benchmarks of Agency Desk: `python -m bench` runs every metric registered in
`bench.registry` by the modules of this package."""
