"""
Run every benchmark against the real processes, on SQLite and on PostgreSQL, and print the
table (also written to bench/results/latest.md)::

    python -m bench [--postgres URL] [--only sqlite|postgresql] [--quick]

Each part starts its own stack (``e2e/stack.py``: gunicorn, task workers, the Zoom sandbox, a
database of its own) so one part's leftovers never weigh on another's figures.
"""

import argparse
import os
import platform
import sys
import time
from contextlib import suppress
from urllib.parse import urlsplit

from bench import pages, zoom
from bench.figures import RESULTS, Table, ratio
from e2e.stack import Stack

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/bench"

# The Zoom-path stacks measure our cost, not Zoom's limits: the sandbox does not limit (so the
# bare callers are not held back either), nor does the product pace its calls to Zoom's limits
# (at 20 creations a second per account, one host confirming back to back would otherwise
# wait for its turn). The backlog drain measures the pacing against the limits.
UNLIMITED = {
    "sandbox": {"rate_limit_plan": "off"},
    "env": {
        "ZOOM_RATE_LIMIT_LIGHT": "100000",
        "ZOOM_RATE_LIMIT_MEDIUM": "100000",
        "ZOOM_RATE_LIMIT_DAILY": "1000000",
    },
}


def postgres_unreachable(url):
    """None when ``url``'s server answers (creating its database if missing), else why not."""
    import psycopg
    from psycopg import sql

    try:
        psycopg.connect(url, connect_timeout=3).close()
        return None
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error):
            return str(error).strip().splitlines()[0]
    name = urlsplit(url).path.lstrip("/")
    server = urlsplit(url)._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(server, autocommit=True, connect_timeout=3) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0]
    return None


def zoom_path(table, engine, url, size):
    with Stack(database_url=url, web_workers=1, task_workers=1, **UNLIMITED) as stack:
        bench = zoom.ZoomBench(stack, hosts=16, per_host=size["per_host"])
        for latency in (0, 150):
            bench.overhead(table, engine, latency, runs=size["runs"])
        bench.throughput(table, engine, sessions_per_host=2, seconds=size["seconds"])
        # At Zoom's usual latency a confirmation mostly waits on Zoom: more processes help.
        rate = bench.throughput(
            table, engine, sessions_per_host=2, seconds=size["seconds"], latency_ms=150
        )
        bench.duplicates(table, engine)
        zoom.peak_rss(stack, table, engine, label="confirming")
    return rate


def scale_out(table, engine, url, size, single_rate):
    label = " (2 web + 2 task workers)"
    with Stack(database_url=url, web_workers=2, task_workers=2, **UNLIMITED) as stack:
        bench = zoom.ZoomBench(stack, hosts=16, per_host=size["per_host"])
        # Both of the machine's cores serving, as the Procfile runs it.
        bench.throughput(table, engine, sessions_per_host=2, seconds=size["seconds"], label=label)
        rate = bench.throughput(
            table,
            engine,
            sessions_per_host=2,
            seconds=size["seconds"],
            latency_ms=150,
            label=label,
        )
        table.add(
            engine,
            "Scale-out: confirmations/s of 2 + 2 processes against 1 + 1, sandbox +150 ms",
            median=f"{rate:,.1f}/s",
            ratio=ratio(rate / single_rate),
            note=f"against {single_rate:,.1f}/s; one machine of 2 cores, shared with the sandbox "
            "and the load",
        )
        bench.duplicates(table, engine, label=label)


def drain(table, engine, url, size, *, task_workers):
    # Zoom's limits and the product's pacing as in production, on a stack of its own.
    with Stack(database_url=url, web_workers=1, task_workers=task_workers) as stack:
        # Every host in one Zoom account: they share its rate limit, as a clinic's hosts do.
        zoom.backlog_drain(
            stack, table, engine, hosts=20, per_host=size["drain"] // 20, account="benchClinic01"
        )
        zoom.peak_rss(stack, table, engine, label="draining")


def main():
    parser = argparse.ArgumentParser(description="vrtual.ly benchmarks")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES),
        help="a PostgreSQL server URL (each stack creates and drops its own database there)",
    )
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--quick", action="store_true", help="small sizes, to try the bench")
    args = parser.parse_args()
    size = (
        {"per_host": 30, "runs": 8, "seconds": 4, "drain": 100, "sizes": (0, 2000)}
        if args.quick
        else {"per_host": 100, "runs": 20, "seconds": 12, "drain": 1000}
    )
    sizes = size.get("sizes", (0, 10_000, 100_000))

    table = Table()
    started = time.monotonic()
    engines = [("sqlite", None), ("postgresql", args.postgres)]
    if args.only:
        engines = [(e, u) for e, u in engines if e == args.only]
    for engine, url in engines:
        if url and (why := postgres_unreachable(url)):
            reason = f"PostgreSQL skipped: {url} is unreachable ({why})"
            print(reason)
            table.notes.append(reason)
            continue
        print(f"\n{engine}:")
        rate = zoom_path(table, engine, url, size)
        if engine == "postgresql":
            scale_out(table, engine, url, size, rate)
        # On PostgreSQL two workers share the backlog, claiming tasks with SKIP LOCKED.
        drain(table, engine, url, size, task_workers=2 if engine == "postgresql" else 1)
        with Stack(database_url=url, web_workers=1, task_workers=1) as stack:
            pages.run(stack, table, engine, sizes=sizes)

    minutes = (time.monotonic() - started) / 60
    command = "make bench" + (" (--quick)" if args.quick else "")
    header = [
        "# Benchmarks — last run",
        "",
        f"`{command}` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{os.cpu_count()} CPUs ({platform.machine()}), Python {platform.python_version()}, "
        f"{minutes:.0f} min. The machine is shared, so figures are noisy.",
        "",
        "Ratios compare with the sandbox's bare call measured in the same run. Server times are "
        "measured over HTTP from a client on the same machine.",
        "",
    ]
    text = "\n".join([*header, table.markdown(), "", *table.notes]).rstrip() + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print("\n" + text)
    print(f"written to {RESULTS.relative_to(RESULTS.parent.parent.parent)}")
    return 0


if __name__ == "__main__":
    with suppress(KeyboardInterrupt):
        sys.exit(main())
