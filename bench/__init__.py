"""
Benchmarks: what vrtual.ly adds on top of Zoom, and how it holds up with many hosts and years
of bookings. Run them all with ``make bench`` (``python -m bench``); they print figures, they
do not pass or fail.
"""
