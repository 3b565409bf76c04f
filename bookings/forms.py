import itertools
import re
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.text import slugify

from bookings.models import MAX_DURATION_MINUTES, LocationKind, Service
from bookings.times import duration_label, parse_instant_param, zone_named


def _minute_choices(minutes, none_label=None):
    return [(m, none_label if m == 0 and none_label else duration_label(m)) for m in minutes]


BUFFER_CHOICES = _minute_choices([0, 5, 10, 15, 30, 45, 60, 90, 120], "No buffer")
NOTICE_CHOICES = _minute_choices(
    [0, 15, 30, 60, 120, 240, 480, 720, 1440, 2880, 4320, 10080], "No minimum"
)
STEP_CHOICES = _minute_choices([5, 10, 15, 20, 30, 45, 60, 90, 120])
REMINDER_CHOICES = _minute_choices([10080, 2880, 1440, 720, 240, 120, 60, 30, 15])


class ServiceForm(forms.ModelForm):
    slug = forms.SlugField(
        label="Public address",
        max_length=60,
        required=False,
        help_text="The end of this service's booking page address. Leave empty to derive it "
        "from the name.",
    )
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)",
        min_value=5,
        max_value=MAX_DURATION_MINUTES,
        widget=forms.NumberInput(attrs={"step": 5}),
    )
    location_kind = forms.ChoiceField(
        label="Location", choices=LocationKind.choices, widget=forms.RadioSelect
    )
    buffer_before_minutes = forms.TypedChoiceField(
        label="Buffer before",
        choices=BUFFER_CHOICES,
        coerce=int,
        help_text="Free time kept before each booking.",
    )
    buffer_after_minutes = forms.TypedChoiceField(
        label="Buffer after",
        choices=BUFFER_CHOICES,
        coerce=int,
        help_text="Free time kept after each booking.",
    )
    minimum_notice_minutes = forms.TypedChoiceField(
        label="Minimum notice",
        choices=NOTICE_CHOICES,
        coerce=int,
        help_text="How long before a start time it can still be booked.",
    )
    horizon_days = forms.IntegerField(
        label="Bookable up to (days ahead)",
        min_value=1,
        max_value=730,
        help_text="How far ahead invitees may book.",
    )
    slot_step_minutes = forms.TypedChoiceField(
        label="Start times every",
        choices=STEP_CHOICES,
        coerce=int,
        help_text="Start times offered, counted from midnight in your time zone.",
    )
    reminder_minutes = forms.TypedMultipleChoiceField(
        label="Reminder emails",
        choices=REMINDER_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Sent to you and the invitee before each confirmed booking.",
    )

    class Meta:
        model = Service
        fields = [
            "name",
            "slug",
            "description",
            "duration_minutes",
            "location_kind",
            "location_address",
            "location_phone",
            "buffer_before_minutes",
            "buffer_after_minutes",
            "minimum_notice_minutes",
            "horizon_days",
            "slot_step_minutes",
            "requires_confirmation",
            "reminder_minutes",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "location_address": "Shown to invitees for in-person bookings.",
            "location_phone": "The number invitees call, for phone bookings.",
            "requires_confirmation": "On: bookings wait until you confirm them. Off: an "
            "invitee's booking is confirmed as soon as they book.",
        }

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.instance.workspace = workspace
        if self.instance._state.adding:
            # Fields declared on the form lose the model's defaults, and a ModelForm without
            # an instance starts from nothing: a new service starts from the defaults.
            for name in self.fields:
                model_field = Service._meta.get_field(name)
                if model_field.has_default():
                    self.initial.setdefault(name, model_field.get_default())

    def clean(self):
        cleaned = super().clean()
        slug = cleaned.get("slug") or slugify(cleaned.get("name") or "")[:60].strip("-")
        if "slug" not in self.errors:
            if not slug:
                self.add_error("slug", "Give this service a public address.")
            elif (
                Service.objects.filter(workspace=self.workspace, slug=slug)
                .exclude(pk=self.instance.pk)
                .exists()
            ):
                self.add_error("slug", f"Another of your services uses “{slug}”.")
            else:
                cleaned["slug"] = slug
        kind = cleaned.get("location_kind")
        if kind == LocationKind.IN_PERSON and not cleaned.get("location_address", "").strip():
            self.add_error("location_address", "Give the address for in-person bookings.")
        if kind == LocationKind.PHONE and not cleaned.get("location_phone", "").strip():
            self.add_error("location_phone", "Give the number invitees should call.")
        return cleaned


INTERVAL_RE = re.compile(
    r"^(?P<h1>\d{1,2})(?::(?P<m1>\d{2}))?\s*(?:-|–|—|to)\s*(?P<h2>\d{1,2})(?::(?P<m2>\d{2}))?$"
)


def format_minute(minute):
    return f"{minute // 60:02d}:{minute % 60:02d}"


def format_intervals(intervals):
    return ", ".join(f"{format_minute(a)}–{format_minute(b)}" for a, b in intervals)


def parse_intervals(text):
    """
    "09:00-12:00, 13:00-17:00" → [(540, 720), (780, 1020)], sorted.

    Raises ValidationError naming the part that is not a time range, or the ranges that
    overlap.
    """
    intervals = []
    for part in re.split(r"[,;]", text or ""):
        part = part.strip()
        if not part:
            continue
        match = INTERVAL_RE.match(part)
        if not match:
            raise forms.ValidationError(
                "“%(part)s” is not a time range like 09:00-12:00.", params={"part": part}
            )
        bounds = []
        for hours, minutes in (match["h1"], match["m1"]), (match["h2"], match["m2"]):
            hours, minutes = int(hours), int(minutes or 0)
            if minutes > 59 or hours > 24 or (hours == 24 and minutes):
                raise forms.ValidationError(
                    "“%(part)s” has a time that does not exist.", params={"part": part}
                )
            bounds.append(hours * 60 + minutes)
        if bounds[0] >= bounds[1]:
            raise forms.ValidationError("“%(part)s” ends before it starts.", params={"part": part})
        intervals.append(tuple(bounds))
    intervals.sort()
    for (a1, b1), (a2, b2) in itertools.pairwise(intervals):
        if a2 < b1:
            raise forms.ValidationError(
                "%(first)s and %(second)s overlap.",
                params={
                    "first": format_intervals([(a1, b1)]),
                    "second": format_intervals([(a2, b2)]),
                },
            )
    return intervals


WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class WeeklyHoursForm(forms.Form):
    """One field per weekday, each holding that day's intervals as text."""

    def __init__(self, *args, hours=None, **kwargs):
        super().__init__(*args, **kwargs)
        hours = hours or {}
        for weekday, name in enumerate(WEEKDAYS):
            self.fields[name.lower()] = forms.CharField(
                label=name,
                required=False,
                max_length=200,
                initial=format_intervals(hours.get(weekday, [])),
                widget=forms.TextInput(attrs={"placeholder": "Unavailable"}),
            )

    def clean(self):
        cleaned = super().clean()
        hours = {}
        for weekday, name in enumerate(WEEKDAYS):
            field = name.lower()
            if field in self.errors:
                continue
            try:
                hours[weekday] = parse_intervals(cleaned.get(field, ""))
            except forms.ValidationError as error:
                self.add_error(field, error)
        cleaned["hours"] = hours
        return cleaned


class DateOverrideForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.CharField(
        label="Hours that day",
        required=False,
        max_length=200,
        help_text="Like 10:00-14:00. Leave empty for a day off.",
        widget=forms.TextInput(attrs={"placeholder": "Day off"}),
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date < self.today:
            raise forms.ValidationError("Pick today or a later date.")
        if date > self.today + timedelta(days=730):
            raise forms.ValidationError("Pick a date within the next two years.")
        return date

    def clean_hours(self):
        return parse_intervals(self.cleaned_data["hours"])


class InstantField(forms.Field):
    """A start time chosen on the calendar, travelling as text like 2026-03-03T09:00Z."""

    widget = forms.HiddenInput
    default_error_messages = {
        "required": "Pick a time from the calendar.",
        "invalid": "Pick a time from the calendar.",
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        instant = parse_instant_param(value)
        if instant is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return instant


class ZoneField(forms.Field):
    """The invitee's time zone; anything we don't know reads as UTC."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        return zone_named(value) or zone_named("UTC")


class BookingDetailsForm(forms.Form):
    name = forms.CharField(
        label="Your name",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Your email",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="Your confirmation and calendar invite go here.",
    )
    notes = forms.CharField(
        label="Anything to share beforehand?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": "Keep notes to %(limit_value)d characters (you have %(show_value)d)."
        },
    )
    start = InstantField()
    tz = ZoneField()

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Tell us your name.")
        return name


class BookingConfirmForm(BookingDetailsForm):
    key = forms.RegexField(
        regex=r"^[A-Za-z0-9_-]{16,64}$",
        widget=forms.HiddenInput,
        error_messages={"invalid": "This form has expired. Please review your booking again."},
    )


class RescheduleForm(forms.Form):
    start = InstantField()


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Included in the email to the other side.",
    )


def local_today(zone):
    return timezone.now().astimezone(zone).date()
