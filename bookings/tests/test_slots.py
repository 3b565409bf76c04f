"""Free start times: concrete cases, daylight-saving days included."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.test import SimpleTestCase

from bookings.slots import SlotRules, free_slots

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)  # A Monday.
RULES = SlotRules(duration=timedelta(minutes=30), horizon_days=365)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def local(zone, *args, fold=0):
    return datetime(*args, tzinfo=zone, fold=fold).astimezone(UTC)


def slots(weekly=None, *, overrides=None, busy=(), rules=RULES, now=NOW, zone=AMSTERDAM, day):
    """The free start times on ``day`` (a local date in ``zone``), as local "HH:MM" labels."""
    start = datetime.combine(day, datetime.min.time(), tzinfo=zone)
    found = free_slots(
        weekly=weekly if weekly is not None else {},
        overrides=overrides or {},
        busy=busy,
        rules=rules,
        now=now,
        zone=zone,
        start=start.astimezone(UTC),
        end=(start + timedelta(days=1)).astimezone(UTC),
    )
    return [slot.astimezone(zone).strftime("%H:%M") for slot in found]


MONDAY = date(2026, 1, 12)


class WeeklyRulesTestCase(SimpleTestCase):
    def test_it_offers_each_step_of_the_days_intervals(self):
        weekly = {0: [(9 * 60, 11 * 60), (14 * 60, 15 * 60)]}
        self.assertEqual(
            slots(weekly, day=MONDAY), ["09:00", "09:30", "10:00", "10:30", "14:00", "14:30"]
        )

    def test_it_offers_nothing_on_days_without_hours(self):
        self.assertEqual(slots({0: [(540, 1020)]}, day=MONDAY + timedelta(days=1)), [])

    def test_a_meeting_must_end_inside_the_hours(self):
        rules = SlotRules(duration=timedelta(minutes=45), horizon_days=365)
        self.assertEqual(slots({0: [(540, 630)]}, rules=rules, day=MONDAY), ["09:00", "09:30"])

    def test_start_times_follow_the_step_from_local_midnight(self):
        rules = SlotRules(duration=timedelta(minutes=15), step_minutes=20, horizon_days=365)
        # 09:10–10:00: 09:20 and 09:40 are on the grid of 20 minutes, 09:10 is not.
        self.assertEqual(slots({0: [(550, 600)]}, rules=rules, day=MONDAY), ["09:20", "09:40"])

    def test_adjacent_intervals_join_across_midnight(self):
        rules = SlotRules(duration=timedelta(minutes=60), step_minutes=30, horizon_days=365)
        weekly = {0: [(22 * 60, 24 * 60)], 1: [(0, 60)]}
        # 23:30 runs until 00:30 on Tuesday, inside its 00:00–01:00.
        self.assertEqual(
            slots(weekly, rules=rules, day=MONDAY), ["22:00", "22:30", "23:00", "23:30"]
        )


class OverridesTestCase(SimpleTestCase):
    weekly = {0: [(9 * 60, 10 * 60)]}

    def test_a_day_off_has_no_times(self):
        self.assertEqual(slots(self.weekly, overrides={MONDAY: []}, day=MONDAY), [])

    def test_different_hours_replace_the_weekly_ones(self):
        overrides = {MONDAY: [(13 * 60, 14 * 60)]}
        self.assertEqual(slots(self.weekly, overrides=overrides, day=MONDAY), ["13:00", "13:30"])

    def test_an_override_may_open_a_day_without_weekly_hours(self):
        sunday = MONDAY - timedelta(days=1)
        self.assertEqual(
            slots(self.weekly, overrides={sunday: [(600, 660)]}, day=sunday), ["10:00", "10:30"]
        )

    def test_other_days_keep_their_weekly_hours(self):
        self.assertEqual(
            slots(self.weekly, overrides={MONDAY + timedelta(days=1): []}, day=MONDAY),
            ["09:00", "09:30"],
        )


class BusyTimeTestCase(SimpleTestCase):
    weekly = {0: [(9 * 60, 12 * 60)]}
    # A booking 10:00–10:30 Amsterdam time (09:00–09:30 UTC in winter).
    busy = [(utc(2026, 1, 12, 9, 0), utc(2026, 1, 12, 9, 30))]

    def test_a_booking_blocks_its_time(self):
        self.assertNotIn("10:00", slots(self.weekly, busy=self.busy, day=MONDAY))
        self.assertIn("10:30", slots(self.weekly, busy=self.busy, day=MONDAY))
        self.assertIn("09:30", slots(self.weekly, busy=self.busy, day=MONDAY))

    def test_buffers_keep_time_free_around_the_new_meeting(self):
        rules = SlotRules(
            duration=timedelta(minutes=30),
            buffer_before=timedelta(minutes=15),
            buffer_after=timedelta(minutes=15),
            horizon_days=365,
        )
        self.assertEqual(
            slots(self.weekly, busy=self.busy, rules=rules, day=MONDAY),
            ["09:00", "11:00", "11:30"],
        )

    def test_the_busy_time_of_an_existing_booking_includes_its_buffers(self):
        # The booking kept 09:45–10:45 including its own buffers.
        busy = [(utc(2026, 1, 12, 8, 45), utc(2026, 1, 12, 9, 45))]
        self.assertEqual(slots(self.weekly, busy=busy, day=MONDAY), ["09:00", "11:00", "11:30"])


class NoticeAndHorizonTestCase(SimpleTestCase):
    weekly = {weekday: [(9 * 60, 17 * 60)] for weekday in range(7)}

    def test_minimum_notice_hides_times_too_soon(self):
        now = local(AMSTERDAM, 2026, 1, 12, 10, 10)
        rules = SlotRules(
            duration=timedelta(minutes=30), minimum_notice=timedelta(hours=1), horizon_days=9
        )
        self.assertEqual(slots(self.weekly, rules=rules, now=now, day=MONDAY)[0], "11:30")

    def test_times_already_past_are_never_offered(self):
        now = local(AMSTERDAM, 2026, 1, 12, 16, 0)
        self.assertEqual(slots(self.weekly, now=now, day=MONDAY), ["16:00", "16:30"])

    def test_the_horizon_is_counted_in_days_from_the_hosts_today(self):
        now = local(AMSTERDAM, 2026, 1, 12, 23, 30)  # Late on Monday in Amsterdam.
        rules = SlotRules(duration=timedelta(minutes=30), horizon_days=2)
        self.assertTrue(slots(self.weekly, rules=rules, now=now, day=date(2026, 1, 14)))
        self.assertEqual(slots(self.weekly, rules=rules, now=now, day=date(2026, 1, 15)), [])


class DaylightSavingTestCase(SimpleTestCase):
    """
    Europe/Amsterdam: 29 March 2026 02:00 → 03:00, 25 October 2026 03:00 → 02:00.
    America/New_York: 8 March 2026 02:00 → 03:00, 1 November 2026 02:00 → 01:00.
    """

    every_day_9_to_10 = {weekday: [(9 * 60, 10 * 60)] for weekday in range(7)}

    def instants(self, zone, day, weekly, rules=RULES):
        start = datetime.combine(day, datetime.min.time(), tzinfo=zone).astimezone(UTC)
        return free_slots(
            weekly=weekly,
            overrides={},
            busy=[],
            rules=rules,
            now=NOW,
            zone=zone,
            start=start,
            end=start + timedelta(hours=30),
        )

    def test_local_hours_stay_local_across_the_change(self):
        saturday = self.instants(AMSTERDAM, date(2026, 3, 28), self.every_day_9_to_10)[0]
        sunday = self.instants(AMSTERDAM, date(2026, 3, 29), self.every_day_9_to_10)[0]
        self.assertEqual(saturday, utc(2026, 3, 28, 8, 0))  # 09:00 CET
        self.assertEqual(sunday, utc(2026, 3, 29, 7, 0))  # 09:00 CEST

    def test_amsterdam_spring_forward_skips_the_missing_hour(self):
        weekly = {6: [(0, 6 * 60)]}
        self.assertEqual(
            slots(weekly, day=date(2026, 3, 29)),
            [
                "00:00",
                "00:30",
                "01:00",
                "01:30",
                "03:00",
                "03:30",
                "04:00",
                "04:30",
                "05:00",
                "05:30",
            ],
        )

    def test_a_meeting_runs_across_the_jump(self):
        rules = SlotRules(duration=timedelta(minutes=60), horizon_days=365)
        found = self.instants(AMSTERDAM, date(2026, 3, 29), {6: [(60, 4 * 60)]}, rules)
        # 01:30 CET + 60 minutes is 03:30 CEST: inside the hours, which end at 04:00.
        self.assertIn(local(AMSTERDAM, 2026, 3, 29, 1, 30), found)
        self.assertEqual(found[-1], local(AMSTERDAM, 2026, 3, 29, 3, 0))

    def test_hours_starting_inside_the_skipped_hour_start_when_clocks_resume(self):
        self.assertEqual(slots({6: [(150, 240)]}, day=date(2026, 3, 29)), ["03:00", "03:30"])

    def test_the_skipped_hour_does_not_join_hours_either_side_of_it(self):
        # 00:00–01:30 and 02:30–04:00: the clocks jump from 02:00 to 03:00, so the host is
        # away 01:30–02:00 CET, and an hour-long meeting from 01:00 would run into it.
        rules = SlotRules(duration=timedelta(minutes=60), horizon_days=365)
        found = slots({6: [(0, 90), (150, 240)]}, rules=rules, day=date(2026, 3, 29))
        self.assertEqual(found, ["00:00", "00:30", "03:00"])

    def test_amsterdam_fall_back_offers_the_repeated_times_twice(self):
        found = self.instants(AMSTERDAM, date(2026, 10, 25), {6: [(60, 4 * 60)]})
        labels = [slot.astimezone(AMSTERDAM).strftime("%H:%M %Z") for slot in found]
        self.assertEqual(
            labels,
            [
                "01:00 CEST",
                "01:30 CEST",
                "02:00 CEST",
                "02:30 CEST",
                "02:00 CET",
                "02:30 CET",
                "03:00 CET",
                "03:30 CET",
            ],
        )
        # Eight half hours in four real hours.
        self.assertEqual(found[-1] - found[0], timedelta(hours=3, minutes=30))

    def test_hours_ending_inside_the_repeated_hour_end_on_each_pass(self):
        # "Until 02:30": the clock reads 02:30–03:00 CEST after the first pass ended, so a
        # meeting may not run then, but the second pass 02:00–02:30 CET is available again.
        found = self.instants(AMSTERDAM, date(2026, 10, 25), {6: [(60, 150)]})
        labels = [slot.astimezone(AMSTERDAM).strftime("%H:%M %Z") for slot in found]
        self.assertEqual(labels, ["01:00 CEST", "01:30 CEST", "02:00 CEST", "02:00 CET"])

    def test_new_york_days_have_23_and_25_hourly_start_times(self):
        rules = SlotRules(duration=timedelta(hours=1), step_minutes=60, horizon_days=365)
        all_sunday = {6: [(0, 24 * 60)]}
        self.assertEqual(
            len(slots(all_sunday, rules=rules, zone=NEW_YORK, day=date(2026, 3, 8))), 23
        )
        fall = slots(all_sunday, rules=rules, zone=NEW_YORK, day=date(2026, 11, 1))
        self.assertEqual(len(fall), 25)
        self.assertEqual(fall[:4], ["00:00", "01:00", "01:00", "02:00"])

    def test_new_york_hours_keep_their_local_time(self):
        weekly = {weekday: [(9 * 60, 10 * 60)] for weekday in range(7)}
        before = self.instants(NEW_YORK, date(2026, 10, 31), weekly)[0]
        after = self.instants(NEW_YORK, date(2026, 11, 1), weekly)[0]
        self.assertEqual(before, utc(2026, 10, 31, 13, 0))  # 09:00 EDT
        self.assertEqual(after, utc(2026, 11, 1, 14, 0))  # 09:00 EST

    def test_busy_time_is_compared_in_real_time_across_the_change(self):
        # A booking 01:30–02:00 CET (00:30–01:00 UTC) on the spring day blocks only itself:
        # the next start, 03:00 CEST, is 01:00 UTC.
        busy = [(utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1, 0))]
        found = slots({6: [(60, 4 * 60)]}, busy=busy, day=date(2026, 3, 29))
        self.assertEqual(found, ["01:00", "03:00", "03:30"])
