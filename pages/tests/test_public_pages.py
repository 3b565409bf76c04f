import html
import re
from pathlib import Path

from django.test import TestCase

SEED = Path(__file__).resolve().parent.parent / "content" / "zoom-integration-docs.txt"


def visible_text(response):
    # Inline tags vanish without a trace; blocks are on lines of their own in the templates.
    text = re.sub(r"<[^>]+>", "", response.content.decode())
    return " ".join(html.unescape(text).split())


def seed_sentences():
    """Every line of the user documentation, without its list numbering and bullets."""
    for line in SEED.read_text().splitlines():
        line = re.sub(r"^\s*(?:\d+\.|•)\s*", "", line).strip()
        # The first lines are the source page's title and breadcrumb trail.
        if line and not line.startswith("/ "):
            yield " ".join(line.split())


class PublicPagesTestCase(TestCase):
    def test_the_zoom_docs_carry_every_line_of_the_user_documentation(self):
        text = visible_text(self.client.get("/docs/zoom"))
        missing = [sentence for sentence in seed_sentences() if sentence not in text]
        self.assertEqual(missing, [])

    def test_the_zoom_docs_link_the_real_menus(self):
        response = self.client.get("/docs/zoom")
        for path in ("/workspace/business-tools/", "/integrations/", "/support", "/privacy"):
            self.assertContains(response, f'href="{path}')

    def test_the_support_page_gives_the_address_and_the_sla(self):
        response = self.client.get("/support")
        self.assertContains(response, "mailto:care@vrtual.ly")
        self.assertContains(response, "Service SLA")
        self.assertContains(response, "within 1 business day")

    def test_the_privacy_page_says_what_zoom_data_is_kept_and_deleted(self):
        text = visible_text(self.client.get("/privacy"))
        for phrase in (
            "Zoom OAuth access token and refresh token, encrypted at rest",
            "Zoom meeting ID and the participant join URL",
            "the host start link",
            "When you disconnect Zoom",
            "are deleted",
            "Until you disconnect Zoom",
            "90 days",
        ):
            self.assertIn(phrase, text)

    def test_the_landing_and_terms_pages_render(self):
        self.assertContains(self.client.get("/"), "Start free")
        self.assertContains(self.client.get("/terms"), "Terms of Use")

    def test_an_unknown_page_gets_the_products_404(self):
        response = self.client.get("/no/such/page/here")
        self.assertContains(response, "We can’t find that page", status_code=404)

    def test_the_zoom_docs_show_screenshots_that_exist(self):
        response = self.client.get("/docs/zoom")
        shown = re.findall(r'(?:src|srcset)="/static/screenshots/([\w-]+\.png)"', response.text)
        self.assertGreaterEqual(len(shown), 10)
        directory = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
        self.assertEqual([name for name in shown if not (directory / name).exists()], [])
