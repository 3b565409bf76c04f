"""
What must hold after any scenario, however hard it was on the product:

1. every booking a person saw confirmed is still there, confirmed;
2. every confirmed Zoom booking has exactly one Zoom meeting — or a state that says why not;
3. no Zoom meeting exists without its booking;
4. no Zoom call happened after a disconnect or a deauthorization;
5. no token (nor the app's secrets) in any log line or plaintext column.
"""

import re
from dataclasses import dataclass, field

from reliability.actors import shell

# Zoom's tokens and host start links are JWT-shaped; the database keeps tokens only as Fernet.
JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")
MARKER = re.compile(r"^vrtual\.ly booking (VR-[0-9A-Z]{6})")

STATE = """
import json
from django.apps import apps
from django.db import models
from bookings.models import Booking

rows = []
for b in Booking.objects.select_related("meeting").iterator():
    m = getattr(b, "meeting", None)
    rows.append({
        "reference": b.reference, "token": b.manage_token, "status": b.status,
        "zoom": b.location_kind == "zoom",
        "meeting": None if m is None else {
            "state": m.state, "action": m.action, "problem": m.problem,
            "id": m.zoom_meeting_id, "join_url": m.join_url,
        },
    })
texts = []
for model in apps.get_models():
    names = [f.attname for f in model._meta.concrete_fields
             if isinstance(f, (models.CharField, models.TextField))]
    if names:
        for values in model.objects.values_list(*names).iterator():
            texts.extend(str(v) for v in values if v)
print(json.dumps({"bookings": rows, "texts": texts}))
"""


@dataclass
class Report:
    bookings: int = 0
    confirmed_zoom: int = 0
    meetings: int = 0
    explained: int = 0
    duplicates: int = 0
    lost: int = 0
    orphans: int = 0
    problems: list = field(default_factory=list)

    def as_row(self):
        return {
            "bookings": self.bookings,
            "confirmed on Zoom": self.confirmed_zoom,
            "meetings": self.meetings,
            "explained (no meeting)": self.explained,
            "duplicates": self.duplicates,
            "lost": self.lost,
        }


def database_state(stack):
    return shell(stack, STATE)


def check(stack, *, seen_tokens=(), seen_references=(), quiet_since=None, allow_pending=False):
    """
    Check the invariants; return a Report (``report.problems`` lists what broke).

    ``seen_tokens``/``seen_references``: bookings people saw confirmed (manage tokens, references).
    ``quiet_since``: request-log sequence numbers after which no Meetings API call may appear
    (a disconnect or deauthorization), as ``{workspace label: seq}`` or a single number.
    """
    state = database_state(stack)
    report = Report(bookings=len(state["bookings"]))
    by_token = {b["token"]: b for b in state["bookings"]}
    by_reference = {b["reference"]: b for b in state["bookings"]}

    for token in seen_tokens:
        booking = by_token.get(token)
        if booking is None:
            report.lost += 1
            report.problems.append(f"a booking an invitee saw confirmed is gone ({token[:6]}…)")
    for reference in seen_references:
        booking = by_reference.get(reference)
        if booking is None or booking["status"] != "confirmed":
            report.lost += 1
            report.problems.append(f"{reference} was confirmed by its host but is not now")

    live = {}
    for meeting in stack.control.meetings():
        if meeting["deleted"]:
            continue
        match = MARKER.match(meeting.get("agenda") or "")
        reference = match.group(1) if match else None
        live.setdefault(reference, []).append(meeting["id"])
    report.meetings = sum(len(ids) for ids in live.values())

    for booking in state["bookings"]:
        if not (booking["zoom"] and booking["status"] == "confirmed"):
            continue
        report.confirmed_zoom += 1
        ids = live.get(booking["reference"], [])
        meeting = booking["meeting"] or {}
        if len(ids) > 1:
            report.duplicates += len(ids) - 1
            report.problems.append(f"{booking['reference']} has {len(ids)} Zoom meetings")
        if len(ids) == 1:
            if meeting.get("id") != ids[0] or meeting.get("state") != "created":
                report.problems.append(
                    f"{booking['reference']} does not know its meeting {ids[0]}"
                )
        elif (meeting.get("state") == "failed" and meeting.get("problem")) or (
            allow_pending and meeting.get("state") == "pending"
        ):
            report.explained += 1
        elif not ids:
            report.problems.append(
                f"{booking['reference']} is confirmed, on Zoom, without a meeting or a reason "
                f"({meeting})"
            )

    for reference, ids in live.items():
        booking = by_reference.get(reference)
        if booking is None or booking["status"] != "confirmed":
            report.orphans += len(ids)
            report.problems.append(f"Zoom meeting(s) {ids} belong to no confirmed booking")

    if quiet_since is not None:
        marks = quiet_since.values() if isinstance(quiet_since, dict) else [quiet_since]
        after = stack.control.requests(min(marks))
        calls = [r for r in after if (r["endpoint"] or "").startswith("meetings.")]
        if calls:
            report.problems.append(f"{len(calls)} Zoom API call(s) after the disconnect")

    leaks = [where for where, text in _haystacks(stack, state) if _leaks(stack, text)]
    report.problems.extend(f"a token or secret leaked into {where}" for where in leaks)
    return report


def _haystacks(stack, state):
    # The product's processes; the sandbox is Zoom's side, where tokens belong.
    for name in stack.names("web") + stack.names("worker"):
        yield f"the {name} log", stack.logs(name)
    yield "a database column", "\n".join(state["texts"])
    yield "an email", "\n".join(m.as_string() for m in stack.outbox())


def _leaks(stack, text):
    return bool(JWT.search(text)) or any(
        secret in text for secret in (stack.zoom_client_secret, stack.zoom_webhook_secret)
    )
