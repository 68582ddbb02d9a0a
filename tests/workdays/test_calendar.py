import datetime

import pytest

from workdays.calendar import add_working_days, holiday_calendar, is_working_day
from workdays.models import Holiday

D = datetime.date
NONE = {}


def test_add_working_days_skips_the_weekend():
    assert add_working_days(D(2025, 11, 28), 1, NONE) == D(2025, 12, 1)  # Fri -> Mon


def test_add_working_days_counts_from_the_day_after_start():
    assert add_working_days(D(2025, 12, 1), 0, NONE) == D(2025, 12, 1)
    assert add_working_days(D(2025, 12, 1), 4, NONE) == D(2025, 12, 5)


def test_add_working_days_skips_a_holiday():
    holidays = {D(2025, 12, 3): False}
    assert add_working_days(D(2025, 12, 1), 3, holidays) == D(2025, 12, 5)


def test_add_working_days_counts_a_make_up_saturday():
    holidays = {D(2025, 12, 6): True}
    assert add_working_days(D(2025, 12, 5), 1, holidays) == D(2025, 12, 6)


def test_add_working_days_crosses_a_year():
    holidays = {D(2026, 1, 1): False, D(2026, 1, 2): False}
    assert add_working_days(D(2025, 12, 30), 2, holidays) == D(2026, 1, 5)


def test_add_working_days_refuses_a_negative_count():
    with pytest.raises(ValueError):
        add_working_days(D(2025, 12, 1), -1, NONE)


@pytest.mark.django_db
def test_holiday_calendar_holds_the_2026_schedule():
    calendar = holiday_calendar()
    assert Holiday.objects.count() == 39
    assert calendar[D(2026, 2, 15)] is False and calendar[D(2026, 2, 23)] is False
    assert calendar[D(2026, 2, 14)] is True and calendar[D(2026, 10, 10)] is True
    assert is_working_day(D(2026, 9, 20), calendar)  # a Sunday worked for 国庆
    assert not is_working_day(D(2026, 10, 5), calendar)


@pytest.mark.django_db
def test_sixty_working_days_over_the_national_day_holiday():
    # 2026-09-01 (Tue): September has 21 weekdays after the 1st, minus 25 (中秋), plus the
    # make-up Sunday 20 -> 21; October: 22 weekdays, minus 1,2,5,6,7, plus Saturday 10
    # -> 18 (39 in all); then 21 more in November: the 21st is 2026-11-30.
    assert add_working_days(D(2026, 9, 1), 60, holiday_calendar()) == D(2026, 11, 30)


@pytest.mark.django_db
def test_calendar_gaps_name_the_years_without_a_schedule():
    from workdays.calendar import calendar_gaps

    assert calendar_gaps([2026, 2027]) == [2027]  # 2026 is seeded by the migration
