from unittest import mock

from django.db import OperationalError
from django.test import TestCase


class HealthzTestCase(TestCase):
    def test_it_answers_ok_when_the_database_answers(self):
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"ok\n")

    def test_it_answers_503_when_the_database_does_not(self):
        with mock.patch("django.db.backends.utils.CursorWrapper.execute") as execute:
            execute.side_effect = OperationalError("connection refused")
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
