"""The host's pages, under /workspace/."""

from django.urls import path, register_converter

from bookings.converters import ReferenceConverter
from bookings.views import host, meeting

register_converter(ReferenceConverter, "reference")

urlpatterns = [
    path("services/", host.service_list, name="service_list"),
    path("services/new/", host.service_create, name="service_create"),
    path("services/<int:pk>/", host.service_edit, name="service_edit"),
    path("services/<int:pk>/active/", host.service_set_active, name="service_set_active"),
    path("availability/", host.availability, name="availability"),
    path("availability/overrides/", host.override_add, name="override_add"),
    path(
        "availability/overrides/<str:day>/remove/",
        host.override_remove,
        name="override_remove",
    ),
    path("bookings/", host.booking_list, name="booking_list"),
    path("bookings/<reference:reference>/", host.booking_detail, name="booking_detail"),
    path("bookings/<reference:reference>/confirm/", host.booking_confirm, name="booking_confirm"),
    path("bookings/<reference:reference>/decline/", host.booking_decline, name="booking_decline"),
    path("bookings/<reference:reference>/cancel/", host.booking_cancel, name="booking_cancel"),
    path(
        "bookings/<reference:reference>/reschedule/",
        host.booking_reschedule,
        name="booking_reschedule",
    ),
    path("bookings/<reference:reference>/meeting/", meeting.host_meeting, name="booking_meeting"),
    path(
        "bookings/<reference:reference>/meeting/details/",
        meeting.host_meeting_details,
        name="booking_meeting_details",
    ),
    path(
        "bookings/<reference:reference>/meeting/start/",
        meeting.host_meeting_start,
        name="booking_meeting_start",
    ),
    path(
        "bookings/<reference:reference>/meeting/create/",
        meeting.host_meeting_create,
        name="booking_meeting_create",
    ),
]
