"""Periods: the stretches of coverage that cross-links and recaps reach between.

By default every calendar year is a period. ``BRIEFINGS_PERIODS`` in
``pelican.conf.py`` can name ranges instead; a day outside every named range
falls back to its year, so a new dump never goes unplaced. Nothing here knows
which years the seeds happen to cover.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .. import urls
from ..errors import BriefingsError

SETTING = "BRIEFINGS_PERIODS"
RANGE_KEYS = ("name", "start", "end")
_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


@dataclass(frozen=True)
class Period:
    """A named stretch of days, both ends included."""

    key: str  # slug, unique: used in ids, CSS classes and JSON
    name: str
    start: date
    end: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class PeriodScheme:
    """The named ranges from the settings; any other day belongs to its year."""

    ranges: tuple[Period, ...] = ()

    def period_of(self, day: date) -> Period:
        for period in self.ranges:
            if day in period:
                return period
        return year_period(day.year)


def year_period(year: int) -> Period:
    return Period(key=str(year), name=str(year), start=date(year, 1, 1), end=date(year, 12, 31))


def _range_date(value, index: int, key: str, settings_path: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise BriefingsError(
            settings_path, None, f"{SETTING}[{index}]: `{key}: {value}` is not a date like 2022-01-01"
        ) from None


def scheme_from_setting(value, settings_path: str = "pelican.conf.py") -> PeriodScheme:
    """``None`` (by year) or a list of ``{"name", "start", "end"}`` mappings.

    A mistake is a ``BriefingsError`` naming the setting and the range: a wrong
    period would silently mislabel every cross-link, so it stops the build.
    """
    if value is None:
        return PeriodScheme()
    if not isinstance(value, (list, tuple)):
        raise BriefingsError(
            settings_path,
            None,
            f"{SETTING} must be a list of {{'name': …, 'start': 'YYYY-MM-DD', 'end': 'YYYY-MM-DD'}}",
        )
    periods = []
    for index, item in enumerate(value):
        if not isinstance(item, dict) or set(item) != set(RANGE_KEYS):
            raise BriefingsError(
                settings_path, None, f"{SETTING}[{index}] must have exactly the keys name, start and end"
            )
        start = _range_date(item["start"], index, "start", settings_path)
        end = _range_date(item["end"], index, "end", settings_path)
        if end < start:
            raise BriefingsError(settings_path, None, f"{SETTING}[{index}] ends before it starts")
        name = str(item["name"]).strip()
        if not name:
            raise BriefingsError(settings_path, None, f"{SETTING}[{index}] has an empty name")
        periods.append(Period(key=urls.slugify(name), name=name, start=start, end=end))
    periods.sort(key=lambda period: period.start)
    for earlier, later in zip(periods, periods[1:]):
        if later.start <= earlier.end:
            raise BriefingsError(settings_path, None, f"{SETTING}: '{earlier.name}' and '{later.name}' overlap")
    keys = [period.key for period in periods]
    if len(set(keys)) != len(keys):
        raise BriefingsError(settings_path, None, f"{SETTING}: two periods have the same name")
    return PeriodScheme(tuple(periods))


def coverage_label(days) -> str:
    """What a reader calls the days a period actually covers: ``Feb 2022``,
    ``Jan–Mar 2025``, ``Dec 2024 – Jan 2025``."""
    days = sorted(days)
    if not days:
        return ""
    first, last = days[0], days[-1]
    if (first.year, first.month) == (last.year, last.month):
        return f"{first:%b %Y}"
    if first.year == last.year:
        return f"{first:%b}\u2013{last:%b %Y}"
    return f"{first:%b %Y} \u2013 {last:%b %Y}"


def _count(number: int, unit: str) -> str:
    word = _NUMBERS[number] if number < len(_NUMBERS) else str(number)
    return f"{word} {unit}{'s' if number != 1 else ''}"


def gap_phrase(here: date, there: date) -> str:
    """``Three years earlier``, ``Two months later``, ``The day before``: how far
    ``there`` lies from ``here``, rounded the way people say it."""
    days = (there - here).days
    later = days > 0
    days = abs(days)
    if days == 0:
        return "The same day"
    if days == 1:
        return "The day after" if later else "The day before"
    if days >= 330:
        amount = _count(max(1, round(days / 365.25)), "year")
    elif days >= 28:
        amount = _count(max(1, round(days / 30.44)), "month")
    elif days >= 7:
        amount = _count(round(days / 7), "week")
    else:
        amount = _count(days, "day")
    amount = "A " + amount.split(" ", 1)[1] if amount.startswith("one ") else amount.capitalize()
    return f"{amount} {'later' if later else 'earlier'}"
