"""Links that follow meaning and need no gazetteer; credits; the threads' pictures.

The judged examples are the issue's own: "What is the current situation on the
Ukrainian front?" (2025) must find "Where are Russian troops positioned?"
(2022), which shares almost no word with it, and the Chernobyl strike has no
counterpart in February 2022, gazetteer or not.
"""

import re
from dataclasses import replace

import numpy as np
import pytest
from seedbriefing import post_titled, seed_briefing

from pelican.plugins.briefings.annotate import links
from pelican.plugins.briefings.annotate.briefing import BriefingSettings, entry_text, is_credits
from pelican.plugins.briefings.write import thread_svg
from pelican.plugins.briefings.write.briefing_markdown import recap_document, then_and_now_document
from pelican.plugins.briefings.write.render import make_markdown

NO_GAZETTEER = replace(BriefingSettings(), entities_file="no-such-gazetteer.yaml")


@pytest.fixture(scope="module", params=["gazetteer", "empty gazetteer"])
def seeds(request):
    return seed_briefing(BriefingSettings() if request.param == "gazetteer" else NO_GAZETTEER)


@pytest.fixture(scope="module")
def with_gazetteer():
    return seed_briefing()


def shown(archive, briefing, title):
    return [link.target.entry.title for link in briefing.related.get(post_titled(archive, title).id, ())]


def test_the_front_line_finds_where_russian_troops_were_positioned(seeds):
    archive, briefing = seeds
    assert "Where are Russian troops positioned?" in shown(
        archive, briefing, "What is the current situation on the Ukrainian front?"
    )


@pytest.mark.parametrize(
    "title",
    [
        "Images show damage to Chernobyl",
        "Chernobyl's radiation levels remain normal",
        "Chernobyl's protective shield damaged",
        "Widespread anger in Munich over Chernobyl strike",
    ],
)
def test_the_chernobyl_strike_links_to_nothing(seeds, title):
    archive, briefing = seeds
    assert shown(archive, briefing, title) == []


def test_nato_membership_links_without_a_gazetteer(seeds):
    archive, briefing = seeds
    assert "We can't reward Russian aggression, Truss says" in shown(
        archive, briefing, "Ukraine on 'irreversible path' to Nato"
    )


def test_a_day_recap_reaches_back_with_the_entry_panels_links(seeds):
    archive, briefing = seeds
    [recap] = [r for r in briefing.recaps if r.day and str(r.day.date) == "2025-02-14"]
    earlier = [item for item in recap.timeline if not item.own and item.period.name == "2022"]
    linked = {link.target.id for post in recap.day.posts for link in briefing.related.get(post.id, ())}
    assert earlier and all(item.post.id in linked for item in earlier)


@pytest.mark.parametrize(
    "text",
    [
        "Our coverage was provided by: Jane Doe, John Smith and Ann Lee.",
        "Our editors today were Anna Bell and Carl Dean.",
        "The writers of today's live page were Ed Fox and Gil Hart.",
        "Today\u2019s updates were brought to you by Ian Jones and Kim Lu.",
    ],
)
def test_staff_credits_in_any_wording_are_credits(text):
    assert is_credits(text)


@pytest.mark.parametrize(
    "text",
    [
        "The troops were moved back to their bases, Russia says.",
        "Today's talks were the first since 2022.",
        "Our correspondent in Kyiv says the mood is grim.",
    ],
)
def test_news_is_not_credits(text):
    assert not is_credits(text)


def test_a_closing_entrys_staff_are_not_people_it_is_about(with_gazetteer):
    archive, briefing = with_gazetteer
    for post in archive.posts:
        credits = [b.text.text for b in post.entry.blocks[-1:] if hasattr(b, "text") and is_credits(b.text.text)]
        names = {entity.name for entity in briefing.entities_of[post.id]}
        for text in credits:
            assert not [name for name in names if name in text.split(":", 1)[-1]], (post.entry.title, names)


def test_then_and_now_draws_each_thread_with_numbers_matching_its_list(with_gazetteer):
    _, briefing = with_gazetteer
    html = make_markdown().render(then_and_now_document(briefing).split("\n---\n", 1)[1])
    assert briefing.threads
    assert html.count("<svg") == len(briefing.threads)
    first = html.split("<h2", 2)[1]
    marks = re.findall(r'fill="#fff">(\d+)</text>', first)
    items = re.findall(r"<li>", first)
    assert marks and [int(n) for n in marks] == list(range(1, len(items) + 1))
    assert 'aria-hidden="true"' in first and "<script" not in html


def test_a_recap_draws_its_timeline_above_the_list(with_gazetteer):
    _, briefing = with_gazetteer
    [recap] = [r for r in briefing.recaps if r.day and str(r.day.date) == "2025-02-14"]
    html = make_markdown().render(recap_document(recap, briefing).split("\n---\n", 1)[1])
    assert html.index("<svg") < html.index('id="earlier"')
    earlier = [item for item in recap.timeline if not item.own]
    assert len(re.findall(r'fill="#fff">(\d+)</text>', html)) == len(earlier)


def test_the_picture_escapes_its_text_and_never_links_out():
    block = thread_svg.description(
        [("<b>2022</b>", [(1, "</title><script>alert(1)</script>", "javascript:alert(1)")]), ("2025", [])],
        [((0, 0), (1, 5))],
        "a & b",
    )
    html = make_markdown().render(block)
    assert "<script" not in html and "<b>" not in html and "javascript:" not in html
    assert "&lt;script&gt;" in html and "a &amp; b" in html
    assert "<path" not in html  # a line to a mark that does not exist is left out


def test_a_hand_typed_fence_that_is_not_a_picture_renders_nothing():
    assert make_markdown().render(f"~~~ {thread_svg.FENCE}\nnot json\n~~~") == ""


def test_what_the_topics_are_fitted_on_does_not_move_when_entries_or_words_are_added():
    """A new day must not redraw the LSA's sample or its random start for the
    whole archive (each old entry's links would change with them)."""
    import numpy as np

    from pelican.plugins.briefings.annotate import links, meaning

    keys = [f"2022-02-{day:02d}-entry-{n}" for day in range(1, 28) for n in range(40)]
    more = keys + [f"2025-02-17-entry-{n}" for n in range(50)]
    old_order = [keys[n] for n in links.stable_order(keys)]
    new_order = [more[n] for n in links.stable_order(more)]
    assert [key for key in new_order if key in set(keys)] == old_order
    sample, later_sample = set(old_order[:300]), set(new_order[:300])
    assert len(sample & later_sample) >= 300 - 50  # at most the new entries displace old ones

    start = meaning._term_start(["ceasefire", "peace talks", "troops"], 8)
    later = meaning._term_start(["ammunition", "troops", "ceasefire", "zaporizhzhia"], 8)
    assert np.array_equal(start[0], later[2]) and np.array_equal(start[2], later[1])
    assert start.min() >= -1 and start.max() < 1 and not np.array_equal(start[0], start[1])


def test_the_days_of_the_newest_week_never_change_what_the_topics_are_fitted_on():
    """Until a new week begins, a new day's entries come after every settled
    entry in the order the LSA sample is taken from: a sample the settled
    entries fill is the same entries, so old entries' topics stay put."""
    from datetime import date, timedelta

    from pelican.plugins.briefings.annotate import links

    # Monday 3 to Thursday 13 February 2025: the week of the 10th is the newest.
    days = [date(2025, 2, 3) + timedelta(days=n) for n in range(11) for _ in range(30)]
    keys = [f"{day.isoformat()}-entry-{n}" for n, day in enumerate(days)]
    settled = links.settled_days(days)
    assert settled == [day < date(2025, 2, 10) for day in days]
    sample = [keys[n] for n in links.stable_order(keys, settled)[:150]]
    assert all(key < "2025-02-10" for key in sample)

    friday = date(2025, 2, 14)  # the next day: still the same week
    more_days = days + [friday] * 50
    more_keys = keys + [f"2025-02-14-entry-{n}" for n in range(50)]
    later = [more_keys[n] for n in links.stable_order(more_keys, links.settled_days(more_days))[:150]]
    assert later == sample

    monday = date(2025, 2, 17)  # a new week: the week of the 10th is settled now
    week_days = more_days + [monday] * 50
    assert sum(links.settled_days(week_days)) == sum(day < monday for day in week_days)
    assert links.settled_days([]) == []


# The TF-IDF is the plugin's own, so that no build imports scikit-learn (1.4 s):
# it must be scikit-learn's, value for value, or every link would move.
def sklearn_tfidf(texts, min_df):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        stop_words=sorted(links.stop_words()),
        ngram_range=(1, 2),
        token_pattern=r"(?u)\b[^\W\d_][^\W_]+\b",
        min_df=min_df,
        sublinear_tf=True,
        dtype=np.float32,
    )
    matrix = vectorizer.fit_transform(texts).tocsr()
    matrix.sort_indices()
    return matrix, list(vectorizer.get_feature_names_out()), vectorizer.idf_


def test_the_stop_words_are_scikit_learns_and_the_newsrooms():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    assert links.stop_words() == ENGLISH_STOP_WORDS | links.NEWSROOM_WORDS
    assert {"the", "would", "said", "bbc"} <= links.stop_words() and "troops" not in links.stop_words()


@pytest.mark.parametrize(
    "texts, min_df",
    [
        ("seeds", 2),
        (["Troops mass at the border.", "Talks in Riyadh: troops and talks.", "Élysée talks, 2022 troops"], 2),
        (["Kyiv under fire", "Talks begin"], 1),  # two texts: every word counts
        (["Kyiv under fire", "Talks begin", "Ceasefire deal"], 1),  # no word in two texts: all count
    ],
)
def test_the_tfidf_is_scikit_learns_value_for_value(texts, min_df):
    if texts == "seeds":
        archive, _ = seed_briefing()
        texts = [entry_text(post.entry) for post in archive.posts]
    rows, vocabulary, idf = links._tfidf(texts)
    expected, expected_vocabulary, expected_idf = sklearn_tfidf(texts, min_df)
    assert vocabulary == expected_vocabulary
    assert np.array_equal(idf, expected_idf) and idf.dtype == expected_idf.dtype == np.float32
    assert rows.shape == expected.shape and rows.dtype == np.float32
    assert np.array_equal(rows.indptr, expected.indptr) and np.array_equal(rows.indices, expected.indices)
    assert np.array_equal(rows.data, expected.data)


def test_texts_of_stop_words_only_have_no_terms_and_no_error():
    rows, vocabulary, idf = links._tfidf(["The, and of it.", "", "It is what it is"])
    assert rows.shape == (3, 0) and vocabulary == [] and len(idf) == 0
