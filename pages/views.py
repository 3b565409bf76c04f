import sys

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from bookings import selectors
from integrations.registry import get_integration


def landing(request):
    if request.user.is_authenticated:
        return redirect("workspace")
    return render(request, "pages/landing.html")


@login_required
def workspace_home(request):
    workspace = request.user.workspace
    zoom = get_integration("zoom").state(workspace)
    has_service = workspace.services.filter(is_active=True).exists()
    checklist = [
        {"label": "Create a service", "url": reverse("service_list"), "done": has_service},
        {
            "label": "Set your availability",
            "url": reverse("availability"),
            "done": workspace.availability_rules.exists(),
        },
        {"label": "Connect Zoom", "url": reverse("integrations"), "done": zoom.is_connected},
    ]
    return render(
        request,
        "pages/workspace.html",
        {
            "workspace": workspace,
            "checklist": checklist,
            "has_service": has_service,
            "upcoming": selectors.upcoming_bookings(workspace),
            "awaiting": selectors.awaiting_count(workspace),
            "nav": "workspace",
        },
    )


@login_required
def business_tools(request):
    tools = [
        {
            "name": "Bookings",
            "icon": "calendar",
            "summary": "Upcoming bookings, requests awaiting your confirmation, and the past.",
            "url": reverse("booking_list"),
        },
        {
            "name": "Services",
            "icon": "services",
            "summary": "What invitees can book: length, location, buffers and notice.",
            "url": reverse("service_list"),
        },
        {
            "name": "Availability",
            "icon": "clock",
            "summary": "Your weekly hours, days off and one-off changes.",
            "url": reverse("availability"),
        },
        {
            "name": "Integrations",
            "icon": "plug",
            "summary": "Connect Zoom so every confirmed booking gets its own meeting.",
            "url": reverse("integrations"),
        },
    ]
    return render(request, "pages/business_tools.html", {"tools": tools, "nav": "business_tools"})


def zoom_docs(request):
    return render(request, "pages/zoom_docs.html", {"nav": "docs"})


def support(request):
    return render(request, "pages/support.html")


def privacy(request):
    return render(request, "pages/privacy.html")


def terms(request):
    return render(request, "pages/terms.html")


@never_cache
def healthz(request):
    """200 when this process can reach the database, 503 when it cannot."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unreachable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    """
    The page for an unexpected failure. A database that cannot be reached (a restart, a
    failover) is not a bug but a pause: it gets a 503 with Retry-After, so browsers and load
    balancers know to try again, and nothing half-done was saved.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = render(request, "503.html", status=503)
        response["Retry-After"] = "5"
        return response
    return render(request, "500.html", status=500)
