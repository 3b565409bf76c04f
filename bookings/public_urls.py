"""
The invitee's pages. The workspace and service patterns match almost any path, so
vrtually/urls.py includes these last: product pages always win (and accounts.slugs keeps
workspaces from taking their names).
"""

from django.urls import path, register_converter

from bookings.converters import TokenConverter
from bookings.views import invitee, meeting, public

register_converter(TokenConverter, "token")

urlpatterns = [
    path("b/<token:token>/", invitee.manage_booking, name="manage_booking"),
    path("b/<token:token>/reschedule/", invitee.manage_reschedule, name="manage_reschedule"),
    path("b/<token:token>/cancel/", invitee.manage_cancel, name="manage_cancel"),
    path("b/<token:token>/invite.ics", invitee.manage_invite, name="manage_invite"),
    path("b/<token:token>/meeting/", meeting.invitee_meeting, name="manage_meeting"),
    path(
        "b/<token:token>/meeting/details/",
        meeting.invitee_meeting_details,
        name="manage_meeting_details",
    ),
    path("<slug:workspace_slug>/", public.workspace_page, name="public_workspace"),
    path(
        "<slug:workspace_slug>/<slug:service_slug>/",
        public.service_page,
        name="public_service",
    ),
]
