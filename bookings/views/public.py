"""
The public booking pages: a workspace's services, and booking one of them.

Booking goes pick a time (GET, the calendar) → your details (POST "details") → review
(POST "confirm", the "Confirm booking" button) → the booking's own page. Each step carries
the earlier ones in its form, and each re-checks what it is given.
"""

import secrets
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.models import Workspace
from bookings import meetings, selectors, services
from bookings.forms import BookingConfirmForm, BookingDetailsForm
from bookings.models import Service
from bookings.picker import build_picker
from bookings.times import (
    format_day,
    format_range,
    format_time,
    instant_param,
    parse_instant_param,
    zone_or_utc,
)

UTC_ZONE = zone_or_utc("UTC")
# How far past a taken time the page looks for other times to offer.
ALTERNATIVES_DAYS = 14
ALTERNATIVES_SHOWN = 12
GONE_MESSAGE = "That time is no longer available — please pick another."


def workspace_page(request, workspace_slug):
    workspace = get_object_or_404(Workspace.objects.select_related("owner"), slug=workspace_slug)
    return render(
        request,
        "bookings/public/workspace.html",
        {
            "workspace": workspace,
            "host_name": workspace.owner.name,
            "services": workspace.services.filter(is_active=True),
        },
    )


def _render(request, service, step, **context):
    return render(
        request,
        "bookings/public/service.html",
        {
            "service": service,
            "workspace": service.workspace,
            "host_name": service.workspace.owner.name or service.workspace.name,
            "step": step,
            **context,
        },
    )


def _details_context(service, start, zone):
    end = start + timedelta(minutes=service.duration_minutes)
    return {
        "start_param": instant_param(start),
        "when": format_range(start, end, zone),
        "zone": zone,
        "calendar_query": urlencode(
            {"tz": zone.key, "day": start.astimezone(zone).date().isoformat()}
        ),
    }


def _alternatives(service, start, zone):
    """Free times from the chosen day on, to offer when the chosen one was taken."""
    local_day = start.astimezone(zone).date()
    day_start = max(start - timedelta(days=1), timezone.now())
    free = selectors.free_slots(
        service, start=day_start, end=start + timedelta(days=ALTERNATIVES_DAYS)
    )
    free = [slot for slot in free if slot.astimezone(zone).date() >= local_day]
    return [
        (instant_param(slot), f"{format_day(slot, zone)}, {format_time(slot, zone)}")
        for slot in free[:ALTERNATIVES_SHOWN]
    ]


def _taken(request, service, form, message):
    """The details form again, input kept, offering other times instead of the lost one."""
    data = form.cleaned_data
    zone, start = data["tz"], data["start"]
    return _render(
        request,
        service,
        "details",
        form=BookingDetailsForm(initial={**data, "start": "", "tz": zone.key}),
        error=message,
        taken=True,
        alternatives=_alternatives(service, start, zone),
        **_details_context(service, start, zone),
    )


def _post(request, service):
    step = request.POST.get("step")
    form = (BookingConfirmForm if step == "confirm" else BookingDetailsForm)(request.POST)
    if not form.is_valid():
        if "start" in form.errors:
            picker = build_picker(request, service, default_zone=UTC_ZONE)
            picker.notices.append("Pick a time from the calendar.")
            return _render(request, service, "pick", picker=picker)
        zone, start = form.cleaned_data["tz"], form.cleaned_data["start"]
        return _render(
            request,
            service,
            "details",
            form=form,
            error=" ".join(form.errors.get("key", [])),
            **_details_context(service, start, zone),
        )

    data = form.cleaned_data
    zone, start = data["tz"], data["start"]
    if step == "edit":
        return _render(
            request, service, "details", form=form, **_details_context(service, start, zone)
        )
    if step == "confirm":
        try:
            booking = services.booking_request(
                service=service,
                start=start,
                invitee_name=data["name"],
                invitee_email=data["email"],
                invitee_notes=data["notes"],
                invitee_time_zone=zone.key,
                idempotency_key=data["key"],
            )
        except (services.SlotTaken, services.SlotUnavailable, services.TimePassed) as refused:
            return _taken(request, service, form, str(refused))
        except services.BookingError as refused:
            return _render(
                request,
                service,
                "details",
                form=form,
                error=str(refused),
                **_details_context(service, start, zone),
            )
        meetings.attempt_for(booking)
        messages.success(
            request,
            f"Request sent: {booking.invitee_email} gets an email now, and another once "
            f"{booking.workspace.owner.name} confirms."
            if booking.status == booking.Status.REQUESTED
            else f"You’re booked! A confirmation is on its way to {booking.invitee_email}.",
        )
        return redirect(booking.get_manage_url())

    if not selectors.is_free(service, start):
        return _taken(request, service, form, GONE_MESSAGE)
    return _render(
        request,
        service,
        "review",
        data=data,
        key=secrets.token_urlsafe(24),
        **_details_context(service, start, zone),
    )


@require_http_methods(["GET", "POST"])
def service_page(request, workspace_slug, service_slug):
    service = get_object_or_404(
        Service.objects.select_related("workspace__owner"),
        workspace__slug=workspace_slug,
        slug=service_slug,
        is_active=True,
    )
    if request.method == "POST":
        return _post(request, service)

    picker = build_picker(request, service, default_zone=UTC_ZONE, detect_zone=True)
    raw_start = request.GET.get("start")
    if raw_start:
        start = parse_instant_param(raw_start)
        if start and selectors.is_free(service, start):
            initial = {"start": instant_param(start), "tz": picker.zone.key}
            form = BookingDetailsForm(initial=initial)
            return _render(
                request,
                service,
                "details",
                form=form,
                **_details_context(service, start, picker.zone),
            )
        picker.notices.append("That time is not available — please pick another.")
    return _render(request, service, "pick", picker=picker)
