"""Recaps, "How did we get here?": for each seed day and blog, what a newcomer reads.

Expected items were chosen by reading the seeds: the Munich day (14 Feb 2025)
grew out of the 2022 crisis (sanctions threatened, Ukraine's Nato hopes, Scholz
in Moscow); the Paris day (17 Feb 2025) out of Munich three days before and of
the same 2022 entries; 15 Feb 2022 out of the evening before.
"""

from datetime import date

import pytest
from seedbriefing import post_titled, seed_briefing

from pelican.plugins.briefings.annotate.briefing import BriefingSettings
from pelican.plugins.briefings.annotate.recaps import RecapSettings, gist
from pelican.plugins.briefings.text import entry_plain_text

BORDER, MUNICH, PARIS = (
    "ukraine-border-crisis-2022-02",
    "munich-security-conference-2025-02",
    "paris-summit-riyadh-talks-2025-02",
)


@pytest.fixture(scope="module")
def seeds():
    return seed_briefing()


def recap(briefing, blog, day=None):
    [found] = [r for r in briefing.recaps if r.blog.slug == blog and (r.day.date if r.day else None) == day]
    return found


def titles(items):
    return [item.post.entry.title for item in items]


def test_every_seed_day_and_blog_has_one_recap(seeds):
    _, briefing = seeds
    assert sorted((r.blog.slug, str(r.day.date) if r.day else "blog") for r in briefing.recaps) == sorted(
        [
            (BORDER, "2022-02-14"),
            (BORDER, "2022-02-15"),
            (MUNICH, "2025-02-14"),
            (PARIS, "2025-02-17"),
            (BORDER, "blog"),
            (MUNICH, "blog"),
            (PARIS, "blog"),
        ]
    )
    assert all(r.title == "How did we get here?" for r in briefing.recaps)


def test_timelines_are_oldest_first_short_and_earlier_than_the_coverage(seeds):
    archive, briefing = seeds
    for r in briefing.recaps:
        instants = [item.post.entry.utc for item in r.timeline]
        assert instants == sorted(instants)
        assert len(r.timeline) <= 8 + 3
        start = r.day.date if r.day else archive.days_of(r.blog)[0].date
        assert all(item.post.entry.day < start for item in r.timeline if not item.own)
        assert all(item.post.entry.day >= start for item in r.timeline if item.own)


def test_munich_day_reaches_back_into_2022(seeds):
    _, briefing = seeds
    r = recap(briefing, MUNICH, date(2025, 2, 14))
    assert [post.entry.title for post in r.entries] == ["How did we get here?"]
    assert "Vance and Zelensky meet" in r.summary[0].text  # the page head's video caption
    earlier = [item for item in r.timeline if not item.own]
    assert earlier and all(item.period.name == "2022" for item in earlier)
    shown = titles(earlier)
    assert "Frantic efforts to deter invasion continue" in shown  # sanctions as a bargaining chip, then
    assert {"Putin cooking a broth of tension, expert says", "We can't reward Russian aggression, Truss says"} & set(
        shown
    )
    assert "German chancellor arrives in Moscow" in shown
    assert not [item for item in r.timeline if item.own]  # the Munich page labelled nothing Breaking or Analysis


def test_paris_day_reaches_into_munich_and_2022(seeds):
    _, briefing = seeds
    r = recap(briefing, PARIS, date(2025, 2, 17))
    assert [post.entry.title for post in r.entries] == [
        "What's happening in Paris today?",
        "Recap: What did Starmer say about Ukraine?",
        "A tale of two summits, 3,000 miles apart",
    ]
    earlier = [item for item in r.timeline if not item.own]
    periods = [item.period.name for item in earlier]
    assert periods.count("2025") <= 4 and "2022" in periods
    # What reaches 2022 is one of the day's own cross-links: the same quality as the entry panels.
    linked = {link.target.id for post in r.day.posts for link in briefing.related.get(post.id, ())}
    assert all(item.post.id in linked for item in earlier if item.period.name == "2022")
    assert any(item.post.entry.day == date(2025, 2, 14) for item in earlier)  # Munich, three days before
    [own] = [item for item in r.timeline if item.own]
    assert own.post.entry.title == "Russian foreign minister and key Putin aide flying to Saudi Arabia"
    assert own.reason == "Breaking on the day"


def test_first_day_of_the_archive_has_its_own_closing_list_and_key_events(seeds):
    _, briefing = seeds
    r = recap(briefing, BORDER, date(2022, 2, 14))
    assert [post.entry.title for post in r.entries] == ["Live coverage concludes"]
    assert r.summary == ()  # the page head belongs to the blog's last day
    assert not [item for item in r.timeline if not item.own]  # nothing earlier in the archive
    assert titles(r.timeline) == [
        "US relocating embassy from Kyiv",
        "Johnson and Biden phone call over",
        "Frantic efforts to deter invasion continue",
    ]


def test_second_day_recaps_the_evening_before(seeds):
    _, briefing = seeds
    r = recap(briefing, BORDER, date(2022, 2, 15))
    assert "returning to their bases" in r.summary[0].items[0].text  # the page head's summary
    earlier = [item for item in r.timeline if not item.own]
    assert "Johnson and Biden phone call over" in titles(earlier)
    assert all(item.post.entry.day == date(2022, 2, 14) for item in earlier)
    assert "Some troops being pulled out from Ukraine border, Russia says" in titles(r.timeline)


def test_blog_recaps_start_from_the_page_head(seeds):
    _, briefing = seeds
    for blog in (BORDER, MUNICH, PARIS):
        r = recap(briefing, blog)
        assert r.summary == r.blog.head.blocks
        assert r.url == f"blogs/{blog}/recap.html"
    assert "Frantic efforts to deter invasion continue" in titles(recap(briefing, MUNICH).timeline)


def test_gist_is_one_sentence_from_the_entry_and_not_a_lead_in(seeds):
    archive, briefing = seeds
    for r in briefing.recaps:
        for item in r.timeline:
            assert item.gist.rstrip("\u2026") in entry_plain_text(item.post.entry)
            assert len(item.gist) <= 220
    welcome = post_titled(archive, "Welcome back to our live coverage")
    assert gist(welcome.entry) == (
        "It's another important day for efforts to try to avoid a potential Russian invasion of Ukraine."
    )
    closing = post_titled(archive, "Live coverage concludes")
    assert gist(closing.entry).startswith("Prime Minister Boris Johnson and President Joe Biden held")
    pipeline = post_titled(archive, "Key Russia-Germany gas pipeline at risk")
    assert gist(pipeline.entry).startswith("Josep Borrell made a timely intervention")  # not "More from…"


def test_recap_knobs_are_settings():
    _, few = seed_briefing(BriefingSettings(recap=RecapSettings(items=2, own_events=0, lookback_days=30)))
    r = recap(few, PARIS, date(2025, 2, 17))
    assert len(r.timeline) == 2 and all(item.period.name == "2025" for item in r.timeline)
    _, none = seed_briefing(BriefingSettings(recap=RecapSettings(same_period=0)))
    assert all(item.period.name == "2022" for item in recap(none, PARIS, date(2025, 2, 17)).timeline if not item.own)


def test_recaps_are_deterministic(seeds):
    _, briefing = seeds
    _, again = seed_briefing()
    assert [(r.url, [(i.post.id, i.score) for i in r.timeline]) for r in briefing.recaps] == [
        (r.url, [(i.post.id, i.score) for i in r.timeline]) for r in again.recaps
    ]
