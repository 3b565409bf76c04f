"""
Screenshots of key pages at a desktop and a phone width, for the README and the docs.

They are saved to ``docs/screenshots/<name>-<desktop|mobile>.png`` and committed. Times and
durations on the pages change from run to run; they are shown with fixed sample values before
the picture is taken, so a run changes a screenshot only when the page itself changed.
"""

from pathlib import Path

DIRECTORY = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
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


def shoot(page, name):
    """Save what ``page`` shows as ``<name>-desktop.png`` and ``<name>-mobile.png``."""
    DIRECTORY.mkdir(parents=True, exist_ok=True)
    page.evaluate(_STEADY)
    page.mouse.move(0, 0)  # no hover effect in the picture
    original = page.viewport_size
    paths = []
    for label, size in SIZES.items():
        page.set_viewport_size(size)
        path = DIRECTORY / f"{name}-{label}.png"
        page.screenshot(path=path, animations="disabled", caret="hide")
        paths.append(path)
    page.set_viewport_size(original)
    return paths
