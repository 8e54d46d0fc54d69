"""Periods: by year unless named in the settings; gaps worded the way people say them."""

from datetime import date

import pytest

from pelican.plugins.briefings.annotate.periods import coverage_label, gap_phrase, scheme_from_setting
from pelican.plugins.briefings.errors import BriefingsError


def test_default_period_is_the_calendar_year():
    scheme = scheme_from_setting(None)
    assert scheme.period_of(date(2022, 2, 15)).name == "2022"
    assert scheme.period_of(date(2025, 12, 31)).key == "2025"
    assert scheme.period_of(date(2022, 1, 1)) == scheme.period_of(date(2022, 12, 31))


def test_named_ranges_come_from_settings_and_other_days_fall_back_to_their_year():
    scheme = scheme_from_setting(
        [
            {"name": "Talks", "start": "2025-01-20", "end": "2025-03-31"},
            {"name": "Border crisis", "start": date(2021, 11, 1), "end": "2022-02-23"},
        ]
    )
    assert scheme.period_of(date(2022, 2, 15)).name == "Border crisis"
    assert scheme.period_of(date(2021, 11, 1)).key == "border-crisis"
    assert scheme.period_of(date(2025, 2, 17)).name == "Talks"
    assert scheme.period_of(date(2022, 2, 24)).name == "2022"  # the day after the range: its year


@pytest.mark.parametrize(
    "value, message",
    [
        (
            [
                {"name": "A", "start": "2022-01-01", "end": "2022-06-30"},
                {"name": "B", "start": "2022-06-30", "end": "2022-12-31"},
            ],
            "'A' and 'B' overlap",
        ),
        ([{"name": "A", "start": "2022-13-01", "end": "2022-12-31"}], "not a date"),
        ([{"name": "A", "start": "2022-05-01", "end": "2022-04-01"}], "ends before it starts"),
        ([{"name": "A", "start": "2022-05-01"}], "exactly the keys"),
        ("2022", "must be a list"),
    ],
)
def test_bad_period_settings_are_one_line_errors(value, message):
    with pytest.raises(BriefingsError) as raised:
        scheme_from_setting(value, "pelican.conf.py")
    assert message in str(raised.value)
    assert str(raised.value).startswith("pelican.conf.py: error: BRIEFINGS_PERIODS")
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    "here, there, phrase",
    [
        (date(2025, 2, 14), date(2022, 2, 15), "Three years earlier"),
        (date(2022, 2, 15), date(2025, 2, 17), "Three years later"),
        (date(2025, 2, 14), date(2024, 2, 1), "A year earlier"),
        (date(2025, 2, 14), date(2024, 12, 10), "Two months earlier"),
        (date(2025, 2, 17), date(2025, 2, 3), "Two weeks earlier"),
        (date(2025, 2, 17), date(2025, 2, 14), "Three days earlier"),
        (date(2022, 2, 15), date(2022, 2, 14), "The day before"),
    ],
)
def test_gap_is_worded_from_the_actual_dates(here, there, phrase):
    assert gap_phrase(here, there) == phrase


def test_coverage_label_names_the_months_covered():
    assert coverage_label([date(2022, 2, 15), date(2022, 2, 14)]) == "Feb 2022"
    assert coverage_label([date(2025, 1, 20), date(2025, 3, 1)]) == "Jan\u2013Mar 2025"
    assert coverage_label([date(2024, 12, 30), date(2025, 1, 2)]) == "Dec 2024 \u2013 Jan 2025"
