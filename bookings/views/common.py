"""Pieces the host's and the invitee's pages share."""

from django.contrib import messages
from django.shortcuts import redirect, render

from bookings import meetings, selectors, services
from bookings.forms import RescheduleForm
from bookings.locations import location_for
from bookings.picker import build_picker
from bookings.times import format_range, instant_param, parse_instant_param


def booking_summary(booking, zone):
    """What the booking pages show about a booking, in ``zone``."""
    return {
        "booking": booking,
        "service": booking.service,
        "host_name": booking.workspace.owner.name or booking.workspace.name,
        "when": format_range(booking.start, booking.end, zone),
        "zone": zone,
        "location": location_for(booking),
    }


def reschedule_page(request, booking, *, actor, default_zone, template, context, done_url):
    """
    Pick a new time for ``booking`` on the calendar (GET), then move it there (POST).

    A chosen time travels as ``start`` in the link; the page asks to confirm the move.
    """
    duration = booking.end - booking.start
    error = None
    if request.method == "POST":
        form = RescheduleForm(request.POST)
        if form.is_valid():
            try:
                services.booking_reschedule(
                    booking, new_start=form.cleaned_data["start"], actor=actor
                )
            except services.BookingError as refused:
                error = str(refused)
            else:
                meetings.attempt_for(booking)
                messages.success(request, "The booking has moved. Both sides get an email.")
                return redirect(done_url)
        else:
            error = "Pick a new time from the calendar."

    picker = build_picker(
        request, booking.service, default_zone=default_zone, exclude=booking, duration=duration
    )
    _leave_out_current_time(picker, booking.start)
    chosen = parse_instant_param(request.GET.get("start"))
    if chosen and not selectors.is_free(
        booking.service, chosen, exclude=booking, duration=duration
    ):
        picker.notices.append("That time is not available — please pick another.")
        chosen = None
    return render(
        request,
        template,
        {
            **context,
            **booking_summary(booking, picker.zone),
            "picker": picker,
            "error": error,
            "chosen": chosen,
            "chosen_param": instant_param(chosen) if chosen else "",
            "chosen_when": format_range(chosen, chosen + duration, picker.zone) if chosen else "",
        },
    )


def _leave_out_current_time(picker, start):
    """The booking's own time is free for it, but is no new time to move to: not offered."""
    slots = [slot for slot in picker.slots if slot[0] != start]
    if len(slots) == len(picker.slots):
        return
    picker.slots = slots
    for week in picker.weeks:
        for day in week:
            if day.selected:
                day.slot_count -= 1
