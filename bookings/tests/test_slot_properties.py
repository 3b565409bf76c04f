"""
Free start times, property-based: for any schedule, bookings, settings, clock and time zone,
the computation agrees with a brute-force search that knows nothing of its shortcuts.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.test import SimpleTestCase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookings.slots import SlotRules, free_slots

# Zones with daylight saving in both hemispheres, half-hour shifts (Lord Howe), odd offsets
# (Kathmandu, Chatham) and none at all.
ZONES = [
    "Europe/Amsterdam",
    "America/New_York",
    "America/Santiago",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Asia/Kathmandu",
    "Asia/Kolkata",
    "UTC",
]
FIVE_MINUTES = timedelta(minutes=5)
# Instants around the 2026 transitions of the zones above, so generated clocks meet them.
TRANSITION_DAYS = [
    datetime(2026, 3, 8, tzinfo=UTC),
    datetime(2026, 3, 29, tzinfo=UTC),
    datetime(2026, 4, 5, tzinfo=UTC),
    datetime(2026, 9, 6, tzinfo=UTC),
    datetime(2026, 9, 27, tzinfo=UTC),
    datetime(2026, 10, 4, tzinfo=UTC),
    datetime(2026, 10, 25, tzinfo=UTC),
    datetime(2026, 11, 1, tzinfo=UTC),
    datetime(2026, 6, 15, tzinfo=UTC),
]


@st.composite
def intervals(draw):
    """A day's hours: sorted, non-overlapping, on a 15-minute grid, possibly none."""
    bounds = sorted(draw(st.sets(st.integers(0, 96), max_size=6)))
    pairs = [(bounds[i] * 15, bounds[i + 1] * 15) for i in range(0, len(bounds) - 1, 2)]
    return [pair for pair in pairs if pair[0] < pair[1]]


@st.composite
def scenarios(draw):
    zone = ZoneInfo(draw(st.sampled_from(ZONES)))
    now = draw(st.sampled_from(TRANSITION_DAYS)) + timedelta(
        minutes=draw(st.integers(-3 * 24 * 60, 2 * 24 * 60))
    )
    weekly = {weekday: draw(intervals()) for weekday in range(7)}
    today = now.astimezone(zone).date()
    overrides = {
        today + timedelta(days=offset): draw(intervals())
        for offset in draw(st.sets(st.integers(-1, 5), max_size=3))
    }
    busy = []
    for _ in range(draw(st.integers(0, 5))):
        start = now + timedelta(minutes=5 * draw(st.integers(-24 * 12, 4 * 24 * 12)))
        busy.append((start, start + timedelta(minutes=5 * draw(st.integers(1, 36)))))
    rules = SlotRules(
        duration=timedelta(minutes=draw(st.sampled_from([15, 30, 45, 60, 90]))),
        buffer_before=timedelta(minutes=draw(st.sampled_from([0, 5, 15, 30]))),
        buffer_after=timedelta(minutes=draw(st.sampled_from([0, 10, 15, 60]))),
        minimum_notice=timedelta(minutes=draw(st.sampled_from([0, 30, 60, 240, 1440]))),
        horizon_days=draw(st.integers(0, 4)),
        step_minutes=draw(st.sampled_from([15, 20, 30, 45, 60])),
    )
    window_start = now + timedelta(minutes=5 * draw(st.integers(-12 * 12, 24 * 12)))
    window_end = window_start + timedelta(minutes=5 * draw(st.integers(1, 4 * 24 * 12)))
    return {
        "weekly": weekly,
        "overrides": overrides,
        "busy": busy,
        "rules": rules,
        "now": now,
        "zone": zone,
        "start": window_start,
        "end": window_end,
    }


def wall(instant, zone):
    return instant.astimezone(zone).replace(tzinfo=None)


def available(instant, case):
    """Whether the host's clock then reads a time inside that date's hours."""
    reading = wall(instant, case["zone"])
    day = reading.date()
    minute = reading.hour * 60 + reading.minute
    hours = case["overrides"].get(day, case["weekly"][day.weekday()])
    return any(a <= minute < b for a, b in hours)


def meeting_fits(slot, case):
    # Every boundary (15-minute wall grid, zone offsets in quarter hours) lies on the UTC
    # five-minute grid, so looking every five minutes sees every change.
    duration = case["rules"].duration
    return all(available(slot + k * FIVE_MINUTES, case) for k in range(duration // FIVE_MINUTES))


def clashes(slot, case):
    rules = case["rules"]
    blocked = (slot - rules.buffer_before, slot + rules.duration + rules.buffer_after)
    return any(start < blocked[1] and blocked[0] < end for start, end in case["busy"])


def brute_force(case):
    """Every five-minute instant of the window, checked against the rules one by one."""
    rules, zone, now = case["rules"], case["zone"], case["now"]
    last_date = now.astimezone(zone).date() + timedelta(days=rules.horizon_days)
    instant = case["start"].replace(second=0, microsecond=0)
    instant += timedelta(minutes=-instant.minute % 5)
    found = []
    while instant < case["end"]:
        reading = wall(instant, zone)
        if (
            (reading.hour * 60 + reading.minute) % rules.step_minutes == 0
            and instant >= case["start"]
            and instant >= now + rules.minimum_notice
            and reading.date() <= last_date
            and meeting_fits(instant, case)
            and not clashes(instant, case)
        ):
            found.append(instant)
        instant += FIVE_MINUTES
    return found


PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


class SlotPropertiesTestCase(SimpleTestCase):
    @PROPERTY_SETTINGS
    @given(scenarios())
    def test_it_finds_exactly_what_a_brute_force_search_finds(self, case):
        self.assertEqual(free_slots(**case), brute_force(case))

    @PROPERTY_SETTINGS
    @given(scenarios())
    def test_every_slot_keeps_every_rule(self, case):
        rules, zone = case["rules"], case["zone"]
        last_date = case["now"].astimezone(zone).date() + timedelta(days=rules.horizon_days)
        found = free_slots(**case)
        self.assertEqual(found, sorted(set(found)))
        for slot in found:
            reading = wall(slot, zone)
            self.assertTrue(case["start"] <= slot < case["end"])
            self.assertGreaterEqual(slot, case["now"] + rules.minimum_notice)
            self.assertLessEqual(reading.date(), last_date)
            self.assertEqual((reading.hour * 60 + reading.minute) % rules.step_minutes, 0)
            self.assertTrue(meeting_fits(slot, case), slot)
            self.assertFalse(clashes(slot, case), slot)

    @PROPERTY_SETTINGS
    @given(scenarios(), st.sampled_from(ZONES))
    def test_the_viewers_zone_only_regroups_the_same_times(self, case, viewer):
        """Cutting the window at the viewer's midnights gives the same times, day by day."""
        viewer = ZoneInfo(viewer)
        whole = free_slots(**case)
        pieces = []
        cut = case["start"]
        while cut < case["end"]:
            next_day = wall(cut, viewer).date() + timedelta(days=1)
            midnight = datetime.combine(next_day, datetime.min.time(), tzinfo=viewer)
            piece_end = min(midnight.astimezone(UTC), case["end"])
            pieces += free_slots(**{**case, "start": cut, "end": piece_end})
            cut = piece_end
        self.assertEqual(pieces, whole)
