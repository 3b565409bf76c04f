"""Background work for bookings, run by the worker: thin wrappers taking ids."""

from django_tasks import task

from bookings import emails, meetings


@task()
def send_booking_email(event_id, recipient):
    emails.send_event_email(event_id, recipient)


@task()
def send_booking_reminder(booking_id, sequence, start, recipient, minutes_before):
    emails.send_reminder(booking_id, sequence, start, recipient, minutes_before)


@task()
def sync_meeting(booking_id):
    meetings.attempt(booking_id)


@task()
def send_meeting_failed_email(meeting_id):
    emails.send_meeting_failed(meeting_id)


@task()
def send_meeting_link_emails(booking_id):
    emails.send_meeting_link(booking_id)


def sweep():
    """Queue again the Zoom work of workers that died (see worker/sweeps.py)."""
    return meetings.requeue_orphans()
