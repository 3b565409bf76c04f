"""
Services (what a host offers), availability (when), and bookings (who booked what, and what
happened to each booking since).

Times are stored as UTC instants. Availability is stored as wall-clock minutes in the host's
time zone, because "Mondays 09:00–12:00" stays 09:00–12:00 across daylight-saving changes.
"""

import secrets
from datetime import timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from accounts.models import Workspace

MINUTES_PER_DAY = 24 * 60
# The longest service; also bounds how far back the dashboard looks for bookings in progress.
MAX_DURATION_MINUTES = 12 * 60
MAX_BUFFER_MINUTES = 2 * 60
# The longest time one booking can hold (its duration and both buffers): a look-up for the
# bookings overlapping a window reads busy_start from this far before it, an index range as
# short as the window, however many years of bookings lie behind.
MAX_BUSY = timedelta(minutes=MAX_DURATION_MINUTES + 2 * MAX_BUFFER_MINUTES)
DEFAULT_REMINDERS = [24 * 60, 60]


class LocationKind(models.TextChoices):
    ZOOM = "zoom", "Zoom video meeting"
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone call"


def default_reminders():
    return list(DEFAULT_REMINDERS)


class Service(models.Model):
    """Something a host offers to book: a "Discovery call", a "Coaching session"…"""

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="services")
    name = models.CharField(max_length=100)
    slug = models.SlugField(
        "public address",
        max_length=60,
        help_text="The last part of this service's booking page address.",
    )
    description = models.TextField(blank=True, max_length=2000)
    duration_minutes = models.PositiveIntegerField(
        "duration",
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(MAX_DURATION_MINUTES)],
    )
    location_kind = models.CharField(
        "location", max_length=20, choices=LocationKind.choices, default=LocationKind.ZOOM
    )
    location_address = models.CharField("address", max_length=300, blank=True)
    location_phone = models.CharField("phone number", max_length=40, blank=True)
    buffer_before_minutes = models.PositiveIntegerField(
        "buffer before", default=0, validators=[MaxValueValidator(MAX_BUFFER_MINUTES)]
    )
    buffer_after_minutes = models.PositiveIntegerField(
        "buffer after", default=0, validators=[MaxValueValidator(MAX_BUFFER_MINUTES)]
    )
    minimum_notice_minutes = models.PositiveIntegerField("minimum notice", default=4 * 60)
    horizon_days = models.PositiveIntegerField(
        "bookable up to",
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text="How many days ahead invitees may book.",
    )
    slot_step_minutes = models.PositiveIntegerField("start times every", default=30)
    requires_confirmation = models.BooleanField("requires my confirmation", default=False)
    reminder_minutes = models.JSONField(
        "reminders", default=default_reminders, blank=True, help_text="Minutes before the start."
    )
    is_active = models.BooleanField("active", default=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "slug"], name="service_slug_per_workspace"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("public_service", args=[self.workspace.slug, self.slug])


class AvailabilityRule(models.Model):
    """One weekly interval of a workspace's availability, e.g. Mondays 09:00–12:00."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0
        TUESDAY = 1
        WEDNESDAY = 2
        THURSDAY = 3
        FRIDAY = 4
        SATURDAY = 5
        SUNDAY = 6

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="availability_rules")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    # Minutes after local midnight; 1440 is the end of the day.
    start_minute = models.PositiveSmallIntegerField()
    end_minute = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["weekday", "start_minute"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_minute__lt=models.F("end_minute"))
                & models.Q(end_minute__lte=MINUTES_PER_DAY),
                name="availability_rule_is_an_interval",
            )
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_minute}–{self.end_minute}"


class DateOverride(models.Model):
    """
    Hours for one date that replace the weekly rules on that date.

    A date's overrides are all its rows: a row without times means the whole day is off.
    """

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="date_overrides")
    date = models.DateField()
    start_minute = models.PositiveSmallIntegerField(null=True, blank=True)
    end_minute = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["date", "start_minute"]
        indexes = [models.Index(fields=["workspace", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(start_minute__isnull=True, end_minute__isnull=True)
                    | models.Q(start_minute__lt=models.F("end_minute"), end_minute__lte=1440)
                ),
                name="date_override_is_a_day_off_or_an_interval",
            )
        ]

    def __str__(self):
        return f"{self.date} {self.start_minute}–{self.end_minute}"


REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # No 0/O or 1/I to misread.


def new_reference():
    return "VR-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def new_manage_token():
    return secrets.token_urlsafe(24)


class Booking(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Awaiting confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"

    # Bookings in these states hold their time: nobody else can book it. (The partial
    # indexes in Meta spell these lists out; keep them in step.)
    ACTIVE = [Status.REQUESTED, Status.CONFIRMED]
    INACTIVE = [Status.DECLINED, Status.CANCELLED]

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="bookings")
    service = models.ForeignKey(Service, models.PROTECT, related_name="bookings")
    # Shown to people (emails, calendar, the Zoom agenda); not a secret.
    reference = models.CharField(max_length=12, unique=True, default=new_reference)
    # The invitee's key to their booking page: a secret.
    manage_token = models.CharField(max_length=64, unique=True, default=new_manage_token)
    # From the review form, so a repeated "Confirm booking" lands on the same booking.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)

    start = models.DateTimeField()
    end = models.DateTimeField()
    # The time this booking keeps others from booking: start and end widened by the
    # service's buffers as they were when it was booked.
    busy_start = models.DateTimeField()
    busy_end = models.DateTimeField()

    invitee_name = models.CharField(max_length=100)
    invitee_email = models.EmailField()
    invitee_notes = models.TextField(blank=True, max_length=2000)
    invitee_time_zone = models.CharField(max_length=64, default="UTC")

    # Where it happens, as it was when booked: changing the service later does not move it.
    location_kind = models.CharField(max_length=20, choices=LocationKind.choices)
    location_details = models.CharField(max_length=300, blank=True)

    # The calendar invite's SEQUENCE: bumped whenever the invite changes time or is withdrawn.
    sequence = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # The dashboard's tabs, each one index range walked in order of start: upcoming
            # and awaiting by status; past and cancelled through partial indexes, because an
            # IN over two statuses cannot be read in order from one (status, start) index.
            models.Index(fields=["workspace", "status", "start"], name="booking_tab_idx"),
            models.Index(
                fields=["workspace", "start"],
                condition=models.Q(status__in=["requested", "confirmed"]),
                name="booking_active_start_idx",
            ),
            models.Index(
                fields=["workspace", "start"],
                condition=models.Q(status__in=["declined", "cancelled"]),
                name="booking_inactive_start_idx",
            ),
            # Free-slot look-ups: only bookings overlapping the window shown.
            models.Index(fields=["workspace", "busy_start"], name="booking_busy_start_idx"),
            models.Index(fields=["workspace", "busy_end"], name="booking_busy_end_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end"))
                & models.Q(busy_start__lte=models.F("start"))
                & models.Q(busy_end__gte=models.F("end")),
                name="booking_times_are_ordered",
            )
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("booking_detail", args=[self.reference])

    def get_manage_url(self):
        return reverse("manage_booking", args=[self.manage_token])

    @property
    def is_active(self):
        return self.status in self.ACTIVE

    def has_started(self, now=None):
        return self.start <= (now or timezone.now())

    def can_change(self):
        """Whether either side may still move or call off this booking."""
        return self.is_active and not (self.status == self.Status.CONFIRMED and self.has_started())


class Actor(models.TextChoices):
    HOST = "host", "Host"
    INVITEE = "invitee", "Invitee"


class BookingEvent(models.Model):
    """One entry of a booking's history: what happened, who did it, and when."""

    class Action(models.TextChoices):
        REQUESTED = "requested", "Requested"
        CONFIRMED = "confirmed", "Confirmed"
        DECLINED = "declined", "Declined"
        RESCHEDULED = "rescheduled", "Rescheduled"
        CANCELLED = "cancelled", "Cancelled"

    booking = models.ForeignKey(Booking, models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.CharField(max_length=10, choices=Actor.choices)
    actor_name = models.CharField(max_length=100)
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True, max_length=1000)
    # The booking's time and invite version right after this event, so its emails describe
    # exactly this change even when the worker sends them after later changes.
    start = models.DateTimeField()
    end = models.DateTimeField()
    previous_start = models.DateTimeField(null=True, blank=True)
    previous_end = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveIntegerField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.booking} {self.action} by {self.actor_name}"


class Meeting(models.Model):
    """
    A booking's Zoom meeting: the two things Zoom gave us (its id and join link), and the work
    still to do to keep it in step with the booking.

    The work (``action``) is done by ``bookings.meetings.attempt``, inline while the person
    waits and then by the worker, which retries with backoff. An attempt holds a short lease
    (``lease_until``) so two processes never work on one meeting at once.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Being created"
        CREATED = "created", "Created"
        FAILED = "failed", "Not created"
        DELETED = "deleted", "Removed"

    class Action(models.TextChoices):
        NONE = "", "Nothing"
        CREATE = "create", "Create"
        UPDATE = "update", "Update"
        DELETE = "delete", "Delete"

    class Problem(models.TextChoices):
        NONE = "", "None"
        NOT_CONNECTED = "not_connected", "Zoom is not connected"
        NEEDS_RECONNECT = "needs_reconnect", "Zoom needs reconnecting"
        ZOOM_FAILING = "zoom_failing", "Zoom is not answering"
        DAILY_LIMIT = "daily_limit", "Zoom's daily limit is reached"
        TIME_PASSED = "time_passed", "The scheduled time has passed"
        REJECTED = "rejected", "Zoom refused"

    booking = models.OneToOneField(Booking, models.CASCADE, related_name="meeting")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    action = models.CharField(max_length=10, choices=Action.choices, blank=True)
    problem = models.CharField(max_length=20, choices=Problem.choices, blank=True)
    problem_detail = models.CharField(max_length=300, blank=True)

    # What vrtual.ly keeps of the meeting: its Zoom id and the participants' join link.
    zoom_meeting_id = models.BigIntegerField("Zoom meeting ID", null=True, blank=True)
    join_url = models.URLField(max_length=1024, blank=True)

    # The person's action the pending work answers, for Zoom's activity log.
    cause = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    # The queued task that will make the next attempt, so a sweeper can tell a wait in the
    # queue from a task whose worker died.
    wakeup_task_id = models.CharField(max_length=64, blank=True)
    # Set before each create call: once set, a meeting may exist in Zoom that we never heard
    # of (a lost answer, a crash), so the next attempt looks for it before creating again.
    create_attempted_at = models.DateTimeField(null=True, blank=True)
    # The booking's invite SEQUENCE last sent to Zoom, to notice changes made mid-call.
    synced_sequence = models.PositiveIntegerField(null=True, blank=True)
    # The confirmation email went out before the link existed: send the link when it does.
    link_owed = models.BooleanField(default=False)
    host_told_of_failure = models.BooleanField(default=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="meeting_work_idx",
                condition=~models.Q(action=""),
            )
        ]

    def __str__(self):
        return f"Zoom meeting of {self.booking_id} ({self.state})"
