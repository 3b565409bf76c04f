"""
Zoom meetings for bookings: the small interface the bookings app calls.

It takes plain booking data (no booking objects: integrations never imports bookings) plus the
person's action that caused the call, which goes into the activity log with the call.
"""

import contextlib
from dataclasses import dataclass, replace
from datetime import datetime

from integrations.zoom import client, tokens

# Exceptions callers handle, re-exported so bookings need not know the client module.
NotConnected = tokens.NotConnected
ZoomError = client.ZoomError
TransientError = client.TransientError
RateLimited = client.RateLimited
Unreachable = client.Unreachable
PermanentError = client.PermanentError


@dataclass(frozen=True)
class MeetingPlan:
    """What a booking's meeting should look like."""

    reference: str  # The booking's reference; the agenda starts with it.
    topic: str
    start: datetime
    duration_minutes: int
    time_zone: str
    details: str = ""

    @property
    def agenda(self):
        # The reference leads the agenda: Zoom's meeting list shows only its first 250
        # characters, and that is where a lost meeting is found again (see find()).
        return f"{agenda_marker(self.reference)}\n{self.details}".strip()

    def fields(self):
        return client.MeetingFields(
            topic=self.topic,
            start_time=self.start,
            duration=self.duration_minutes,
            timezone=self.time_zone,
            agenda=self.agenda,
        )


@dataclass(frozen=True)
class CreatedMeeting:
    id: int
    join_url: str


def _rate_wait(timeout):
    """A person waiting (a short timeout) waits at most a second for Zoom's rate limits."""
    return min(timeout, 1.0) if timeout else None


def agenda_marker(reference):
    return f"vrtual.ly booking {reference}"


def create(workspace_id, plan, *, cause, timeout=None):
    """Create the booking's meeting. Not idempotent: Zoom has no idempotency key."""
    meeting = tokens.call(
        workspace_id,
        "meeting.create",
        cause,
        lambda token: client.create_meeting(token, plan.fields(), timeout=timeout),
        rate_wait=_rate_wait(timeout),
    )
    return CreatedMeeting(id=meeting.id, join_url=meeting.join_url)


def find(workspace_id, reference, *, cause, timeout=None):
    """
    The upcoming meetings Zoom holds for a booking, found by the reference in their agenda.

    Used before creating again after an attempt whose outcome is unknown (a timeout, a lost
    answer, a crash), so that one booking never gets two meetings.
    """
    marker = agenda_marker(reference)
    meetings = tokens.call(
        workspace_id,
        "meeting.find",
        cause,
        lambda token: client.list_upcoming_meetings(token, timeout=timeout),
        rate_wait=_rate_wait(timeout),
    )
    return [
        CreatedMeeting(id=m.id, join_url=m.join_url)
        for m in meetings
        if m.agenda.split("\n", 1)[0].strip() == marker
    ]


def update(workspace_id, meeting_id, plan, *, cause, timeout=None):
    tokens.call(
        workspace_id,
        "meeting.update",
        cause,
        lambda token: client.update_meeting(token, meeting_id, plan.fields(), timeout=timeout),
        meeting_id=meeting_id,
        rate_wait=_rate_wait(timeout),
    )


def delete(workspace_id, meeting_id, *, cause, timeout=None):
    """Delete the meeting; one Zoom no longer has counts as deleted."""
    with contextlib.suppress(client.MeetingNotFound):
        tokens.call(
            workspace_id,
            "meeting.delete",
            cause,
            lambda token: client.delete_meeting(token, meeting_id, timeout=timeout),
            meeting_id=meeting_id,
            rate_wait=_rate_wait(timeout),
        )


def details(workspace_id, meeting_id, *, cause, start_link=False, timeout=None):
    """
    The meeting as Zoom has it now (topic, time, passcode…), for display; never stored.

    Its ``start_url`` (the host's start link, valid two hours) is kept only when
    ``start_link`` is asked for, i.e. when the host clicked Start meeting.
    """
    meeting = tokens.call(
        workspace_id,
        "meeting.start_link" if start_link else "meeting.get",
        cause,
        lambda token: client.get_meeting(token, meeting_id, timeout=timeout),
        meeting_id=meeting_id,
        rate_wait=_rate_wait(timeout),
    )
    if not start_link:
        meeting = replace(meeting, start_url="")
    return meeting
