"""
The reliability suite: scenarios against the real processes (gunicorn with several workers,
task workers, the Zoom sandbox) on PostgreSQL, each ending with the invariants of
``reliability/invariants.py``.

Quick scenarios run in `make test`'s PostgreSQL pass; the long ones are marked ``soak`` and run
with `make soak`, which also records their figures in ``reliability/results/latest.md``.
"""

import os
import time
from pathlib import Path

import pytest

RESULTS = Path(__file__).parent / "results" / "latest.md"
_rows = []


def postgres_server():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip(
            "the reliability scenarios run on PostgreSQL, where the product runs in production: "
            "set DATABASE_URL (the PostgreSQL pass of .ci/run and `make soak` do)"
        )
    return url


@pytest.fixture
def record():
    """``record(scenario, **figures)``: a row of the results table written by `make soak`."""

    def add(scenario, **figures):
        _rows.append({"scenario": scenario, **figures})

    return add


def pytest_sessionfinish(session, exitstatus):
    if not _rows or not os.environ.get("SOAK_RESULTS"):
        return
    columns = []
    for row in _rows:
        columns += [c for c in row if c not in columns]
    lines = [
        "# Reliability scenarios — last measured",
        "",
        f"`make soak` on {time.strftime('%Y-%m-%d')}, on a 2-core machine, PostgreSQL.",
        "",
        "| " + " | ".join(columns) + " |",
        "|" + "---|" * len(columns),
    ]
    for row in _rows:
        lines.append("| " + " | ".join(str(row.get(c, "")) for c in columns) + " |")
    RESULTS.write_text("\n".join(lines) + "\n")
