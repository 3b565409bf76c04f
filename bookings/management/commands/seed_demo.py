from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from accounts.services import user_signup
from bookings import services
from bookings.models import LocationKind, Service

DEMO_EMAIL = "demo@vrtual.ly"
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed for everyone to use # nosec B105

# Monday to Friday, 09:00–12:00 and 13:00–17:00 (minutes after midnight).
WEEKDAY_HOURS = [(9 * 60, 12 * 60), (13 * 60, 17 * 60)]

DEMO_SERVICES = [
    {
        "slug": "discovery-call",
        "name": "Discovery call",
        "description": "A free first conversation: what you want to achieve, and whether "
        "coaching with me is the way to get there.",
        "duration_minutes": 30,
        "location_kind": LocationKind.ZOOM,
        "minimum_notice_minutes": 60,
        "requires_confirmation": False,
    },
    {
        "slug": "coaching-session",
        "name": "Coaching session",
        "description": "A full session on your goals. I confirm each request personally.",
        "duration_minutes": 60,
        "location_kind": LocationKind.ZOOM,
        "buffer_after_minutes": 15,
        "requires_confirmation": True,
    },
    {
        "slug": "in-person-consultation",
        "name": "In-person consultation",
        "description": "Meet at the studio in Amsterdam.",
        "duration_minutes": 45,
        "location_kind": LocationKind.IN_PERSON,
        "location_address": "Keizersgracht 123, 1015 CJ Amsterdam",
        "buffer_before_minutes": 15,
        "buffer_after_minutes": 15,
        "minimum_notice_minutes": 24 * 60,
    },
]


class Command(BaseCommand):
    help = (
        "Create the demo host, with a weekly schedule and three services (once), and print "
        "how to log in and where to book."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        user = User.objects.filter(email=DEMO_EMAIL).first()
        if user is None:
            user = user_signup(
                name="Dana Demo",
                email=DEMO_EMAIL,
                password=DEMO_PASSWORD,
                time_zone="Europe/Amsterdam",
            )
            workspace = user.workspace
            workspace.name = "Dana Demo Coaching"
            workspace.slug = "dana"
            workspace.save()
        workspace = user.workspace
        # Only fill what is missing, so edits made while trying the demo survive a restart.
        if not workspace.availability_rules.exists():
            services.availability_set_weekly(
                workspace, {weekday: WEEKDAY_HOURS for weekday in range(5)}
            )
        for fields in DEMO_SERVICES:
            Service.objects.get_or_create(
                workspace=workspace, slug=fields["slug"], defaults=fields
            )

        self.stdout.write(f"  Demo login: {DEMO_EMAIL} / {DEMO_PASSWORD}")
        self.stdout.write(f"  Demo booking page: {settings.BASE_URL}/{workspace.slug}/")
