"""Summaries of timings and the results table that `make bench` prints and writes."""

import math
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "latest.md"


def median(values):
    return statistics.median(values) if values else math.nan


def p95(values):
    """The 95th percentile (nearest rank): 19 of 20 values are at most this."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def timed(action):
    """Run ``action()``; return (its result, milliseconds it took)."""
    started = time.perf_counter()
    result = action()
    return result, (time.perf_counter() - started) * 1000


def ms(value):
    return "–" if value is None or math.isnan(value) else f"{value:,.1f} ms"


def ratio(value):
    return "–" if value is None or math.isnan(value) else f"{value:.2f}"


@dataclass
class Row:
    engine: str
    benchmark: str
    median: str = "–"
    p95: str = "–"
    ratio: str = "–"
    target: str = ""
    note: str = ""


@dataclass
class Table:
    rows: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def add(self, engine, benchmark, **cells):
        row = Row(engine, benchmark, **cells)
        self.rows.append(row)
        print(f"  {engine:10} {benchmark}: " + ", ".join(f"{k} {v}" for k, v in cells.items()))
        return row

    def add_timings(self, engine, benchmark, timings, **cells):
        """A row whose median and p95 come from ``timings`` (seconds)."""
        return self.add(
            engine, benchmark, median=ms(median(timings)), p95=ms(p95(timings)), **cells
        )

    def markdown(self):
        lines = [
            "| engine | benchmark | median | p95 | ratio | target | note |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in self.rows:
            cells = (r.engine, r.benchmark, r.median, r.p95, r.ratio, r.target, r.note)
            lines.append("| " + " | ".join(str(c).replace("|", "/") for c in cells) + " |")
        return "\n".join(lines)
