from accounts.testing import BaseTestCase


class IntegrationsPageTestCase(BaseTestCase):
    def test_it_is_reached_through_business_tools(self):
        self.client.force_login(self.alice)
        self.assertContains(self.client.get("/workspace/"), 'href="/workspace/business-tools/"')
        response = self.client.get("/workspace/business-tools/")
        self.assertContains(response, 'href="/integrations/"')
        self.assertContains(response, "Integrations")

    def test_it_lists_zoom_first_with_its_state_and_set_up(self):
        self.client.force_login(self.alice)
        response = self.client.get("/integrations/")
        self.assertContains(response, "Workspace")
        self.assertContains(response, "Business Tools")
        self.assertContains(response, '<h2 id="integration-zoom">Zoom</h2>', html=False)
        self.assertContains(response, "Not connected")
        self.assertContains(response, 'action="/integrations/zoom/connect"')
        self.assertContains(response, ">Set Up</button>")
