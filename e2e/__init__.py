"""Browser tests against the running product, and the harness (`stack.py`) that runs it."""
