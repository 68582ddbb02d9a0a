"""Working days: Monday to Friday, minus public holidays, plus make-up working days (调休)."""

import datetime
from collections.abc import Mapping

ONE_DAY = datetime.timedelta(days=1)


def is_working_day(day: datetime.date, holidays: Mapping[datetime.date, bool]) -> bool:
    """`holidays` maps a date to True for a make-up working day, False for a holiday."""
    if day in holidays:
        return holidays[day]
    return day.weekday() < 5


def add_working_days(
    start: datetime.date, n: int, holidays: Mapping[datetime.date, bool]
) -> datetime.date:
    """The n-th working day after `start` (start itself never counts)."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    while n:
        day += ONE_DAY
        if is_working_day(day, holidays):
            n -= 1
    return day


def holiday_calendar() -> dict[datetime.date, bool]:
    """The calendar as edited in the admin, for add_working_days (one query)."""
    from workdays.models import Holiday

    return dict(Holiday.objects.values_list("date", "is_workday"))


def calendar_gaps(years) -> list[int]:
    """Those of `years` with no holiday entered: their deadlines count Monday to Friday only,
    which staff should know (the State Council publishes each year's schedule in November)."""
    from workdays.models import Holiday

    covered = {d.year for d in Holiday.objects.dates("date", "year")}
    return sorted({y for y in years if y not in covered})
