"""Fixtures for the end-to-end tests: one running stack per test process."""

import pytest

from e2e.stack import Stack


@pytest.fixture(scope="session")
def stack():
    """The product on its own ports and database, shared by the process's end-to-end tests.
    Two task workers, as a deployment may run, so the tests see them share the queue."""
    with Stack.from_env(web_workers=2, task_workers=2) as stack:
        yield stack
