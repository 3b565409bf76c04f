"""The invitee's own pages, reached through the unguessable link in every booking email."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from bookings import ics, meetings, services
from bookings.forms import ReasonForm
from bookings.models import Actor, Booking
from bookings.times import zone_or_utc
from bookings.views.common import booking_summary, reschedule_page
from bookings.views.meeting import meeting_panel


def _booking(token):
    return get_object_or_404(
        Booking.objects.select_related("service", "workspace__owner", "meeting"),
        manage_token=token,
    )


def _context(booking):
    return {
        **booking_summary(booking, zone_or_utc(booking.invitee_time_zone)),
        "can_change": booking.can_change(),
        "panel": meeting_panel(booking, to_host=False),
        "last_event": booking.events.last(),
    }


@never_cache
def manage_booking(request, token):
    booking = _booking(token)
    return render(request, "bookings/public/booking.html", _context(booking))


@never_cache
@require_http_methods(["GET", "POST"])
def manage_reschedule(request, token):
    booking = _booking(token)
    if not booking.can_change():
        messages.error(request, "This booking can no longer be moved.")
        return redirect(booking.get_manage_url())
    return reschedule_page(
        request,
        booking,
        actor=Actor.INVITEE,
        default_zone=zone_or_utc(booking.invitee_time_zone),
        template="bookings/public/reschedule.html",
        context={},
        done_url=booking.get_manage_url(),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def manage_cancel(request, token):
    booking = _booking(token)
    if not booking.can_change():
        messages.error(request, "This booking can no longer be cancelled.")
        return redirect(booking.get_manage_url())
    form = ReasonForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_cancel(
                booking, actor=Actor.INVITEE, reason=form.cleaned_data["reason"]
            )
        except services.BookingError as refused:
            error = str(refused)
        else:
            meetings.attempt_for(booking)
            messages.success(request, "Your booking is cancelled. We’ve let the host know.")
            return redirect(booking.get_manage_url())
    return render(
        request,
        "bookings/public/cancel.html",
        {**_context(booking), "form": form, "error": error},
    )


@never_cache
def manage_invite(request, token):
    """The booking as a calendar file, for adding it by hand."""
    booking = _booking(token)
    method = ics.Method.REQUEST if booking.is_active else ics.Method.CANCEL
    calendar = ics.booking_invite(booking, Actor.INVITEE, method=method)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{booking.reference}.ics"'
    return response
