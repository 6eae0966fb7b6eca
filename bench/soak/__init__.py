"""`make soak`: the production stack under four faults while phones file concerns (issue 12, item 3).

bench/soak/stack.py starts it, load.py files, faults.py breaks it and counts, station.py asks the
station's database; tests/production/test_faults.py runs the same faults small in `make test`.
"""
