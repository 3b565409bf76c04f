from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = "Bookings"

    def ready(self):
        from bookings import meetings
        from integrations.signals import connection_removed

        connection_removed.connect(
            meetings.on_connection_removed, dispatch_uid="bookings-meetings"
        )
