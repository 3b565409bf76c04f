import logging
from datetime import timedelta

from django.apps import apps
from django.core import mail
from django.db import models
from django.utils import timezone

from accounts.testing import run_tasks
from integrations.models import Connection
from integrations.zoom import client, tokens
from integrations.zoom.testing import ZoomTestCase
from lib import crypto


class Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


class NoTokenLeaksTestCase(ZoomTestCase):
    def test_a_full_flow_leaves_no_token_in_logs_pages_emails_or_columns(self):
        capture = Capture()
        root = logging.getLogger()
        level = root.level
        root.addHandler(capture)
        root.setLevel(logging.DEBUG)
        seen, pages = set(), []

        def remember():
            connection = self.connection()
            if connection and connection.access_token:
                seen.add(crypto.decrypt(connection.access_token))
                seen.add(crypto.decrypt(connection.refresh_token))

        try:
            pages.append(self.connect())
            remember()
            workspace_id = self.alice.workspace.pk

            def call():
                return tokens.call(
                    workspace_id, "meeting.find", "test", client.list_upcoming_meetings
                )

            call()
            Connection.objects.update(access_token_expires_at=timezone.now() - timedelta(1))
            call()
            remember()
            self.zoom.control.expire_tokens()
            call()
            remember()
            pages.append(self.client.get("/integrations/zoom/"))
            self.zoom.control.fault("oauth.revoke", "5xx", count=1)
            pages.append(self.client.post("/integrations/zoom/disconnect", follow=True))
            run_tasks(include_deferred=True)
        finally:
            root.removeHandler(capture)
            root.setLevel(level)

        self.assertGreaterEqual(len(seen), 6)
        haystacks = {"log": "\n".join(capture.lines)}
        haystacks["pages"] = "\n".join(p.content.decode() for p in pages)
        haystacks["emails"] = "\n".join(m.message().as_string() for m in mail.outbox)
        for model in apps.get_models():
            text_fields = [
                f.name
                for f in model._meta.fields
                if isinstance(f, models.CharField | models.TextField)
            ]
            for row in model.objects.values_list(*text_fields) if text_fields else []:
                haystacks.setdefault("database", "")
                haystacks["database"] += "\n".join(str(v) for v in row)
        self.assertIn("zoom POST /oauth/token -> 200", haystacks["log"])
        for where, text in haystacks.items():
            for token in seen:
                self.assertNotIn(token, text, f"a token leaked into the {where}")
            for secret in ("vrtually-dev-secret", "vrtually-dev-webhook-secret"):
                self.assertNotIn(secret, text, f"a secret leaked into the {where}")
