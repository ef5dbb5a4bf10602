"""The benchmark and the code only it needs: the floor endpoint (`bench.floor`, routed when
BENCH_FLOOR is on) and bulk seeding (`bench.seed`, behind `seed_demo --customers N ...`).
`bench/bench.py` is the runner (`make bench`)."""
