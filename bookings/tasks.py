"""Background work for bookings, run by the worker: thin wrappers taking ids."""

from django_tasks import task

from bookings import emails


@task()
def send_booking_email(event_id, recipient):
    emails.send_event_email(event_id, recipient)


@task()
def send_booking_reminder(booking_id, sequence, start, recipient, minutes_before):
    emails.send_reminder(booking_id, sequence, start, recipient, minutes_before)
