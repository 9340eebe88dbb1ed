"""Open now / next opening in Europe/Oslo: weekdays, DST nights, holidays, 24/7, past midnight."""

from datetime import UTC, date, datetime, time

import pytest

from services_catalog.opening_hours import (
    OSLO,
    WeeklyHours,
    WeeklyRule,
    is_open,
    is_public_holiday,
    next_opening,
)


def weekdays(opens: str, closes: str, days: range = range(5), **extra: object) -> WeeklyHours:
    rules = tuple(
        WeeklyRule(day, time.fromisoformat(opens), time.fromisoformat(closes)) for day in days
    )
    return WeeklyHours(rules=rules, **extra)  # type: ignore[arg-type]


def night(weekday: int, opens: str, closes: str) -> WeeklyHours:
    rule = WeeklyRule(weekday, time.fromisoformat(opens), time.fromisoformat(closes), True)
    return WeeklyHours(rules=(rule,))


def oslo(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=OSLO)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


HELSESTASJON = weekdays("08:00", "15:30")


def test_open_during_office_hours_and_closed_outside() -> None:
    assert is_open(HELSESTASJON, oslo(2025, 3, 12, 8, 0))
    assert is_open(HELSESTASJON, oslo(2025, 3, 12, 15, 29))
    assert not is_open(HELSESTASJON, oslo(2025, 3, 12, 15, 30))
    assert not is_open(HELSESTASJON, oslo(2025, 3, 15, 10, 0))  # Saturday


def test_next_opening_after_the_weekend_is_monday_morning_in_oslo_time() -> None:
    opening = next_opening(HELSESTASJON, oslo(2025, 3, 14, 16, 0))
    assert opening == oslo(2025, 3, 17, 8, 0)
    assert opening is not None and opening.tzinfo is OSLO


def test_next_opening_is_none_while_open() -> None:
    assert next_opening(HELSESTASJON, oslo(2025, 3, 12, 9, 0)) is None


def test_same_utc_moment_is_before_opening_in_winter_and_after_in_summer() -> None:
    # 06:30 UTC is 07:30 CET on Friday 28 March and 08:30 CEST on Monday 31 March.
    assert not is_open(HELSESTASJON, utc(2025, 3, 28, 6, 30))
    assert is_open(HELSESTASJON, utc(2025, 3, 31, 6, 30))


def test_next_opening_across_spring_forward_is_eight_local_time() -> None:
    opening = next_opening(HELSESTASJON, oslo(2025, 3, 28, 16, 0))
    assert opening == oslo(2025, 3, 31, 8, 0)
    assert opening is not None and opening.astimezone(UTC) == utc(2025, 3, 31, 6, 0)


def test_night_line_across_spring_forward_closes_at_four_local() -> None:
    # Saturday 29 March 22:00 CET to Sunday 04:00 CEST is five real hours, not six.
    hours = night(5, "22:00", "04:00")
    assert is_open(hours, oslo(2025, 3, 30, 3, 30))
    assert is_open(hours, utc(2025, 3, 30, 1, 59))
    assert not is_open(hours, utc(2025, 3, 30, 2, 0))  # 04:00 CEST


def test_night_line_across_fall_back_closes_at_three_local() -> None:
    # Saturday 25 October 23:00 CEST to Sunday 03:00 CET is five real hours.
    hours = night(5, "23:00", "03:00")
    assert is_open(hours, utc(2025, 10, 25, 21, 0))
    assert is_open(hours, utc(2025, 10, 26, 1, 30))  # 02:30 CET, after the clocks went back
    assert not is_open(hours, utc(2025, 10, 26, 2, 0))  # 03:00 CET
    assert not is_open(hours, utc(2025, 10, 25, 20, 59))


def test_next_opening_across_fall_back_is_eight_local_time() -> None:
    opening = next_opening(HELSESTASJON, oslo(2025, 10, 24, 16, 0))
    assert opening is not None and opening.astimezone(UTC) == utc(2025, 10, 27, 7, 0)


def test_past_midnight_rule_is_open_after_midnight_on_the_next_day() -> None:
    hours = night(4, "20:00", "02:00")  # Friday evening
    assert is_open(hours, oslo(2025, 5, 10, 1, 0))  # Saturday 01:00
    assert not is_open(hours, oslo(2025, 5, 10, 2, 0))
    assert not is_open(hours, oslo(2025, 5, 9, 1, 0))  # Friday 01:00 belongs to Thursday


def test_constitution_day_closes_a_weekday_service() -> None:
    assert is_public_holiday(date(2024, 5, 17))
    assert not is_open(HELSESTASJON, oslo(2024, 5, 17, 10, 0))  # a Friday
    # Whit Monday 20 May 2024 is a holiday too: next opening is Tuesday.
    assert next_opening(HELSESTASJON, oslo(2024, 5, 17, 10, 0)) == oslo(2024, 5, 21, 8, 0)


def test_christmas_closes_an_afternoon_drop_in() -> None:
    hfu = weekdays("14:00", "18:00", days=range(1, 4, 2))  # Tuesday and Thursday
    assert not is_open(hfu, oslo(2025, 12, 25, 15, 0))  # Christmas Day, a Thursday
    assert next_opening(hfu, oslo(2025, 12, 25, 15, 0)) == oslo(2025, 12, 30, 14, 0)


def test_holiday_flag_keeps_a_line_open_on_holidays() -> None:
    line = weekdays("16:00", "22:00", days=range(7), open_on_public_holidays=True)
    assert is_open(line, oslo(2025, 12, 25, 17, 0))
    assert is_open(line, oslo(2024, 5, 17, 17, 0))


def test_always_open_line_is_open_at_any_moment_including_holidays_and_dst() -> None:
    line = WeeklyHours(always_open=True)
    for moment in (oslo(2025, 12, 25, 3, 0), utc(2025, 3, 30, 1, 30), utc(2025, 10, 26, 1, 30)):
        assert is_open(line, moment)
        assert next_opening(line, moment) is None


def test_whole_day_rule_covers_the_dst_sunday() -> None:
    hours = WeeklyHours(rules=(WeeklyRule(6, time(0), time(0), closes_next_day=True),))
    assert is_open(hours, utc(2025, 3, 30, 0, 30))
    assert is_open(hours, utc(2025, 3, 30, 21, 59))  # 23:59 CEST
    assert not is_open(hours, utc(2025, 3, 30, 22, 0))  # Monday 00:00 CEST


def test_summer_hours_replace_the_regular_week_on_the_dates_they_cover() -> None:
    summer = tuple(
        WeeklyRule(
            day, time(9), time(14), valid_from=date(2025, 7, 1), valid_until=date(2025, 8, 3)
        )
        for day in range(5)
    )
    hours = WeeklyHours(rules=weekdays("08:00", "15:30").rules + summer)
    assert not is_open(hours, oslo(2025, 7, 8, 8, 30))
    assert not is_open(hours, oslo(2025, 7, 8, 14, 30))
    assert is_open(hours, oslo(2025, 7, 8, 13, 30))
    assert is_open(hours, oslo(2025, 8, 4, 8, 30))  # back to normal after 3 August
    assert next_opening(hours, oslo(2025, 7, 8, 15, 0)) == oslo(2025, 7, 9, 9, 0)


def test_no_rules_never_open() -> None:
    assert not is_open(WeeklyHours(), oslo(2025, 1, 6, 12, 0))
    assert next_opening(WeeklyHours(), oslo(2025, 1, 6, 12, 0)) is None


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        is_open(HELSESTASJON, datetime(2025, 1, 6, 12, 0))
