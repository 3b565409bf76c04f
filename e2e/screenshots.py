"""
Screenshots of key pages at a desktop and a phone width, for the README and the docs.

They are saved to ``docs/screenshots/<name>-<desktop|mobile>.png`` and committed. Times and
durations on the pages change from run to run; they are shown with fixed sample values before
the picture is taken, so a run changes a screenshot only when the page itself changed.

Booking pages cannot be steadied that way: their calendar, times, references and Zoom ids are
the run's own. Their pictures (``varies=True``) are written to ``docs/screenshots/`` only when
missing there or when ``SCREENSHOTS=update`` is set; otherwise to ``e2e/artifacts/screenshots/``,
so that a test run does not leave the repository changed::

    SCREENSHOTS=update .venv/bin/pytest e2e/test_screenshots.py
"""

import os
from pathlib import Path

DIRECTORY = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SCRATCH = Path(__file__).resolve().parent / "artifacts" / "screenshots"
SIZES = {"desktop": {"width": 1280, "height": 800}, "mobile": {"width": 390, "height": 844}}

# Text that depends on the moment of the run, replaced by one sample moment.
_STEADY = r"""() => {
  const durations = /^\d+ ms$/;
  for (const time of document.querySelectorAll("time")) time.textContent = "Mar 3, 09:41:07";
  for (const cell of document.querySelectorAll("td")) {
    if (durations.test(cell.textContent.trim())) cell.textContent = "184 ms";
  }
  for (const term of document.querySelectorAll("dt")) {
    if (term.textContent.trim() === "Connected since" && term.nextElementSibling) {
      term.nextElementSibling.textContent = "March 3, 2026, 9:41 a.m.";
    }
  }
}"""


def _directory(name, varies):
    if not varies or os.environ.get("SCREENSHOTS") == "update":
        return DIRECTORY
    missing = any(not (DIRECTORY / f"{name}-{label}.png").exists() for label in SIZES)
    return DIRECTORY if missing else SCRATCH


def shoot(page, name, *, varies=False):
    """Save what ``page`` shows as ``<name>-desktop.png`` and ``<name>-mobile.png``; return
    the paths."""
    directory = _directory(name, varies)
    directory.mkdir(parents=True, exist_ok=True)
    page.evaluate(_STEADY)
    page.mouse.move(0, 0)  # no hover effect in the picture
    original = page.viewport_size
    paths = []
    for label, size in SIZES.items():
        page.set_viewport_size(size)
        path = directory / f"{name}-{label}.png"
        page.screenshot(path=path, animations="disabled", caret="hide")
        paths.append(path)
    page.set_viewport_size(original)
    return paths
