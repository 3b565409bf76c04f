"""
axe-core, run inside the page by Playwright, and a readable report of what it finds.

axe-core comes from npm (`e2e/package.json`, installed by `make test` into `e2e/node_modules`).
It is evaluated through the DevTools protocol, which the page's Content Security Policy does not
govern, so the product's CSP (no inline scripts) stays in force during the tests, as it is for
people — a `<script>` tag added to the page would need the CSP bypassed.
"""

from functools import cache
from pathlib import Path

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
# What fails a page. "moderate" and "minor" findings are reported by axe but do not fail.
BLOCKING = ("serious", "critical")

_RUN = r"""async (blocking) => {
  const results = await axe.run(document, { resultTypes: ["violations"] });
  return results.violations
    .filter((violation) => blocking.includes(violation.impact))
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map(
        (node) => node.target.join(" ") + ": " + node.failureSummary.replace(/\s+/g, " ")
      ),
    }));
}"""


@cache
def _source():
    # A statement list, not a function, so Playwright evaluates it as it is.
    return AXE.read_text() + "\n;undefined"


class Audit:
    """Collects axe's serious and critical findings over several pages, then reports them all."""

    def __init__(self):
        self.checked = []
        self.findings = {}

    def check(self, page, label):
        """Run axe on what ``page`` shows now, under ``label`` ("Integrations (connected)")."""
        page.wait_for_load_state()
        if not page.evaluate("() => typeof axe === 'object'"):
            page.evaluate(_source())
        violations = page.evaluate(_RUN, list(BLOCKING))
        self.checked.append(label)
        if violations:
            self.findings[f"{label} — {page.url}"] = violations

    def report(self):
        lines = []
        for where, violations in self.findings.items():
            lines.append(where)
            for violation in violations:
                lines.append(f"  [{violation['impact']}] {violation['rule']}: {violation['help']}")
                lines.extend(f"      {node}" for node in violation["nodes"][:5])
        return "\n".join(lines)

    def assert_clean(self):
        assert self.checked, "no page was checked"
        assert not self.findings, "axe found serious or critical problems:\n" + self.report()
