"""BRIEFINGS_* settings: read once, documented defaults, one-line errors, named periods."""

import shutil

import pytest
from seedbriefing import CONTENT, post_titled, seed_briefing
from sitebuild import build

from pelican.plugins.briefings.annotate.briefing import BriefingSettings
from pelican.plugins.briefings.annotate.periods import scheme_from_setting
from pelican.plugins.briefings.errors import BriefingsError


def test_glue_defaults_are_the_settings_defaults():
    from pelican.plugins.briefings.glue.settings import DEFAULTS

    assert BriefingSettings.from_settings(DEFAULTS) == BriefingSettings()


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("BRIEFINGS_RELATED_THRESHOLD", "high", "BRIEFINGS_RELATED_THRESHOLD must be a number, not 'high'"),
        ("BRIEFINGS_RELATED_THRESHOLD", 1.5, "BRIEFINGS_RELATED_THRESHOLD must be between 0 and 1"),
        ("BRIEFINGS_RECAP_ITEMS", 2.5, "BRIEFINGS_RECAP_ITEMS must be a whole number"),
        ("BRIEFINGS_DETECT_NAMES", "yes", "BRIEFINGS_DETECT_NAMES must be True or False"),
        ("BRIEFINGS_ENTITIES_FILE", "", "BRIEFINGS_ENTITIES_FILE must be a folder or file name"),
    ],
)
def test_wrong_setting_is_a_one_line_error(name, value, message):
    with pytest.raises(BriefingsError) as raised:
        BriefingSettings.from_settings({name: value})
    assert message in str(raised.value) and "\n" not in str(raised.value)


def test_named_periods_replace_years_everywhere():
    periods = scheme_from_setting(
        [
            {"name": "Border crisis", "start": "2022-01-01", "end": "2022-03-31"},
            {"name": "Talks", "start": "2025-01-20", "end": "2025-06-30"},
        ]
    )
    archive, briefing = seed_briefing(BriefingSettings(periods=periods))
    assert [p.name for p in briefing.periods] == ["Border crisis", "Talks"]
    hegseth = post_titled(archive, "Hegseth arrives in Poland")
    assert {link.period.name for link in briefing.related[hegseth.id]} == {"Border crisis"}
    [panel] = briefing.entry_panels(hegseth)
    assert (panel.direction, panel.label, panel.gap) == ("Then", "Feb 2022", "Three years earlier")


def test_a_wrong_setting_stops_the_build_with_one_line(tmp_path):
    shutil.copytree(CONTENT, tmp_path / "content")
    result = build(tmp_path / "content", tmp_path / "output", "--set", "BRIEFINGS_DETECT_NAMES=yes")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "BRIEFINGS_DETECT_NAMES must be True or False, not 'yes'" in result.stderr
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize("value", [0, -5, 2.5, "many", True])
def test_a_wrong_search_part_size_is_a_one_line_error(value):
    from pelican.plugins.briefings.glue.entries import search_settings

    with pytest.raises(BriefingsError) as raised:
        search_settings({"BRIEFINGS_SEARCH_PART_BYTES": value}, briefing=None)
    assert "BRIEFINGS_SEARCH_PART_BYTES must be a whole number of at least 1" in str(raised.value)
    assert "\n" not in str(raised.value)
