"""Entities: the people, organisations, places and topics an entry is about.

Two sources, both deterministic:
- the gazetteer ``content/entities.yaml``, edited by hand: a canonical name, a
  kind and the aliases seen in dumps, misspellings included (``Valdimir Putin``);
- automatic detection of other proper names: runs of two or more capitalised
  words that no alias matched (``Lesia Vasylenko``), once titles and roles
  (``Foreign Minister``) are cut away. A run whose last word is also used in
  lower case somewhere in the archive (``National Security``) is an ordinary
  phrase, not a name, and is dropped;
- automatic detection of key phrases (``key_phrases``): two lower-case words,
  neither a stop word, that recur in several entries on different days
  ("peace talks", "full-scale invasion", "gas pipeline"), for any story, read
  off the archive's TF-IDF vocabulary. Where a gazetteer alias spells the same
  words, the gazetteer names them.

Matching works on words, not on the raw text: the text is cut into words once,
and each alias is looked up as a tuple of words, so the cost grows with the
text, not with the number of aliases.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import numpy as np
import yaml
from unidecode import unidecode

from .. import urls
from ..errors import BriefingsError, Problem
from ..ingest import safe_yaml
from ..ingest.sources import check_input

KINDS = ("person", "organisation", "place", "topic")
DETECTED = "name"  # the kind of a detected name: a proper name of unknown kind
PHRASE = "phrase"  # the kind of a detected key phrase
PHRASE_ENTRIES = 3  # a key phrase recurs in at least this many entries
PHRASE_DAYS = 2  # on at least this many days
PHRASES_PER_ENTRIES = 20  # at most one key phrase per this many entries (at least ten): the most used
RECORD_KEYS = ("name", "kind", "aliases")
RESERVED_SLUGS = frozenset({"index"})  # entities/index.html lists them all

# A word: letters and digits, with inner apostrophes (O'Connor, Putin's).
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_POSSESSIVE = re.compile(r"['\u2019]s$")
# Between two words of one name there may be a space or a hyphen, nothing else.
_NAME_GAP = re.compile(r"[ \t]?|-")
PARTICLES = frozenset({"de", "del", "der", "van", "von", "da", "di", "du", "bin", "al", "of"})
# Words that stand before or inside a name but are not part of it: roles,
# honorifics, nationalities, and the capitalised words that open sentences.
NOT_NAMES = frozenset(
    [
        "President",
        "Vice",
        "Prime",
        "Minister",
        "Ministers",
        "Secretary",
        "Chancellor",
        "Foreign",
        "Defence",
        "Defense",
        "Deputy",
        "General",
        "Spokesman",
        "Spokeswoman",
        "Spokesperson",
        "Sir",
        "Lord",
        "Lady",
        "Dame",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Prof",
        "Professor",
        "MP",
        "MPs",
        "MEP",
        "Senator",
        "Chief",
        "Head",
        "Leader",
        "King",
        "Queen",
        "Pope",
        "Former",
        "Health",
        "Home",
        "Interior",
        "Finance",
        "Commander",
        "Ambassador",
        "Envoy",
        "Special",
        "Advisor",
        "Adviser",
        "Director",
        "Governor",
        "Mayor",
        "Admiral",
        "Colonel",
        "Major",
        "Captain",
        "Sergeant",
        "Correspondent",
        "Editor",
        "Russian",
        "Ukrainian",
        "German",
        "British",
        "French",
        "Polish",
        "Swedish",
        "American",
        "European",
        "Western",
        "Eastern",
        "Nordic",
        "Soviet",
        "Italian",
        "Spanish",
        "Chinese",
        "Belarusian",
        "Finnish",
        "Estonian",
        "Danish",
        "Dutch",
        "Israeli",
        "Saudi",
        "Republican",
        "Republicans",
        "Democrat",
        "Democrats",
        "Congress",
        "Parliament",
        "Government",
        "Ministry",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "The",
        "A",
        "An",
        "And",
        "But",
        "Or",
        "If",
        "In",
        "On",
        "At",
        "As",
        "Of",
        "For",
        "From",
        "To",
        "With",
        "By",
        "After",
        "Before",
        "Since",
        "During",
        "Meanwhile",
        "However",
        "This",
        "That",
        "These",
        "Those",
        "There",
        "Here",
        "It",
        "Its",
        "He",
        "She",
        "They",
        "We",
        "You",
        "I",
        "Our",
        "Their",
        "His",
        "Her",
        "What",
        "Why",
        "How",
        "When",
        "Where",
        "Who",
        "Which",
        "Watch",
        "Read",
        "Asked",
        "Speaking",
        "Earlier",
        "Later",
        "Now",
        "Today",
        "Yesterday",
        "Tonight",
        "Last",
        "Next",
        "Live",
        "Breaking",
        "Analysis",
        "Recap",
        "Summary",
        "Image",
        "Picture",
        "Video",
        "Map",
        "Graphic",
        "Quote",
        "Message",
        "Key",
        "Latest",
        "More",
        "Update",
        "Updates",
        "One",
        "Two",
        "Three",
        "Four",
        "Five",
        "Six",
        "Seven",
        "Eight",
        "Nine",
        "Ten",
        "BBC",
    ]
)


@dataclass(frozen=True)
class Entity:
    name: str  # canonical, as shown
    kind: str  # one of KINDS, or DETECTED
    slug: str  # unique across entities: the page's file name

    @property
    def detected(self) -> bool:
        return self.kind == DETECTED

    @property
    def url(self) -> str:
        return urls.entity_url(self.slug)


@dataclass(frozen=True)
class Gazetteer:
    """Canonical entities and the word tuples that name them. Topics are looked up
    apart from names, so "Ukraine joining Nato" is the topic *and* two names."""

    entities: tuple[Entity, ...]
    names: Mapping[tuple[str, ...], Entity]  # normalised words -> person, organisation, place
    topics: Mapping[tuple[str, ...], Entity]  # normalised words -> topic
    # First word of an alias -> the lengths of the aliases it starts, longest first:
    # most words start none, so most words cost one lookup.
    name_starts: Mapping[str, tuple[int, ...]]
    topic_starts: Mapping[str, tuple[int, ...]]

    @classmethod
    def empty(cls) -> Gazetteer:
        nothing = MappingProxyType({})
        return cls((), nothing, nothing, nothing, nothing)


def normalise_word(word: str) -> str:
    if word.isascii():
        return word[:-2] if word.endswith("'s") else word
    word = word.replace("\u2019", "'")
    return unidecode(word[:-2] if word.endswith("'s") else word)


def words(text: str) -> list[tuple[str, int, int]]:
    """``(normalised word, start, end)`` for each word of ``text``."""
    found = []
    for match in _WORD.finditer(text):
        word = match.group()
        if not word.isascii() or word.endswith("'s"):  # most words need no normalising
            word = normalise_word(word)
        found.append((word, match.start(), match.end()))
    return found


def alias_keys(alias: str) -> list[tuple[str, ...]]:
    """The word tuples an alias is found by. An alias written in lower case
    (``joining Nato``) is also found capitalised, at the start of a sentence."""
    key = tuple(word for word, _, _ in words(alias))
    if not key:
        return []
    keys = [key]
    if key[0][:1].islower():
        keys.append((key[0][:1].upper() + key[0][1:],) + key[1:])
    return keys


# --- the gazetteer file ----------------------------------------------------------


def _scalar(node) -> str | None:
    return node.value.strip() if isinstance(node, yaml.ScalarNode) and isinstance(node.value, str) else None


def load_gazetteer(path: Path) -> tuple[Gazetteer, list[Problem]]:
    """Reads ``entities.yaml``: a list of ``{name, kind, aliases}``. A missing file
    is an empty gazetteer (detection still runs); each bad record is one
    ``Problem`` with its line and is left out, the rest is used."""
    shown = str(path)
    if not path.exists():
        return Gazetteer.empty(), []
    try:
        check_input(path, path.parent)
        root = safe_yaml.compose(path.read_text(encoding="utf-8"), shown)
    except BriefingsError as error:
        return Gazetteer.empty(), [error.problem]
    except UnicodeDecodeError:
        return Gazetteer.empty(), [Problem(shown, None, "not UTF-8 text: re-save it as UTF-8")]
    if root is None:
        return Gazetteer.empty(), []
    if not isinstance(root, yaml.SequenceNode):
        return Gazetteer.empty(), [
            Problem(
                shown, root.start_mark.line + 1, "must be a list of entities: `- name: …`, `kind: …`, `aliases: […]`"
            )
        ]
    records, problems = [], []
    for node in root.value:
        record, record_problems = _record(node, shown)
        problems += record_problems
        if record:
            records.append(record)
    gazetteer, clash_problems = build_gazetteer(records, shown)
    return gazetteer, problems + clash_problems


@dataclass(frozen=True)
class Record:
    """One entity as written in the gazetteer file."""

    name: str
    kind: str
    aliases: tuple[str, ...]
    line: int | None = None


def _record(node, shown: str) -> tuple[Record | None, list[Problem]]:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        return None, [Problem(shown, line, "each entity is a mapping with `name`, `kind` and `aliases`")]
    fields = {_scalar(key) or "": value for key, value in node.value}
    problems = [
        Problem(shown, line, f"unknown key '{key}' ignored; known keys: {', '.join(RECORD_KEYS)}", "warning")
        for key in fields
        if key not in RECORD_KEYS
    ]
    name = _scalar(fields.get("name"))
    if not name:
        return None, problems + [Problem(shown, line, "entity without a `name`: left out")]
    kind = _scalar(fields.get("kind"))
    if kind not in KINDS:
        return None, problems + [
            Problem(shown, line, f"'{name}': kind must be one of {', '.join(KINDS)}, not '{kind}'")
        ]
    aliases_node = fields.get("aliases")
    aliases: list[str | None] = []
    if isinstance(aliases_node, yaml.SequenceNode):
        aliases = [_scalar(item) for item in aliases_node.value]
    if aliases_node is not None and (not isinstance(aliases_node, yaml.SequenceNode) or None in aliases):
        return None, problems + [
            Problem(
                shown,
                aliases_node.start_mark.line + 1,
                f"'{name}': aliases must be a list of names, like [Putin, Valdimir Putin]",
            )
        ]
    return Record(name, kind, tuple(a for a in aliases if a), line), problems


def build_gazetteer(records: Iterable[Record], shown: str = "entities.yaml") -> tuple[Gazetteer, list[Problem]]:
    entities, problems = [], []
    names: dict[tuple[str, ...], Entity] = {}
    topics: dict[tuple[str, ...], Entity] = {}
    slugs: set[str] = set()
    for record in records:
        slug = urls.slugify(record.name)
        if slug in RESERVED_SLUGS:
            problems.append(
                Problem(shown, record.line, f"'{record.name}' would overwrite the list of entities: rename it")
            )
            continue
        if slug in slugs:
            problems.append(Problem(shown, record.line, f"'{record.name}' is listed twice: merge the two entries"))
            continue
        slugs.add(slug)
        entity = Entity(record.name, record.kind, slug)
        entities.append(entity)
        aliases = topics if record.kind == "topic" else names
        for alias in (record.name,) + record.aliases:
            for key in alias_keys(alias):
                owner = aliases.get(key)
                if owner and owner != entity:
                    problems.append(
                        Problem(
                            shown,
                            record.line,
                            f"alias '{alias}' of '{record.name}' already names '{owner.name}': keep it on one entity",
                        )
                    )
                    break
                aliases[key] = entity
    gazetteer = Gazetteer(
        tuple(entities), MappingProxyType(names), MappingProxyType(topics), _starts(names), _starts(topics)
    )
    return gazetteer, problems


def _starts(aliases: Mapping[tuple[str, ...], Entity]) -> Mapping[str, tuple[int, ...]]:
    starts: dict[str, set[int]] = {}
    for key in aliases:
        starts.setdefault(key[0], set()).add(len(key))
    return MappingProxyType({word: tuple(sorted(lengths, reverse=True)) for word, lengths in starts.items()})


# --- finding entities in text ------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """A name found in a text: either a gazetteer entity or a detected name."""

    entity: Entity | None  # None for a detected name (see ``is_name``)
    name: str
    start: int
    end: int


def find_mentions(text: str, gazetteer: Gazetteer, found: list | None = None) -> list[Mention]:
    """Gazetteer names (longest alias first, left to right), the runs of
    capitalised words between them that may be other names, and topics.
    ``found``: ``words(text)``, when the caller has it already."""
    if found is None:
        found = words(text)
    mentions: list[Mention] = []
    run: list[tuple[str, int, int]] = []
    names, name_starts, topic_starts = gazetteer.names, gazetteer.name_starts, gazetteer.topic_starts
    i = 0
    while i < len(found):
        # Most words start no alias: one dictionary lookup, no call.
        entity, length = _longest_alias(found, i, names, name_starts) if found[i][0] in name_starts else (None, 0)
        if entity:
            if run:
                mentions.extend(_candidate_names(run, text))
                run = []
            mentions.append(Mention(entity, entity.name, found[i][1], found[i + length - 1][2]))
            i += length
            continue
        word, start, end = found[i]
        if _capitalised(word) or (run and word in PARTICLES):
            if run and not _NAME_GAP.fullmatch(text[run[-1][2] : start]):
                mentions.extend(_candidate_names(run, text))
                run = []
            run.append(found[i])
        elif run:
            mentions.extend(_candidate_names(run, text))
            run = []
        i += 1
    if run:
        mentions.extend(_candidate_names(run, text))
    i = 0
    while i < len(found):
        if found[i][0] not in topic_starts:
            i += 1
            continue
        entity, length = _longest_alias(found, i, gazetteer.topics, topic_starts)
        if entity:
            mentions.append(Mention(entity, entity.name, found[i][1], found[i + length - 1][2]))
        i += length or 1
    return sorted(mentions, key=lambda mention: mention.start)


def _longest_alias(found, i: int, aliases: Mapping, starts: Mapping[str, tuple[int, ...]]) -> tuple[Entity | None, int]:
    for length in starts.get(found[i][0], ()):
        if i + length <= len(found):
            entity = aliases.get(tuple(word for word, _, _ in found[i : i + length]))
            if entity:
                return entity, length
    return None, 0


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and not word.isdigit()


def _candidate_names(run, text: str) -> list[Mention]:
    """Cut a run of capitalised words at the words that are not names, and keep
    the pieces of two to four words that start and end with a capital."""
    pieces, piece = [], []
    for item in run + [None]:
        if item is None or item[0] in NOT_NAMES:
            while piece and piece[-1][0] in PARTICLES:
                piece.pop()
            while piece and piece[0][0] in PARTICLES:
                piece.pop(0)
            if (
                2 <= len(piece) <= 4
                and not all(w.isupper() for w, _, _ in piece)
                and not any(_POSSESSIVE.search(text[start:end]) for _, start, end in piece[:-1])
            ):
                name = _POSSESSIVE.sub("", text[piece[0][1] : piece[-1][2]])
                pieces.append(Mention(None, " ".join(name.split()), piece[0][1], piece[-1][2]))
            piece = []
        else:
            piece.append(item)
    return pieces


def lowercase_words(texts: Iterable[str]) -> frozenset[str]:
    """Every word used in lower case somewhere: the vocabulary of ordinary prose."""
    return frozenset().union(*(prose_words(words(text)) for text in texts))


def prose_words(found: list[tuple[str, int, int]]) -> frozenset[str]:
    """The words of one text (``words(text)``) that it uses in lower case,
    interned: every entry's set is kept, and most words are in many."""
    return frozenset(sys.intern(word) for word, _, _ in found if word[:1].islower())


def is_name(mention: Mention, prose: frozenset[str]) -> bool:
    """A detected run is a name unless its last word is ordinary prose too."""
    return _last_word(mention.name).lower() not in prose


@lru_cache(maxsize=65536)
def _last_word(name: str) -> str:
    return words(name)[-1][0]


def detected_entity(name: str, taken: set[str]) -> Entity:
    slug = urls.slugify(name)
    candidate, n = slug, 2
    while candidate in taken or candidate in RESERVED_SLUGS:
        candidate, n = f"{slug}-{n}", n + 1
    taken.add(candidate)
    return Entity(name, DETECTED, candidate)


# --- key phrases -----------------------------------------------------------------


_WORD_OR_HYPHEN = re.compile(r"[\w-]")
_LETTER = re.compile(r"[^\W\d_]")


def _written(text: str, pair: str) -> str | None:
    r"""The first place ``text`` writes ``pair`` as whole words, as written there:
    what ``(?<![\w-])((?:[^\W\d_]+-)?PAIR)(?![\w-])`` finds, without compiling
    a pattern per pair (thousands of them were 3 s of a 10,000-entry build)."""
    start = text.find(pair)
    while start >= 0:
        end = start + len(pair)
        if end == len(text) or not _WORD_OR_HYPHEN.match(text, end):
            if start == 0 or not _WORD_OR_HYPHEN.match(text, start - 1):
                return pair
            if text[start - 1] == "-":  # a hyphenated first word: its letters, whole
                begin = start - 1
                while begin > 0 and _LETTER.match(text, begin - 1):
                    begin -= 1
                if begin < start - 1 and (begin == 0 or not _WORD_OR_HYPHEN.match(text, begin - 1)):
                    return text[begin:end]
        start = text.find(pair, start + 1)
    return None


@dataclass(frozen=True)
class KeyPhrase:
    name: str  # as written: "full-scale invasion"
    entries: tuple[int, ...]  # positions of the entries that use it


def key_phrases(rows, vocabulary, days, prose: frozenset[str], gazetteer: Gazetteer, texts) -> tuple[KeyPhrase, ...]:
    """The two-word terms of the archive's TF-IDF vocabulary (``rows``: one sparse
    row per entry; stop words are already out) that recur in ``PHRASE_ENTRIES``
    entries on ``PHRASE_DAYS`` days, both words used in lower case (so not a name),
    written with a space somewhere, and not spelled by a gazetteer alias; the most
    used first, at most one per ``PHRASES_PER_ENTRIES`` entries."""
    columns = [n for n, term in enumerate(vocabulary) if " " in term]
    if not columns:
        return ()
    by_column = rows[:, columns].tocsc()
    frequency = np.diff(by_column.indptr)
    named = {" ".join(key).lower() for key in (*gazetteer.names, *gazetteer.topics)}
    found = []
    for k in np.flatnonzero(frequency >= PHRASE_ENTRIES):
        term = vocabulary[columns[k]]
        first, second = term.split(" ")
        if len(first) < 3 or len(second) < 3 or first not in prose or second not in prose or term in named:
            continue
        entries = by_column.indices[by_column.indptr[k] : by_column.indptr[k + 1]]
        if len({days[n] for n in entries}) >= PHRASE_DAYS:
            found.append((-len(entries), term, tuple(sorted(int(n) for n in entries))))
    found.sort()
    phrases, names = [], set()
    for _, term, entries in found:
        first, second = term.split(" ")
        # As written in its first entry, a hyphenated first word included; a pair
        # that is only ever half of a hyphenated word ("full scale") is none.
        needle = f"{first} {second}"
        match = next((m for m in (_written(texts[n], needle) for n in entries) if m), None)
        if match and match not in names:
            names.add(match)
            phrases.append(KeyPhrase(match, entries))
        if len(phrases) == max(10, len(texts) // PHRASES_PER_ENTRIES):
            break
    return tuple(phrases)
