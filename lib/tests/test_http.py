from datetime import UTC, datetime, timedelta

from django.test import SimpleTestCase

from lib.http import parse_retry_after

NOW = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)


class RetryAfterTestCase(SimpleTestCase):
    def test_it_reads_seconds(self):
        self.assertEqual(parse_retry_after("120", NOW), NOW + timedelta(seconds=120))

    def test_it_reads_an_http_date(self):
        self.assertEqual(
            parse_retry_after("Wed, 25 Nov 2026 00:00:00 GMT", NOW),
            datetime(2026, 11, 25, tzinfo=UTC),
        )

    def test_it_reads_an_iso_date_time(self):
        self.assertEqual(
            parse_retry_after("2026-11-25T00:00:00Z", NOW), datetime(2026, 11, 25, tzinfo=UTC)
        )

    def test_it_reads_an_iso_date_time_with_offset(self):
        self.assertEqual(
            parse_retry_after("2026-11-25T01:00:00+01:00", NOW),
            datetime(2026, 11, 25, tzinfo=UTC),
        )

    def test_it_ignores_missing_garbage_and_past_values(self):
        for value in (None, "", "soon", "-5", "2020-01-01T00:00:00Z", "1.5"):
            with self.subTest(value=value):
                self.assertIsNone(parse_retry_after(value, NOW))
