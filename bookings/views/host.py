"""The host's pages: services, availability, the bookings dashboard and a booking's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Workspace
from bookings import meetings, selectors, services
from bookings.forms import (
    DateOverrideForm,
    ReasonForm,
    ServiceForm,
    WeeklyHoursForm,
    format_intervals,
    local_today,
)
from bookings.models import Actor, Booking, Service
from bookings.picker import parse_day
from bookings.views.common import booking_summary, reschedule_page
from bookings.views.meeting import meeting_panel


def _workspace(request):
    try:
        return request.user.workspace
    except Workspace.DoesNotExist:
        raise Http404("No workspace") from None


def _services_crumbs(*rest):
    return [
        ("Workspace", reverse("workspace")),
        ("Business Tools", reverse("business_tools")),
        *rest,
    ]


@login_required
def service_list(request):
    workspace = _workspace(request)
    return render(
        request,
        "bookings/host/services.html",
        {
            "workspace": workspace,
            "services": Service.objects.filter(workspace=workspace),
            "crumbs": _services_crumbs(("Services", None)),
            "nav": "business_tools",
        },
    )


def _service_form_page(request, workspace, service):
    form = ServiceForm(request.POST or None, instance=service, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        verb = "saved" if service else "created"
        messages.success(request, f"“{saved.name}” is {verb}.")
        return redirect("service_list")
    title = service.name if service else "New service"
    return render(
        request,
        "bookings/host/service_form.html",
        {
            "form": form,
            "service": service,
            "workspace": workspace,
            "title": title,
            "crumbs": _services_crumbs(("Services", reverse("service_list")), (title, None)),
            "nav": "business_tools",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_create(request):
    return _service_form_page(request, _workspace(request), None)


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request, pk):
    workspace = _workspace(request)
    service = get_object_or_404(Service, pk=pk, workspace=workspace)
    return _service_form_page(request, workspace, service)


@login_required
@require_POST
def service_set_active(request, pk):
    service = get_object_or_404(Service, pk=pk, workspace=_workspace(request))
    service.is_active = request.POST.get("active") == "1"
    service.save(update_fields=["is_active"])
    if service.is_active:
        messages.success(request, f"“{service.name}” is bookable again.")
    else:
        messages.success(
            request,
            f"“{service.name}” is deactivated: its booking page is gone. "
            "Existing bookings stay as they are.",
        )
    return redirect("service_list")


def _availability_page(request, workspace, *, weekly_form=None, override_form=None):
    zone = selectors.host_zone(workspace)
    today = local_today(zone)
    overrides = [
        (day, format_intervals(intervals) if intervals else "")
        for day, intervals in sorted(selectors.date_overrides(workspace, first=today).items())
    ]
    return render(
        request,
        "bookings/host/availability.html",
        {
            "workspace": workspace,
            "zone": zone,
            "weekly_form": weekly_form or WeeklyHoursForm(hours=selectors.weekly_hours(workspace)),
            "override_form": override_form or DateOverrideForm(today=today),
            "overrides": overrides,
            "crumbs": _services_crumbs(("Availability", None)),
            "nav": "business_tools",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def availability(request):
    workspace = _workspace(request)
    if request.method == "POST":
        form = WeeklyHoursForm(request.POST)
        if form.is_valid():
            services.availability_set_weekly(workspace, form.cleaned_data["hours"])
            messages.success(request, "Your weekly hours are saved.")
            return redirect("availability")
        return _availability_page(request, workspace, weekly_form=form)
    return _availability_page(request, workspace)


@login_required
@require_POST
def override_add(request):
    workspace = _workspace(request)
    form = DateOverrideForm(request.POST, today=local_today(selectors.host_zone(workspace)))
    if not form.is_valid():
        return _availability_page(request, workspace, override_form=form)
    day, hours = form.cleaned_data["date"], form.cleaned_data["hours"]
    services.availability_set_override(workspace, day, hours)
    what = f"has its own hours: {format_intervals(hours)}" if hours else "is a day off"
    messages.success(request, f"{dateformat.format(day, 'l j F Y')} {what}.")
    return redirect("availability")


@login_required
@require_POST
def override_remove(request, day):
    workspace = _workspace(request)
    parsed = parse_day(day)
    if parsed is None:
        raise Http404("Not a date")
    services.availability_remove_override(workspace, parsed)
    messages.success(
        request, f"{dateformat.format(parsed, 'l j F Y')} follows your weekly hours again."
    )
    return redirect("availability")


@login_required
def booking_list(request):
    workspace = _workspace(request)
    tabs = dict(selectors.Tab.ALL)
    tab = request.GET.get("tab")
    if tab not in tabs:
        tab = selectors.Tab.UPCOMING
    page = selectors.bookings_page(
        workspace, tab, after=request.GET.get("after"), before=request.GET.get("before")
    )
    return render(
        request,
        "bookings/host/bookings.html",
        {
            "workspace": workspace,
            "tabs": selectors.Tab.ALL,
            "tab": tab,
            "tab_label": tabs[tab],
            "page": page,
            "awaiting": selectors.awaiting_count(workspace),
            "crumbs": _services_crumbs(("Bookings", None)),
            "nav": "business_tools",
        },
    )


def _host_booking(request, reference):
    return get_object_or_404(
        Booking.objects.select_related("service", "workspace__owner", "meeting"),
        workspace__owner=request.user,
        reference=reference,
    )


def _detail_crumbs(booking):
    return _services_crumbs(
        ("Bookings", reverse("booking_list")),
        (booking.reference, None),
    )


@login_required
def booking_detail(request, reference):
    return _booking_page(request, reference)


def _booking_page(request, reference):
    booking = _host_booking(request, reference)
    zone = selectors.host_zone(booking.workspace)
    return render(
        request,
        "bookings/host/booking.html",
        {
            **booking_summary(booking, zone),
            "panel": meeting_panel(booking, to_host=True),
            "events": booking.events.all(),
            "reason_form": ReasonForm(),
            "crumbs": _detail_crumbs(booking),
            "nav": "business_tools",
        },
    )


def _act(request, reference, perform, success):
    """Run ``perform(booking, reason)`` and come back to the booking's page saying how it went."""
    booking = _host_booking(request, reference)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["reason"]))
    else:
        try:
            perform(booking, form.cleaned_data["reason"])
        except services.BookingError as refused:
            messages.error(request, str(refused))
        else:
            meetings.attempt_for(booking)
            messages.success(request, success.format(invitee=booking.invitee_name))
    # The page's own forms post with htmx and get the updated page in the same answer: one
    # round trip, and the address stays the booking's, so a reload never repeats the action.
    # Without JavaScript, the redirect does the same in two.
    if request.headers.get("HX-Request") == "true":
        return _booking_page(request, reference)
    return redirect(booking)


@login_required
@require_POST
def booking_confirm(request, reference):
    return _act(
        request,
        reference,
        lambda booking, reason: services.booking_confirm(booking, actor=Actor.HOST),
        "Confirmed. {invitee} gets an email with the calendar invite.",
    )


@login_required
@require_POST
def booking_decline(request, reference):
    return _act(
        request,
        reference,
        lambda booking, reason: services.booking_decline(booking, actor=Actor.HOST, reason=reason),
        "Declined. {invitee} gets an email, and the time is free again.",
    )


@login_required
@require_POST
def booking_cancel(request, reference):
    return _act(
        request,
        reference,
        lambda booking, reason: services.booking_cancel(booking, actor=Actor.HOST, reason=reason),
        "Cancelled. {invitee} gets an email, and the time is free again.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def booking_reschedule(request, reference):
    booking = _host_booking(request, reference)
    if not booking.can_change():
        messages.error(request, "This booking can no longer be moved.")
        return redirect(booking)
    return reschedule_page(
        request,
        booking,
        actor=Actor.HOST,
        default_zone=selectors.host_zone(booking.workspace),
        template="bookings/host/reschedule.html",
        context={
            "crumbs": _services_crumbs(
                ("Bookings", reverse("booking_list")),
                (booking.reference, booking.get_absolute_url()),
                ("Reschedule", None),
            ),
            "nav": "business_tools",
        },
        done_url=booking.get_absolute_url(),
    )
