"""Booking emails, sent by the worker, each with its calendar invite."""

from django.core import mail
from icalendar import Calendar

from accounts.testing import run_tasks
from bookings import services
from bookings.models import Actor, LocationKind
from bookings.tests.base import BookingTestCase


def invite_of(message):
    """The parsed .ics attached to ``message``, and the METHOD of its MIME part."""
    (part,) = [p for p in message.attachments if p.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_payload(decode=True)), part.get_param("method")


def sent_to(address, subject_start):
    return next(
        m for m in mail.outbox if m.to == [address] and m.subject.startswith(subject_start)
    )


class EmailsTestCase(BookingTestCase):
    def test_nothing_is_sent_until_the_worker_runs(self):
        self.book()
        self.assertEqual(len(mail.outbox), 0)
        self.assertEqual(run_tasks(), 2)
        self.assertEqual(len(mail.outbox), 2)

    def test_the_confirmation_has_text_html_links_and_the_location(self):
        booking = self.book()
        run_tasks()
        invitee = sent_to("ivy@example.com", "Confirmed")
        self.assertIn("(America/New_York)", invitee.subject)
        self.assertIn(f"http://localhost:8000/b/{booking.manage_token}/", invitee.body)
        self.assertIn("Where:     Phone call — +31 20 123 4567", invitee.body)
        self.assertEqual(invitee.extra_headers["Reply-To"], "alice@example.org")
        html, mimetype = invitee.alternatives[0]
        self.assertEqual(mimetype, "text/html")
        self.assertIn(f'href="http://localhost:8000/b/{booking.manage_token}/"', html)

        host = sent_to("alice@example.org", "New booking")
        self.assertIn("(Europe/Amsterdam)", host.subject)
        self.assertIn(f"http://localhost:8000/workspace/bookings/{booking.reference}/", host.body)
        self.assertNotIn(booking.manage_token, host.body + host.alternatives[0][0])
        self.assertIn("Invitee:   Ivy Invitee <ivy@example.com>", host.body)

    def test_names_are_not_html_escaped_in_plain_text(self):
        self.book(invitee_name="Ivy O'Brien & Co")
        run_tasks()
        host = sent_to("alice@example.org", "New booking")
        self.assertIn("Ivy O'Brien & Co", host.subject)
        self.assertIn("Ivy O'Brien & Co booked Intro call", host.body)
        self.assertIn("Ivy O&#x27;Brien &amp; Co", host.alternatives[0][0])

    def test_an_in_person_booking_gives_the_address_everywhere(self):
        self.service.location_kind = LocationKind.IN_PERSON
        self.service.location_address = "Keizersgracht 1, Amsterdam"
        self.service.save()
        booking = self.book()
        run_tasks()
        invitee = sent_to("ivy@example.com", "Confirmed")
        self.assertIn("In person — Keizersgracht 1, Amsterdam", invitee.body)
        event = invite_of(invitee)[0].events[0]
        self.assertEqual(str(event["LOCATION"]), "In person: Keizersgracht 1, Amsterdam")
        response = self.client.get(f"/b/{booking.manage_token}/")
        self.assertContains(response, "Keizersgracht 1, Amsterdam")

    def test_the_invite_describes_the_booking(self):
        booking = self.book(invitee_notes="Bring the plan")
        run_tasks()
        calendar, method = invite_of(sent_to("ivy@example.com", "Confirmed"))
        self.assertEqual(method, "REQUEST")
        self.assertEqual(str(calendar["METHOD"]), "REQUEST")
        event = calendar.events[0]
        self.assertEqual(str(event["UID"]), f"{booking.reference}@vrtual.ly")
        self.assertEqual(int(event["SEQUENCE"]), 0)
        self.assertEqual(event.start, booking.start)
        self.assertEqual(event.end, booking.end)
        self.assertEqual(str(event["STATUS"]), "CONFIRMED")
        self.assertEqual(str(event["SUMMARY"]), "Intro call with Alice Adams")
        self.assertEqual(str(event["LOCATION"]), "Phone call: +31 20 123 4567")
        self.assertEqual(str(event["ORGANIZER"]), "mailto:alice@example.org")
        self.assertEqual(str(event["ATTENDEE"]), "mailto:ivy@example.com")
        self.assertIn(booking.get_manage_url(), str(event["DESCRIPTION"]))
        # The host's copy shows the notes and the host's own page instead.
        host_event = invite_of(sent_to("alice@example.org", "New booking"))[0].events[0]
        self.assertEqual(str(host_event["SUMMARY"]), "Intro call with Ivy Invitee")
        self.assertIn("Bring the plan", str(host_event["DESCRIPTION"]))
        self.assertNotIn(booking.manage_token, str(host_event["DESCRIPTION"]))

    def test_a_request_is_tentative_until_confirmed(self):
        booking = self.request()
        run_tasks()
        event = invite_of(sent_to("ivy@example.com", "Request received"))[0].events[0]
        self.assertEqual(str(event["STATUS"]), "TENTATIVE")
        self.act(services.booking_confirm, booking, actor=Actor.HOST)
        run_tasks()
        event = invite_of(sent_to("ivy@example.com", "Confirmed"))[0].events[0]
        self.assertEqual(str(event["STATUS"]), "CONFIRMED")

    def test_the_uid_stays_and_the_sequence_grows_until_the_cancel(self):
        booking = self.book()
        run_tasks()
        self.act(
            services.booking_reschedule, booking, new_start=self.slot(days=3), actor=Actor.HOST
        )
        run_tasks()
        booking = self.act(
            services.booking_reschedule, booking, new_start=self.slot(days=4), actor=Actor.INVITEE
        )
        run_tasks()
        self.act(services.booking_cancel, booking, actor=Actor.INVITEE)
        run_tasks()

        invites = [
            invite_of(m) for m in mail.outbox if m.to == ["ivy@example.com"] and m.attachments
        ]
        uids = {str(calendar.events[0]["UID"]) for calendar, _ in invites}
        self.assertEqual(uids, {f"{booking.reference}@vrtual.ly"})
        self.assertEqual(
            [(method, int(calendar.events[0]["SEQUENCE"])) for calendar, method in invites],
            [("REQUEST", 0), ("REQUEST", 1), ("REQUEST", 2), ("CANCEL", 3)],
        )
        cancel = invites[-1][0]
        self.assertEqual(str(cancel["METHOD"]), "CANCEL")
        self.assertEqual(str(cancel.events[0]["STATUS"]), "CANCELLED")

    def test_a_decline_withdraws_the_tentative_invite(self):
        booking = self.request()
        self.act(services.booking_decline, booking, actor=Actor.HOST)
        run_tasks()
        calendar, method = invite_of(sent_to("ivy@example.com", "Declined"))
        self.assertEqual(method, "CANCEL")
        self.assertEqual(int(calendar.events[0]["SEQUENCE"]), 1)

    def test_an_invite_made_stale_before_the_worker_ran_is_not_sent(self):
        booking = self.book()
        self.act(services.booking_cancel, booking, actor=Actor.INVITEE)
        run_tasks()
        # The confirmation would invite to a cancelled booking: only the cancellation goes.
        subjects = sorted(m.subject.split(":")[0] for m in mail.outbox)
        self.assertEqual(subjects, ["Cancelled", "Cancelled"])

    def test_emails_describe_the_change_they_announce(self):
        booking = self.book()
        first_start = booking.start
        self.act(
            services.booking_reschedule, booking, new_start=self.slot(days=3), actor=Actor.HOST
        )
        run_tasks()
        # The worker ran late: the confirmation went stale, the reschedule email went.
        self.assertEqual(len(mail.outbox), 2)
        invite = invite_of(mail.outbox[0])[0].events[0]
        self.assertNotEqual(invite.start, first_start)

    def test_every_email_links_the_right_page_and_shows_the_location(self):
        """Invitees get their manage link, hosts the booking's page, in every kind of email."""
        first = self.request()
        self.act(services.booking_confirm, first, actor=Actor.HOST)
        run_tasks()
        self.act(services.booking_reschedule, first, new_start=self.slot(days=3), actor=Actor.HOST)
        run_tasks()
        self.act(services.booking_cancel, first, actor=Actor.HOST)
        run_tasks()
        second = self.request(start=self.slot(days=4), invitee_email="ivy2@example.com")
        run_tasks()
        self.act(services.booking_decline, second, actor=Actor.HOST)
        self.service.requires_confirmation = False
        self.service.save()
        third = self.book(start=self.slot(days=5), invitee_email="ivy3@example.com")
        run_tasks(include_deferred=True)

        kinds = {m.subject.split(":")[0] for m in mail.outbox}
        self.assertEqual(
            kinds,
            {
                "New booking request",
                "Request received",
                "Confirmed",
                "Rescheduled",
                "Cancelled",
                "Declined",
                "You declined",
                "New booking",
                "Reminder",
            },
        )
        links = {
            "ivy@example.com": f"http://localhost:8000/b/{first.manage_token}/",
            "ivy2@example.com": f"http://localhost:8000/b/{second.manage_token}/",
            "ivy3@example.com": f"http://localhost:8000/b/{third.manage_token}/",
        }
        for message in mail.outbox:
            with self.subTest(subject=message.subject, to=message.to):
                html = message.alternatives[0][0]
                self.assertIn("Phone call", message.body)
                self.assertIn("Phone call", html)
                if message.to == ["alice@example.org"]:
                    self.assertIn("http://localhost:8000/workspace/bookings/VR-", message.body)
                    self.assertNotIn("/b/", message.body + html)
                else:
                    self.assertIn(links[message.to[0]], message.body)
                    self.assertIn(f'href="{links[message.to[0]]}"', html)
