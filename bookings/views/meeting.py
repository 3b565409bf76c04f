"""
The Zoom meeting panel of a booking's pages, for the host and for the invitee.

The panel itself reads only our database; the meeting's details (topic, time, passcode) and
the host's start link are read from Zoom when asked for, and never stored.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bookings import meetings
from bookings.locations import format_meeting_id, meeting_of
from bookings.models import Booking, Meeting
from bookings.selectors import host_zone
from bookings.times import format_range, zone_or_utc
from integrations.registry import get_integration
from integrations.zoom import meetings as zoom


def _host_booking(request, reference):
    return get_object_or_404(
        Booking.objects.select_related("service", "workspace__owner", "meeting"),
        workspace=request.user.workspace,
        reference=reference,
    )


def _invitee_booking(token):
    return get_object_or_404(
        Booking.objects.select_related("service", "workspace__owner", "meeting"),
        manage_token=token,
    )


def meeting_panel(booking, *, to_host):
    """The context of bookings/_meeting.html, or None for bookings not on Zoom."""
    if not meetings.is_zoom(booking):
        return None
    zone = host_zone(booking.workspace) if to_host else zone_or_utc(booking.invitee_time_zone)
    connected = get_integration("zoom").state(booking.workspace).is_connected if to_host else True
    meeting = meeting_of(booking)
    if to_host:
        urls = {
            "url": reverse("booking_meeting", args=[booking.reference]),
            "details_url": reverse("booking_meeting_details", args=[booking.reference]),
            "start_url": reverse("booking_meeting_start", args=[booking.reference]),
            "create_url": reverse("booking_meeting_create", args=[booking.reference]),
        }
    else:
        urls = {
            "url": reverse("manage_meeting", args=[booking.manage_token]),
            "details_url": reverse("manage_meeting_details", args=[booking.manage_token]),
        }
    ready = (
        booking.status == Booking.Status.CONFIRMED
        and meeting is not None
        and meeting.state == Meeting.State.CREATED
    )
    return {
        **urls,
        "to_host": to_host,
        "explanation": meetings.explain(
            booking, to_host=to_host, zone=zone, zoom_connected=connected
        ),
        "join_url": meeting.join_url if ready else "",
        "meeting_id": format_meeting_id(meeting.zoom_meeting_id) if ready else "",
    }


def _panel(request, booking, *, to_host):
    return render(
        request,
        "bookings/_meeting.html",
        {"panel": meeting_panel(booking, to_host=to_host), "booking": booking},
    )


def _details(request, booking, *, to_host, back):
    """The meeting as Zoom has it now: read on request, shown, forgotten."""
    meeting = meeting_of(booking)
    zone = host_zone(booking.workspace) if to_host else zone_or_utc(booking.invitee_time_zone)
    context = {"booking": booking, "back": back}
    if booking.status != Booking.Status.CONFIRMED or meeting is None or not meeting.join_url:
        context["error"] = "This booking has no Zoom meeting."
    else:
        who = "host" if to_host else "invitee"
        try:
            details = zoom.details(
                booking.workspace_id,
                meeting.zoom_meeting_id,
                cause=f"Meeting details of booking {booking.reference} shown to the {who}",
                timeout=settings.ZOOM_INLINE_TIMEOUT,
            )
        except (zoom.NotConnected, zoom.ZoomError):
            context["error"] = (
                "Zoom didn’t answer, so the meeting’s details can’t be shown right now. "
                "The join link works all the same."
            )
        else:
            end = details.start_time and details.start_time + timedelta(minutes=details.duration)
            context["details"] = {
                "topic": details.topic,
                "when": format_range(details.start_time, end, zone) if end else "",
                "meeting_id": format_meeting_id(details.id),
                "passcode": details.password,
            }
    template = "bookings/_meeting_details.html"
    if not request.headers.get("HX-Request"):
        template = "bookings/meeting_details_page.html"
    return render(request, template, context)


@login_required
@never_cache
def host_meeting(request, reference):
    return _panel(request, _host_booking(request, reference), to_host=True)


@login_required
@never_cache
def host_meeting_details(request, reference):
    booking = _host_booking(request, reference)
    return _details(request, booking, to_host=True, back=booking.get_absolute_url())


@login_required
@require_POST
def host_meeting_start(request, reference):
    """Start meeting: a fresh host link from Zoom (it expires after two hours), never stored."""
    booking = _host_booking(request, reference)
    meeting = meeting_of(booking)
    if meeting is None or meeting.state != Meeting.State.CREATED or not booking.is_active:
        messages.error(request, "This booking has no Zoom meeting to start.")
        return redirect(booking)
    actor = request.user.name or request.user.email
    try:
        details = zoom.details(
            booking.workspace_id,
            meeting.zoom_meeting_id,
            cause=f"Start meeting of booking {booking.reference} clicked by {actor}",
            start_link=True,
            timeout=settings.ZOOM_INLINE_TIMEOUT,
        )
    except zoom.NotConnected:
        messages.error(
            request,
            "Zoom is not connected, so vrtual.ly can’t get a start link. Open the meeting from "
            "your Zoom app, or reconnect Zoom.",
        )
        return redirect(booking)
    except zoom.ZoomError as error:
        messages.error(request, f"Zoom didn’t give a start link: {error.message} Try again.")
        return redirect(booking)
    return HttpResponseRedirect(details.start_url)


@login_required
@require_POST
def host_meeting_create(request, reference):
    """Create Zoom meeting: the host's own action, for a confirmed booking that has none."""
    booking = _host_booking(request, reference)
    actor = request.user.name or request.user.email
    try:
        meetings.request_create(
            booking,
            cause=f"Create Zoom meeting for booking {booking.reference} clicked by {actor}",
        )
    except meetings.CannotCreate as refused:
        messages.error(request, str(refused))
    else:
        meetings.attempt_for(booking)
    return redirect(booking)


@never_cache
def invitee_meeting(request, token):
    return _panel(request, _invitee_booking(token), to_host=False)


@never_cache
def invitee_meeting_details(request, token):
    booking = _invitee_booking(token)
    return _details(request, booking, to_host=False, back=booking.get_manage_url())
