"""Entities: the gazetteer's names and aliases (misspellings included) and detected names."""

from pathlib import Path

import pytest
from seedbriefing import CONTENT, post_titled, seed_briefing

from pelican.plugins.briefings.annotate.entities import (
    Record,
    build_gazetteer,
    find_mentions,
    is_name,
    load_gazetteer,
    lowercase_words,
)


@pytest.fixture(scope="module")
def gazetteer():
    loaded, problems = load_gazetteer(CONTENT / "entities.yaml")
    assert problems == []
    return loaded


def names(text, gazetteer):
    return [mention.entity.name for mention in find_mentions(text, gazetteer) if mention.entity]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("where he is due to meet President Valdimir Putin.", "Vladimir Putin"),  # seed 2022, entry 5
        ("The German chancellor, Olaf Sholz, will meet", "Olaf Scholz"),  # seed 2022, entry 15
        ("a key gas pipeline connecting Russia and Germany - Nordstream 2 - could", "Nord Stream 2"),
        ("Ukrainian MP Kira Rudik, from the pro-European party Holos", "Kira Rudyk"),  # seed 2025, entry 9
        ("Ukraine MP Kira Rudyk speaking with a microphone", "Kira Rudyk"),  # its picture's description
        ("Asked about Putin's aims, he says", "Vladimir Putin"),
        ("Lord Richard Dannat tells BBC Breakfast", "Richard Dannatt"),
    ],
)
def test_aliases_and_misspellings_resolve_to_the_canonical_entity(gazetteer, text, expected):
    assert expected in names(text, gazetteer)


def test_longest_alias_wins_and_topics_overlap_names(gazetteer):
    found = names("it would not end the Nord Stream 2 gas pipeline project", gazetteer)
    assert found.count("Nord Stream 2") == 1
    found = names("On Ukraine joining Nato, he said it may take time", gazetteer)
    assert {"Ukraine", "Nato", "Nato membership"} <= set(found)


def test_lowercase_alias_is_found_at_the_start_of_a_sentence(gazetteer):
    assert "Sanctions" in names("Sanctions would follow.", gazetteer)
    assert "Sanctions" in names("threatening sanctions", gazetteer)


def test_matching_is_by_whole_words_and_case(gazetteer):
    assert names("Trumpet players and a nato-like pact", gazetteer) == []


def test_detected_names_are_proper_names_not_titles_or_phrases():
    gazetteer, _ = build_gazetteer([])
    text = (
        "Ukrainian MP Lesia Vasylenko says it is unlikely. US National Security Advisor Mike Waltz "
        "travels. Sam de Bendern, associate fellow at Chatham House, tells the BBC. "
        "The national security of the state matters."
    )
    prose = lowercase_words([text])
    found = [m.name for m in find_mentions(text, gazetteer) if m.entity is None and is_name(m, prose)]
    assert "Lesia Vasylenko" in found and "Mike Waltz" in found and "Sam de Bendern" in found
    assert "Chatham House" in found
    assert not [name for name in found if "National" in name or "MP" in name or "Ukrainian" in name]


def test_seed_entries_name_their_entities():
    archive, briefing = seed_briefing()
    welcome = post_titled(archive, "Welcome back to our live coverage")
    assert {"Olaf Scholz", "Vladimir Putin", "Nord Stream 2"} <= {e.name for e in briefing.entities_of[welcome.id]}
    closing = post_titled(archive, "Live coverage concludes")
    named = {e.name for e in briefing.entities_of[closing.id]}
    assert "Sergei Lavrov" in named
    assert "Alys Davies" not in named  # the staff credits say who wrote it, not what it is about
    rudyk = post_titled(archive, "'For us, it doesn\u2019t seem like Russia wants peace")
    assert [e.name for e in briefing.entities_of[rudyk.id] if "Kira" in e.name] == ["Kira Rudyk"]
    byline_only = post_titled(archive, "EU watching Russian troop movements closely")
    assert "Jessica Parker" not in {e.name for e in briefing.entities_of[byline_only.id]}


def test_entity_pages_list_entries_in_time_order_across_periods():
    archive, briefing = seed_briefing()
    [putin] = [e for e in briefing.entities if e.name == "Vladimir Putin"]
    posts = briefing.posts_of[putin.slug]
    assert {briefing.period_of[p.id].name for p in posts} == {"2022", "2025"}
    instants = [p.entry.utc for p in posts]
    assert instants == sorted(instants)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "entities.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "text, line, reason",
    [
        ("- name: Putin\n  kind: tsar\n", 1, "kind must be one of person, organisation, place, topic, not 'tsar'"),
        ("- kind: person\n", 1, "entity without a `name`"),
        ("- name: Olaf Scholz\n  kind: person\n  aliases: Scholz\n", 3, "aliases must be a list"),
        (
            "- name: Olaf Scholz\n  kind: person\n  aliases: [Scholz]\n- name: Roland Scholz\n  kind: person\n"
            "  aliases: [Scholz]\n",
            4,
            "alias 'Scholz' of 'Roland Scholz' already names 'Olaf Scholz'",
        ),
        ("name: Olaf Scholz\n", 1, "must be a list of entities"),
        ("- name: [unclosed\n", 2, "invalid YAML"),
        ("- name: Index\n  kind: topic\n", 1, "would overwrite the list of entities"),
    ],
)
def test_bad_gazetteer_records_are_one_line_problems_and_the_rest_is_used(tmp_path, text, line, reason):
    good = "- name: Kyiv\n  kind: place\n  aliases: [Kiev]\n"
    path = write(tmp_path, text + good if text.startswith("-") and "unclosed" not in text else text)
    gazetteer, problems = load_gazetteer(path)
    assert len(problems) == 1, problems
    assert problems[0].line == line and reason in problems[0].reason
    assert str(problems[0]).startswith(f"{path}:{line}: error: ")
    if text.startswith("-") and "unclosed" not in text:
        assert "Kyiv" in names("the mayor of Kiev", gazetteer)


def test_unknown_gazetteer_keys_are_warnings(tmp_path):
    _, problems = load_gazetteer(write(tmp_path, "- name: Kyiv\n  kind: place\n  colour: blue\n"))
    assert [(p.severity, p.line) for p in problems] == [("warning", 1)]


def test_missing_gazetteer_is_empty_not_an_error(tmp_path):
    gazetteer, problems = load_gazetteer(tmp_path / "entities.yaml")
    assert problems == [] and gazetteer.entities == ()


def test_records_build_a_gazetteer_in_code_too():
    gazetteer, problems = build_gazetteer([Record("Nord Stream 2", "topic", ("Nordstream 2",))])
    assert problems == [] and names("Nordstream 2 would not", gazetteer) == ["Nord Stream 2"]


def test_an_entrys_phrases_are_in_the_order_it_uses_them_whatever_else_the_archive_holds(tmp_path):
    """Chips are by kind, then first mention: for key phrases too, not by how much
    the archive uses them, which one more day can change (and with it the chips,
    so the pages, of many old entries). On a generated archive of 600 entries,
    which has enough of them."""
    from bench.corpus import generate
    from pelican.plugins.briefings.annotate.briefing import find_entities
    from pelican.plugins.briefings.ingest.catalog import build_archive
    from pelican.plugins.briefings.ingest.sources import load_blogs

    generate(600, seed=7).write(tmp_path)
    archive = build_archive(list(load_blogs(tmp_path / "blogs").blogs))
    gazetteer, _ = load_gazetteer(CONTENT / "entities.yaml")
    entities, _, texts = find_entities(archive, gazetteer, detect=True)
    several = 0
    for found, text in zip(entities, texts):
        phrases = [entity.name.lower() for entity in found if entity.kind == "phrase"]
        # A phrase is a pair of words once stop words are out ("increase our
        # defence" is "increase defence"): one not written as such comes last.
        where = {name: text.lower().find(name) % (len(text) + 1) for name in phrases}
        assert phrases == sorted(phrases, key=lambda name: (where[name], name)), text[:60]
        several += len(phrases) > 1
    assert several >= 10  # the order was put to the test
