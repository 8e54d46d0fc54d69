"""Cross-links between periods, judged by reading the seed entries.

Good links (a 2025 entry and the 2022 entry it grew out of), by hand:
- Hegseth in Warsaw "played down any prospect of Ukraine joining the alliance";
  Downing Street's "irreversible path to Nato"; "The US does not envision a Nato
  that includes Ukraine" (Zelensky meets Vance); Starmer's recap "On Ukraine
  joining Nato" -> the 2022 entries about Ukraine's Nato ambitions: Radchenko
  ("preventing Ukraine's eventual Nato membership"), Borrell ("Ukraine is not a
  member of Nato") and Truss ("Ukraine's decision whether to become part of Nato").
- "Macron's long history with Putin" (his trip to Moscow two weeks before the
  invasion) -> "German chancellor arrives in Moscow" to meet Putin, the same
  week, the same attempt.
Entries with no 2022 counterpart, which must show nothing rather than a weak link:
the Chernobyl strike (four entries), shelling in Donetsk and Nikopol, blackouts
after strikes on energy, life on the front line, the UK's defence spending (it
shares only "Downing Street" with the Johnson-Biden call), Lord Dannatt's "we
haven't got the numbers", no Russian delegation in Munich; and from 2022 the
market reaction, the US embassy move to Lviv and the withdrawal announcement.
"""

import pytest
from seedbriefing import post_titled, seed_briefing

from pelican.plugins.briefings.annotate import links as related

NATO_2022 = (
    "Putin cooking a broth of tension",
    "EU ready to discuss Russian security concerns",
    "We can't reward Russian aggression",
)
NATO_2025 = (
    "Hegseth arrives in Poland",
    "Ukraine on 'irreversible path' to Nato",
    "Ukraine braces for new bitter pill",
    "Recap: What did Starmer say about Ukraine?",
)
GOOD = (
    [(source, NATO_2022) for source in NATO_2025]
    + [(source, NATO_2025) for source in NATO_2022]
    + [
        ("Macron's long history with Putin", ("German chancellor arrives in Moscow",)),
        ("German chancellor arrives in Moscow", ("Macron's long history with Putin",)),
    ]
)
# Known misses of the calibrated links (docs/briefing.md, "Where links fail"):
# these stand out against the archive's pairs though a reader finds no
# counterpart. Strict, so that a fix shows.
MISS = "a known false link: it stands out against the archive's pairs (docs/briefing.md)"
NO_COUNTERPART = [
    "Images show damage to Chernobyl",
    "Widespread anger in Munich over Chernobyl strike",
    "Chernobyl's radiation levels remain normal",
    "Chernobyl's protective shield damaged",
    "At least three Ukrainians killed in Russian shelling",
    pytest.param("Emergency blackouts across Ukraine", marks=pytest.mark.xfail(reason=MISS, strict=True)),
    "Life on the front line",
    "UK under pressure to increase defence spending",  # since the context check (the Johnson-Biden call's day differs)
    pytest.param("'Frankly, we haven't got the numbers'", marks=pytest.mark.xfail(reason=MISS, strict=True)),
    "Organisers say there's no Russian delegation in Munich",
    pytest.param("Markets react positively", marks=pytest.mark.xfail(reason=MISS, strict=True)),
    pytest.param("US relocating embassy from Kyiv", marks=pytest.mark.xfail(reason=MISS, strict=True)),
    pytest.param("Russia announces withdrawal of some troops", marks=pytest.mark.xfail(reason=MISS, strict=True)),
]


@pytest.fixture(scope="module")
def seeds():
    return seed_briefing()


@pytest.mark.parametrize("source, counterparts", GOOD, ids=[source for source, _ in GOOD])
def test_real_counterpart_is_in_the_top_three_links(seeds, source, counterparts):
    archive, briefing = seeds
    links = briefing.related.get(post_titled(archive, source).id, ())
    shown = [link.target.entry.title for link in links[:3]]
    assert any(title.startswith(counterparts) for title in shown), shown


@pytest.mark.parametrize("source", NO_COUNTERPART)
def test_entry_without_a_counterpart_shows_no_link(seeds, source):
    archive, briefing = seeds
    assert briefing.related.get(post_titled(archive, source).id, ()) == ()


def test_hegseth_reaches_ukraines_nato_ambitions_and_says_why(seeds):
    archive, briefing = seeds
    links = briefing.related[post_titled(archive, "Hegseth arrives in Poland").id]
    nato = [link for link in links if link.target.entry.title.startswith(NATO_2022)]
    assert len(nato) == 3
    assert all(link.reason == "both about: Nato membership" for link in nato)
    assert all(link.period.name == "2022" for link in links)


def test_links_go_to_other_periods_best_first_and_stand_out(seeds):
    archive, briefing = seeds
    for post in archive.posts:
        links = briefing.related.get(post.id, ())
        own = briefing.period_of[post.id]
        assert all(link.period != own and briefing.period_of[link.target.id] == link.period for link in links)
        assert len(links) <= 3  # two periods: at most three links into the other one
        assert [link.score for link in links] == sorted((link.score for link in links), reverse=True)
        assert all(link.score >= related.Tuning().standout for link in links)
        assert all(link.reason.startswith("both about: ") or link.reason == "close in meaning" for link in links)
        assert all(link.score >= links[0].score - related.Tuning().margin for link in links)  # no weak third


def test_related_is_symmetric_in_score(seeds):
    archive, briefing = seeds
    scores = {(link.source.id, link.target.id): link.score for links in briefing.related.values() for link in links}
    for (a, b), score in scores.items():
        if (b, a) in scores:
            assert scores[(b, a)] == pytest.approx(score)


def test_candidate_search_finds_what_comparing_every_pair_finds(seeds):
    """The bounded candidate search must not lose links on the seeds: compare
    with scoring every pair of the 60 entries (as many candidates as entries)."""
    archive, briefing = seeds
    from seedbriefing import CONTENT

    from pelican.plugins.briefings.annotate.briefing import find_entities
    from pelican.plugins.briefings.annotate.entities import load_gazetteer

    gazetteer, _ = load_gazetteer(CONTENT / "entities.yaml")
    entities, blanked, texts = find_entities(archive, gazetteer, detect=True)
    kinds = {e.slug: e.kind for es in entities for e in es}
    groups = [post.entry.day.year for post in archive.posts]
    found = {}
    for tuning in (related.Tuning(), related.Tuning(candidates=len(groups))):
        model = related.fit(blanked, [[e.slug for e in es] for es in entities], kinds, tuning, originals=texts)
        found[tuning.candidates] = [dict(per) for per in related.nearest(model, groups)]
    every = found[len(groups)]
    for a, per_group in enumerate(found[related.Tuning().candidates]):
        for group, matches in every[a].items():
            assert [m.index for m in per_group.get(group, ())[:3]] == [m.index for m in matches[:3]]


def test_the_links_are_the_same_found_on_one_thread_or_two(seeds, monkeypatch):
    """A build finds the links on both cores (BRIEFINGS_JOBS): with chunks small
    enough that the seeds' 60 entries take many, on two threads, every link and
    score is what one thread finds, and the threads did run."""
    archive, briefing = seeds
    from seedbriefing import CONTENT

    from pelican.plugins.briefings.annotate.briefing import find_entities
    from pelican.plugins.briefings.annotate.entities import load_gazetteer

    gazetteer, _ = load_gazetteer(CONTENT / "entities.yaml")
    entities, blanked, texts = find_entities(archive, gazetteer, detect=True)
    kinds = {e.slug: e.kind for es in entities for e in es}
    groups = [post.entry.day.year for post in archive.posts]
    contexts = [post.entry.day.toordinal() for post in archive.posts]
    model = related.fit(
        blanked, [[e.slug for e in es] for es in entities], kinds, related.Tuning(chunk=7), originals=texts
    )
    monkeypatch.setattr(related, "PAIR_CHUNK", 50)
    threads = set()
    in_order = related.in_order

    def watched(function, items, workers=1):
        def run(item):
            import threading

            threads.add(threading.current_thread().name)
            return function(item)

        return in_order(run, items, workers)

    monkeypatch.setattr(related, "in_order", watched)
    one = [dict(per) for per in related.nearest(model, groups, contexts=contexts, workers=1)]
    assert len(threads) == 1
    two = [dict(per) for per in related.nearest(model, groups, contexts=contexts, workers=2)]
    assert len({name for name in threads if name.startswith("briefings-links")}) == 2
    assert one == two and sum(len(matches) for per in one for matches in per.values()) > 60


def test_results_do_not_depend_on_the_run(seeds):
    archive, briefing = seeds
    _, again = seed_briefing()
    assert {k: [(l.target.id, l.score) for l in v] for k, v in briefing.related.items()} == {
        k: [(l.target.id, l.score) for l in v] for k, v in again.related.items()
    }


def test_blending_neighbourhoods_shows_fewer_surer_links(seeds):
    """BRIEFINGS_RELATED_BLEND: each entry compared as a blend with its closest
    entries of its own period. Fewer links, no new false one among the entries
    judged above, a known false link gone (Lord Dannatt's numbers; the defence
    spending link is gone by default since the context check), the Nato thread kept."""
    from dataclasses import replace

    from pelican.plugins.briefings.annotate.briefing import BriefingSettings

    archive, plain = seeds
    settings = BriefingSettings()
    _, blended = seed_briefing(replace(settings, related=replace(settings.related, blend=0.5)))
    assert sum(map(len, blended.related.values())) < 0.8 * sum(map(len, plain.related.values()))
    names = [param if isinstance(param, str) else param.values[0] for param in NO_COUNTERPART]
    for name in names:
        post = post_titled(archive, name)
        if not plain.related.get(post.id):
            assert not blended.related.get(post.id), name
    post = post_titled(archive, "'Frankly, we haven't got the numbers'")
    assert plain.related.get(post.id) and not blended.related.get(post.id)
    hegseth = blended.related[post_titled(archive, "Hegseth arrives in Poland").id]
    assert any(link.target.entry.title.startswith(NATO_2022) for link in hegseth)


def test_blended_row_is_own_and_nearest_neighbours_mean():
    """Each blended row is (1 - share) x its own + share x the mean of its closest
    entries of its own period; at a share of 0 the model is left as it is."""
    import numpy as np

    from pelican.plugins.briefings.annotate import links as related

    texts = ["troops border withdrawal", "troops border pullout", "gas pipeline sanctions", "gas pipeline halted"]
    groups = np.asarray([0, 0, 0, 0])
    plain = related.fit(texts, [[]] * 4, {}, related.Tuning())
    assert related.blended(plain, groups) is plain
    model = related.fit(texts, [[]] * 4, {}, related.Tuning(blend=0.5, blend_neighbours=1))
    mixed = related.blended(model, groups)
    for a, nearest in ((0, 1), (2, 3)):  # the entry that shares two of its three words
        assert np.allclose(mixed.dense[a], 0.5 * model.dense[a] + 0.5 * model.dense[nearest], atol=1e-6)
        assert np.allclose(mixed.texts[a].toarray(), 0.5 * (model.texts[a] + model.texts[nearest]).toarray(), atol=1e-6)


def _points(count, seed, topics=48, noise=1.2):
    """Unit rows around ``topics`` random directions, as entries of a few matters."""
    import numpy as np

    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((topics, 32))
    rows = centres[rng.integers(0, topics, count)] + noise * rng.standard_normal((count, 32))
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _search(dense, groups, tuning):
    from types import SimpleNamespace

    import numpy as np

    model = SimpleNamespace(dense=dense, tuning=tuning, order=None, workers=2)
    sources, targets = related._candidates(model, np.asarray(groups), tuning.candidates)
    return set(zip(sources.tolist(), targets.tolist()))


def test_the_clustered_search_searching_every_list_finds_what_the_exact_search_finds():
    """Above ``exact_search`` entries the candidates come from clustered lists; with
    every list searched, they must be exactly those of comparing every pair."""
    dense = _points(1500, seed=3)
    groups = [n % 3 for n in range(1500)]
    exact = _search(dense, groups, related.Tuning())
    everything = _search(dense, groups, related.Tuning(exact_search=0, list_size=100, probes=64))
    assert everything == exact


def test_the_clustered_search_finds_nearly_every_entrys_closest_neighbours():
    """A large archive's search visits a few lists only: it must still find, for
    nearly every entry, its closest entries of each period (the links shown)."""
    import numpy as np

    dense = _points(6000, seed=5)
    groups = np.asarray([n % 2 for n in range(6000)])
    clustered = _search(dense, groups, related.Tuning(exact_search=0, list_size=128, probes=8))
    found = total = 0
    for a in range(0, 6000, 7):
        for group in (0, 1):
            members = np.flatnonzero((groups == group) & (np.arange(6000) != a))
            best = members[np.argsort(-(dense[members] @ dense[a]), kind="stable")[:3]]
            found += sum((a, int(b)) in clustered for b in best)
            total += 3
    assert found / total >= 0.95
    assert len(clustered) <= 2 * 6000 * 2 * related.Tuning().candidates  # bounded, as the exact search


def test_the_exact_search_finds_each_entrys_closest_entries_of_every_period():
    """The exact search picks each row's best a slice of rows at a time (to hold
    less memory); every entry must still get its ``candidates`` closest entries
    of each period, as sorting all its similarities finds them."""
    import numpy as np

    dense = _points(1500, seed=11)
    groups = np.asarray([n % 2 for n in range(1500)])
    tuning = related.Tuning()
    assert tuning.chunk > related.PARTITION_ROWS  # several slices per chunk of rows
    found = _search(dense, groups, tuning)
    for a in range(0, 1500, 13):
        for group in (0, 1):
            members = np.flatnonzero((groups == group) & (np.arange(1500) != a))
            best = members[np.argsort(-(dense[members] @ dense[a]), kind="stable")[: tuning.candidates]]
            assert {(a, int(b)) for b in best} <= found


def test_a_live_page_about_another_story_neither_links_to_the_seeds_nor_gets_links_from_them():
    """A storm's live page built with the seeds: its deaths and power cuts share
    words with the shelling and the Chernobyl strike, and without the context
    check (each entry seen with its live page's day) they link across the two
    stories. The pages are bench/other-stories', written for this."""
    from pathlib import Path

    from bench.links_eval import across_stories

    root = Path(__file__).resolve().parent.parent
    storm = root / "bench" / "other-stories" / "storm-darragh-2024-12.txt"
    for gazetteer in (True, False):
        crossing, shown = across_stories(root / "content", storm, gazetteer)
        assert crossing == 0 and shown > 80, (gazetteer, crossing, shown)
    crossing, _ = across_stories(root / "content", storm, True, context=0.0)
    assert crossing > 0  # what the check is there for


def test_an_entrys_context_is_its_own_rows_and_its_days_mean():
    """in_context: (1 - share) x the entry's dense rows + share x the mean of
    the rows of its live page's day (itself included); an entry alone on its
    day is its own context."""
    import numpy as np

    from pelican.plugins.briefings.annotate import links as related

    texts = ["troops border withdrawal", "troops border pullout", "gas pipeline sanctions", "storm power cuts"]
    model = related.fit(texts, [[]] * 4, {}, related.Tuning(context=0.5))
    rows = related.in_context(model, np.asarray([7, 7, 7, 3]))
    day = model.dense[:3].mean(axis=0)
    for a in range(3):
        assert np.allclose(rows[a], 0.5 * model.dense[a] + 0.5 * day, atol=1e-6)
    assert np.allclose(rows[3], model.dense[3], atol=1e-6)


def test_a_new_day_within_the_week_leaves_the_sample_of_pairs_the_same(monkeypatch):
    """The archive's mean and spread come from a sample of pairs; drawn from the
    entries of settled weeks, a new day (here five entries, put first so that
    every position moves) leaves it the same pairs of the same entries, so
    that old links do not move with a redrawn sample."""
    import numpy as np

    monkeypatch.setattr(related, "SAMPLE_POOL", 20)
    words = ["troops", "border", "talks", "ceasefire", "sanctions", "drones", "energy", "grain", "refugees", "nato"]

    def drawn_keys(count_new):
        keys = [f"new-{n}" for n in range(count_new)] + [f"old-{n}" for n in range(40)]
        settled = [False] * count_new + [n < 30 for n in range(40)]
        texts = [f"{words[n % 10]} {words[(n * 3) % 10]} {words[(n * 7) % 10]}" for n in range(len(keys))]
        model = related.fit(texts, [[] for _ in keys], {}, keys=keys, settled=settled)
        groups = np.asarray([n % 2 for n in range(len(keys))])
        pairs = []

        def similarity(sources, targets):
            pairs.extend(zip((keys[n] for n in sources), (keys[n] for n in targets)))
            return np.zeros(len(sources))

        related._distribution(similarity, np.zeros(len(keys)), groups, related._sample_pool(model))
        return pairs

    before, after = drawn_keys(0), drawn_keys(5)
    assert len(before) > 1000 and all(key.startswith("old-") for pair in before for key in pair)
    assert before == after
    monkeypatch.setattr(related, "SAMPLE_POOL", 31)  # too few settled entries: drawn from every entry
    assert drawn_keys(0) != drawn_keys(5)
