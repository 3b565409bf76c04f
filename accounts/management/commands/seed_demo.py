from django.core.management.base import BaseCommand

from accounts.models import User
from accounts.services import user_signup

DEMO_EMAIL = "demo@vrtual.ly"
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed for everyone to use


class Command(BaseCommand):
    help = "Create the demo host and workspace (once), and print how to log in."

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
        self.stdout.write(f"  Demo login: {DEMO_EMAIL} / {DEMO_PASSWORD}")
