"""Dump parser: the text of a live-blog dump -> ``model.Dump``.

Built like markdown-it-py. The dump is cut into parts (the page head, then one
part per entry) and each part is read by small recognisers, one per kind of
line, each a plain function over a ``State``. A block recogniser either consumes
the lines it knows, records what they are and returns True, or returns False
and lets the next one try; ``paragraph`` always succeeds, so no line is dropped.

The format is described in FORMAT.md; what it calls "observations" is treated
as such: anything unexpected is kept as text, and only what would make the
site wrong (a time or date that cannot be, an unknown zone, no year) is fatal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import PurePath
from types import MappingProxyType

from ..errors import BriefingsError
from ..model import (
    EXTERNAL_MARKER,
    Block,
    BulletList,
    Byline,
    Dump,
    Entry,
    Figure,
    Head,
    Inline,
    Paragraph,
    Quote,
    VideoCaption,
)

# Fixed offsets only: a page states its zone on every timestamp, so the name
# decides the offset and no tz database rule is needed (or wanted).
GMT = timezone(timedelta(0), "GMT")
BST = timezone(timedelta(hours=1), "BST")
ZONES = MappingProxyType({"Greenwich Mean Time": GMT, "GMT": GMT, "British Summer Time": BST, "BST": BST})

# English names, not calendar.month_name: that one follows the machine's locale.
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)

LABELS = ("Breaking", "Analysis")
PUBLISHED_AT = "published at"
SUMMARY = "Summary"
BULLET = "•"
QUOTE = "Quote Message"
IMAGE_SOURCE = "Image source,"
IMAGE_CAPTION = "Image caption"
MEDIA_CAPTION = "Media caption"
MARKERS = (QUOTE, IMAGE_SOURCE, IMAGE_CAPTION, MEDIA_CAPTION)

BODY_INDENT = 4  # body lines sit at four columns, entry headers at two
BYLINE_MAX = 60  # longest name or role seen is 41 characters
FIGURE_MAX = 160  # longest uncredited graphic description seen is 126 characters
SENTENCE_END = tuple(".?!:;\"'“”‘’«»…")

NO_ENTRIES = (
    "no entries found: an entry starts with a line like "
    "'  1. Title…published at 10:35 Greenwich Mean Time 15 February 2022'"
)
EMPTY = "empty dump: paste the live page's text into it, or remove it and its YAML"
HEAD_ONLY = "; this file holds only the page head: copy the whole page, down to its oldest entry"

_ENTRY_START = re.compile(r"(\d+)\.\s+(\S.*)")
_LOOKS_LIKE_STAMP = re.compile(r"\s*\d{1,2}:\d{2}\b")
_STAMP = re.compile(r"(\d{1,2}):(\d{2})\s+(.+?)\s+(\d{1,2})\s+([^\W\d_]+)(?:\s+(\d{4}))?")
# A page saved on the day: "19:24 Greenwich Mean Time", no date at all.
_CLOCK_ONLY = re.compile(r"(\d{1,2}):(\d{2})\s+([A-Z][^\W\d_]*(?:\s+[A-Z][^\W\d_]*)*)")
# A scraper's copy of the stamp under the header: "18:10 20 March", no zone.
_ZONELESS = re.compile(r"(\d{1,2}):(\d{2})(?:\s+(\d{1,2})\s+([^\W\d_]+)(?:\s+(\d{4}))?)?")
# ", external" followed by a space, punctuation or the end, but not "-" so
# that "…, external-facing" is still plain prose.
_EXTERNAL = re.compile(re.escape(EXTERNAL_MARKER) + r"(?=$|[\s.,;:!?)\]}\"'”’…])")
# C0 and C1 controls but tab, which could upset terminals, YAML and HTML, and
# what stands in for them: C1 has no control pictures, so U+FFFD. U+FFFE and
# U+FFFF are not characters at all (XML, hence the Atom feeds, refuses them), nor
# are U+FDD0-U+FDEF or a lone surrogate (which no file can encode).
# Bidi controls (U+202E turns "exe.txt" into "txt.exe") and invisible characters
# (U+200B, U+2060, U+FEFF) let a text look like another in a title or a search
# result: they show as U+FFFD too. Zero-width (non-)joiners and the direction
# marks (U+200E, U+200F, U+061C) stay: Persian, Hebrew, Arabic and emoji need them,
# and a mark cannot reorder a text the way an override does.
_HIDDEN = (
    0x180E,
    0x200B,
    *range(0x202A, 0x202F),
    *range(0x2060, 0x2065),
    *range(0x2066, 0x206A),
    0xFEFF,
    *range(0xFFF9, 0xFFFC),
    *range(0xD800, 0xE000),
    *range(0xFDD0, 0xFDF0),
    0xFFFE,
    0xFFFF,
)
_PICTURES = MappingProxyType(
    {
        **{c: 0x2400 + c for c in range(0x20) if c != 0x09},
        0x7F: 0x2421,
        **{c: 0xFFFD for c in range(0x80, 0xA0)},
        **dict.fromkeys(_HIDDEN, 0xFFFD),
    }
)
# The same for texts of several lines (a note, a YAML value): line breaks stay.
_PICTURES_BUT_LINES = MappingProxyType({c: p for c, p in _PICTURES.items() if c != 0x0A})


def _character_class(codes) -> re.Pattern:
    """A regex class of ``codes`` written as ranges: listing 2,000 characters one
    by one made the search ten times slower on a megabyte line."""
    ranges: list[list[int]] = []
    for code in sorted(codes):
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return re.compile(
        "[" + "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in ranges) + "]"
    )


_CONTROLS = _character_class(_PICTURES)


def visible(text: str, *, lines: bool = False) -> str:
    """``text`` with control and invisible characters replaced by visible stand-ins;
    with ``lines``, line breaks are kept. The one rule for every text of an input:
    dump lines, titles, YAML values (``safe_yaml``), notes."""
    return text.translate(_PICTURES_BUT_LINES if lines else _PICTURES)


def normalise(text: str, path: str) -> tuple[tuple[str, ...], list[str]]:
    """Split ``text`` into lines indexed by line number (index 0 is a blank stand-in).

    Only "\\r\\n", "\\r" and "\\n" end a line: ``str.splitlines`` would also split
    at form feeds and U+2028, and the line numbers in messages would drift from
    what an editor shows. Controls become visible stand-ins (a warning says so)
    so that the text stays literal but safe.
    """
    lines = [""]
    warnings = []
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff")), 1):
        if _CONTROLS.search(line):  # rare: scanning each line's characters in Python was 30% of parsing
            codes = ", ".join(f"U+{code:04X}" for code in sorted({ord(c) for c in _CONTROLS.findall(line)}))
            warnings.append(f"{path}:{number}: control characters {codes} shown as symbols")
            line = visible(line)
        lines.append(line.rstrip())
    return tuple(lines), warnings


def inline(text: str) -> Inline:
    return Inline(text, tuple(m.start() for m in _EXTERNAL.finditer(text)))


@dataclass
class State:
    """A cursor over one part of the dump (the head or an entry) and what was read from it."""

    path: str
    texts: tuple[str, ...]  # from ``normalise``: texts[n] is line n
    start: int
    end: int  # the first line past this part
    warnings: list[str]  # shared by all parts of a dump
    pos: int = field(init=False)  # the next line to read
    marks: list[int] = field(default_factory=list)  # structural lines: Head.lines, Entry.lines
    blocks: list[Block] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.pos = self.start

    def text(self, n: int) -> str:
        """Line ``n`` without its indentation; past the part's end, blank."""
        return self.texts[n].strip() if n < self.end else ""

    def next_filled(self, n: int) -> int | None:
        """The first non-blank line from ``n`` on in this part."""
        return next((m for m in range(n, self.end) if self.text(m)), None)

    def warn(self, n: int, reason: str) -> None:
        self.warnings.append(f"{self.path}:{n}: {reason}")

    def error(self, n: int, reason: str) -> BriefingsError:
        return BriefingsError(self.path, n, reason)


Rule = Callable[[State], bool]


# --- lines recognised anywhere ------------------------------------------------


def bullets(state: State) -> bool:
    """A run of ``• text`` lines, with or without blank lines between them."""
    items, lines = [], []
    n = state.pos
    while n is not None and state.text(n).startswith(BULLET):
        items.append(inline(state.text(n)[len(BULLET) :].strip()))
        lines.append(n)
        n = state.next_filled(n + 1)
    if not lines:
        return False
    state.blocks.append(BulletList(tuple(items), tuple(lines)))
    state.pos = lines[-1] + 1
    return True


def media_caption(state: State) -> bool:
    """``Media caption,`` and the video's caption (``Watch: …``)."""
    if not _is_marker(state.text(state.pos), MEDIA_CAPTION):
        return False
    found = _marked_text(state, MEDIA_CAPTION)
    if found:
        caption, lines = found
        state.blocks.append(VideoCaption(caption, lines))
    return True


def paragraph(state: State) -> bool:
    """Any other line. The reader view puts each paragraph on one line."""
    state.blocks.append(Paragraph(inline(state.text(state.pos)), (state.pos,)))
    state.pos += 1
    return True


def _is_marker(text: str, marker: str) -> bool:
    return text.startswith(marker) and text[len(marker) : len(marker) + 1] in (",", ":")


def _marked_text(state: State, marker: str) -> tuple[str, tuple[int, ...]] | None:
    """The text of ``<marker>: text`` on one line, else of ``<marker>,`` + blank + text."""
    rest = state.text(state.pos)[len(marker) + 1 :].strip()
    if not rest:
        return _introduced(state)
    state.pos += 1
    return rest, (state.pos - 1,)


def _introduced(state: State) -> tuple[str, tuple[int, ...]] | None:
    """The text a marker line introduces: the next non-blank line of the part.

    A marker that introduces nothing is kept as a paragraph, with a warning,
    and None is returned.
    """
    marker = state.pos
    target = state.next_filled(marker + 1)
    if target is None:
        state.warn(marker, f"'{state.text(marker)}' is followed by nothing; kept as text")
        paragraph(state)
        return None
    state.pos = target + 1
    return state.text(target), (marker, target)


# --- the page head -------------------------------------------------------------


def summary(state: State) -> bool:
    """The ``Summary`` heading of the page head: structure, kept in ``Head.lines``."""
    if state.text(state.pos) != SUMMARY:
        return False
    state.marks.append(state.pos)
    state.pos += 1
    return True


HEAD_RULES: tuple[Rule, ...] = (summary, bullets, media_caption, paragraph)


def read_head(state: State) -> Head:
    read_blocks(state, HEAD_RULES)
    return Head(tuple(state.blocks), tuple(state.marks))


# --- entry headers -----------------------------------------------------------


def is_entry_start(raw: str) -> bool:
    """``  N. …``: a number indented less than the body (tabs stop every four columns)."""
    return _indent(raw) < BODY_INDENT and _ENTRY_START.fullmatch(raw.strip()) is not None


def _indent(raw: str) -> int:
    return len(raw[: len(raw) - len(raw.lstrip(" \t"))].expandtabs(BODY_INDENT))


def is_stamped_header(raw: str) -> bool:
    """An entry header with no number: ``  • Title…published at 19:24 …`` (bullet
    entries) or, on a flattened page, ``Post…published at 05:00 …``.

    Indented less than the body, with the stamp glued to a title ("saysPublished",
    as every header of the format has it): prose that mentions a time ("the report
    was published at 10:00") has a space before the words and stays prose. A
    stamp alone on its line is a scraper's repeat (``repeated_stamp``), not a header.
    """
    if _indent(raw) >= BODY_INDENT:
        return False
    text = raw.strip().removeprefix(BULLET).strip()
    before, marker, _ = text.rpartition(PUBLISHED_AT)
    return bool(marker and before and not before[-1].isspace() and _stamp_tail(text) is not None)


def entry_starts(texts: tuple[str, ...]) -> list[int]:
    """The first line of each entry: a numbered line, or an unnumbered stamped header.

    A stamped header under a numbered label line (``  2. Analysis``) is that entry's
    title; a lone label line just before an unnumbered one starts it instead.
    """
    starts: list[int] = []
    previous = None  # the last non-blank line
    for n in range(1, len(texts)):
        raw = texts[n]
        if not raw.strip():
            continue
        if is_entry_start(raw):
            starts.append(n)
        elif is_stamped_header(raw):
            above = texts[previous].strip() if previous else ""
            numbered_label = starts and starts[-1] == previous and is_entry_start(texts[previous])
            if numbered_label and label(_ENTRY_START.fullmatch(above).group(2)):
                pass  # the title of "  2. Analysis"
            elif previous and label(above) and _indent(texts[previous]) < BODY_INDENT and previous - 1 not in starts:
                starts.append(previous)  # "Analysis", then the stamped title
            else:
                starts.append(n)
        previous = n
    return starts


def label(text: str) -> str | None:
    """A known label, as written (``Breaking``, ``Analysis``)."""
    return text if text.casefold() in (known.casefold() for known in LABELS) else None


@dataclass(frozen=True)
class Stamp:
    """What a header's ``published at`` says: a full local time, or only a clock time
    (a page saved on the day), its zone, and a label glued after it (``…2024Breaking``)."""

    published: datetime | None
    clock: time | None
    zone: str | None
    label: str | None = None


@dataclass(frozen=True)
class Draft:
    """An entry before its day is known: an untimestamped one borrows it from its
    neighbours, a clock-only one from the blog's ``date:`` and the entries above it."""

    number: int
    title: str
    labels: tuple[str, ...]
    published: datetime | None
    zone: str | None
    byline: Byline | None
    blocks: tuple[Block, ...]
    line: int
    lines: tuple[int, ...]
    clock: time | None = None  # a clock-only stamp, until its day is known
    numbered: bool = True  # False for bullet entries and flattened pages
    title_line: int = 0

    def entry(self, day: date) -> Entry:
        return Entry(
            self.number,
            self.title,
            self.labels,
            self.published,
            self.zone,
            day,
            self.byline,
            self.blocks,
            self.line,
            self.lines,
        )


def entry_header(state: State, year: int | None, position: int = 1) -> Draft:
    """The number line (or an unnumbered stamped header), a label before or after
    the title, the title with its timestamp, and a scraper's repeat of the stamp.

    Returns a draft without byline or blocks; the header's lines go to ``state.marks``.
    ``position`` (1 = newest) numbers an entry the page did not number.
    """
    first = state.text(state.pos)
    numbered = _ENTRY_START.fullmatch(first)
    number, text = (int(numbered.group(1)), numbered.group(2)) if numbered else (position, _unbullet(first))
    line = title_line = state.pos
    state.marks.append(line)
    state.pos += 1
    labels = []
    following = state.next_filled(state.pos)
    # "  1. Analysis", then the title. Only a timestamped title line (or, on a
    # numbered line, a headline right under it) tells a label from a one-word title.
    if label(text) and following is not None and _titles(state, following, bool(numbered)):
        labels.append(text)
        text, title_line = _unbullet(state.text(following)), following
        state.marks.append(following)
        state.pos = following + 1
    _labels_under(state, labels)
    title, stamp = timestamp(state, title_line, text, year)
    if stamp.label:
        labels.append(stamp.label)
    stamp, repeated_label = repeated_stamp(state, stamp, year)
    if repeated_label and repeated_label not in labels:
        labels.append(repeated_label)
    _labels_under(state, labels)
    return Draft(
        number,
        title,
        tuple(labels),
        stamp.published,
        stamp.zone,
        None,
        (),
        line,
        tuple(state.marks),
        clock=stamp.clock,
        numbered=bool(numbered),
        title_line=title_line,
    )


def _unbullet(text: str) -> str:
    return text.removeprefix(BULLET).strip() if text.startswith(BULLET) else text


def _titles(state: State, n: int, numbered: bool) -> bool:
    """Whether line ``n`` is the title under a label: stamped, or (under a numbered
    label line, with no blank line between) a headline: short, no final full stop."""
    text = state.text(n)
    if _stamp_tail(text) is not None:
        return True
    return (
        numbered
        and n == state.pos
        and len(text) <= FIGURE_MAX
        and not text.endswith(SENTENCE_END)
        and not text.startswith(BULLET)
        and not any(m in text for m in MARKERS)
    )


def _labels_under(state: State, labels: list[str]) -> None:
    while label(state.text(state.pos)):  # right under the title, no blank line between
        labels.append(state.text(state.pos))
        state.marks.append(state.pos)
        state.pos += 1


def _stamp_tail(text: str) -> str | None:
    """What follows the last "published at", if it starts with a time (titles may quote the words)."""
    _, marker, tail = text.rpartition(PUBLISHED_AT)
    return tail if marker and _LOOKS_LIKE_STAMP.match(tail) else None


def _glued_label(tail: str) -> tuple[str, str | None]:
    """``05:00 Greenwich Mean Time 6 November 2024Breaking``: the stamp and the label glued to it."""
    for known in LABELS:
        if tail.casefold().endswith(known.casefold()) and len(tail) > len(known):
            rest = tail[: -len(known)]
            return rest.rstrip(), tail[len(rest) :]
    return tail, None


def timestamp(state: State, n: int, text: str, year: int | None) -> tuple[str, Stamp]:
    """Split a title line into title and stamp (local time, or clock only, and zone)."""
    tail = _stamp_tail(text)
    if tail is None:
        if PUBLISHED_AT in text:
            state.warn(n, f"no time after the last '{PUBLISHED_AT}': read as part of the title")
        return text, Stamp(None, None, None)
    title = text.rpartition(PUBLISHED_AT)[0].rstrip()
    stamp, glued = _glued_label(tail.strip())
    match = _STAMP.fullmatch(stamp)
    clock = _CLOCK_ONLY.fullmatch(stamp) if not match else None
    if not match and not clock:
        raise state.error(
            n,
            f"cannot read the timestamp '{PUBLISHED_AT}{tail}': expected "
            "'HH:MM Zone [D Month [YYYY]]', like '10:35 Greenwich Mean Time 15 February 2022'",
        )
    hour, minute, zone = (match or clock).groups()[:3]
    if not (int(hour) < 24 and int(minute) < 60):
        raise state.error(n, f"impossible time '{hour}:{minute}': correct it in the dump (hours 00-23, minutes 00-59)")
    if zone not in ZONES:
        raise state.error(
            n,
            f"unknown time zone '{zone}': known are {', '.join(ZONES)}; correct the "
            "dump, or add the zone and its offset to ZONES in parse.py",
        )
    if clock:
        return title, Stamp(None, time(int(hour), int(minute)), zone, glued)
    day, month, written_year = match.groups()[3:]
    local_day = _local_day(state, n, day, month, written_year, year)
    published = datetime.combine(local_day, time(int(hour), int(minute)), ZONES[zone])
    try:
        published.astimezone(UTC)  # 00:30 BST on 1 January 0001 is in the year 0
    except OverflowError:
        raise state.error(
            n, f"impossible date '{day} {month} {written_year or year}': before the year 1 in UTC; correct the dump"
        ) from None
    return title, Stamp(published, None, zone, glued)


def _local_day(state: State, n: int, day: str, month: str, written_year: str | None, year: int | None) -> date:
    if month.casefold() not in MONTHS:
        raise state.error(n, f"unknown month '{month}': correct its spelling in the dump")
    if written_year is None and year is None:
        yaml = PurePath(state.path).with_suffix(".yaml").name
        raise state.error(
            n,
            f"date '{day} {month}' has no year and the blog's YAML gives none: "
            f"add the page's year to {yaml}, as in `year: 2025`",
        )
    try:
        # The date's own year wins over the YAML's: it is the page speaking.
        return date(int(written_year or year), MONTHS.index(month.casefold()) + 1, int(day))
    except ValueError:
        where = "the dump" if written_year else f"the dump, or `year: {year}` in {PurePath(state.path).stem}.yaml"
        raise state.error(n, f"impossible date '{day} {month} {written_year or year}': correct {where}") from None


def repeated_stamp(state: State, stamp: Stamp, year: int | None) -> tuple[Stamp, str | None]:
    """A scraper's second line under the header, ``published at 18:10 20 March``
    (no zone): the header's own stamp again, so structure, not text. One that
    disagrees with the header stays text, with a warning; one under a clock-only
    header gives it its day. Returns the header's stamp, completed, and a label
    glued to the repeat."""
    n = state.next_filled(state.pos)
    text = state.text(n) if n is not None else ""
    if not text.startswith(PUBLISHED_AT) or (stamp.clock is None and stamp.published is None):
        return stamp, None
    said, glued = _glued_label(text[len(PUBLISHED_AT) :].strip())
    match = _ZONELESS.fullmatch(said)
    full = _STAMP.fullmatch(said) if not match else None
    if full and full.group(3) in ZONES:  # with a zone after all: "18:10 GMT 20 March"
        hour, minute, _, day, month, written_year = full.groups()
    elif match:
        hour, minute, day, month, written_year = match.groups()
    else:
        return stamp, None
    clock = stamp.clock or stamp.published.time()
    agrees = (int(hour), int(minute)) == (clock.hour, clock.minute)
    local_day = None
    if agrees and day is not None:
        wanted_year = written_year or (stamp.published.year if stamp.published else year)
        local_day = _maybe_date(wanted_year, month, day)
        agrees = local_day is not None and (stamp.published is None or local_day == stamp.published.date())
    if not agrees:
        state.warn(n, f"'{text}' disagrees with the header's stamp above it: kept as text")
        state.blocks.append(Paragraph(inline(text), (n,)))
        state.pos = n + 1
        return stamp, None
    state.marks.append(n)
    state.pos = n + 1
    if stamp.clock is not None and local_day is not None:
        stamp = Stamp(datetime.combine(local_day, stamp.clock, ZONES[stamp.zone]), None, stamp.zone, stamp.label)
    return stamp, glued


def _maybe_date(year, month: str, day: str) -> date | None:
    if year is None or month.casefold() not in MONTHS:
        return None
    try:
        return date(int(year), MONTHS.index(month.casefold()) + 1, int(day))
    except ValueError:
        return None


# --- entry bodies ------------------------------------------------------------


def byline(state: State) -> Byline | None:
    """A name and a role on two lines right under the header, a blank line after."""
    name = state.next_filled(state.pos)
    if name is None or state.text(name + 2) or not all(_byline_part(state.text(n)) for n in (name, name + 1)):
        return None
    state.pos = name + 2
    return Byline(state.text(name), state.text(name + 1), (name, name + 1))


def _byline_part(text: str) -> bool:
    return (
        0 < len(text) <= BYLINE_MAX
        and not text.endswith(SENTENCE_END)
        and not text.startswith(BULLET)
        and not any(m in text for m in MARKERS)
    )


def quote(state: State) -> bool:
    """``Quote Message``, a blank line, then the quoted paragraph."""
    if state.text(state.pos) != QUOTE:
        return False
    found = _introduced(state)
    if found:
        said, lines = found
        state.blocks.append(Quote(inline(said), lines))
    return True


def image_credit(state: State) -> bool:
    """``<description>Image source, <credit>``, maybe repeated on the next lines."""
    text = state.text(state.pos)
    description, marker, credit = text.partition(IMAGE_SOURCE)
    if not marker:
        return False
    lines = [state.pos]
    while state.text(lines[-1] + 1) == text:
        lines.append(lines[-1] + 1)
    before, description = _glued_before(description.strip())
    credit, after = _glued_after(credit.strip())
    if before:
        state.blocks.append(Paragraph(inline(before), (state.pos,)))
    state.blocks.append(Figure(description or None, credit or None, None, tuple(lines), repeated=len(lines)))
    if after:
        state.blocks.append(Paragraph(inline(after), (state.pos,)))
    state.pos = lines[-1] + 1
    return True


# In the middle of a paragraph: "…said on Monday.Marco RubioImage source, ReutersThe US…".
_SENTENCE_GLUE = re.compile(r"[.!?\"”’)](?=[A-Z])")
_CREDIT_GLUE = re.compile(r"(?<=[a-z0-9)\]])(?=[A-Z][a-z])|(?<=[A-Z]{2})(?=[A-Z][a-z])")
PROSE_WORDS = 4  # glued prose around a picture is a sentence, not a name


def _glued_before(description: str) -> tuple[str, str]:
    """A sentence glued before a picture's description: (sentence, description)."""
    ends = list(_SENTENCE_GLUE.finditer(description))
    if not ends:
        return "", description
    cut = ends[-1].end()
    before, rest = description[:cut], description[cut:]
    if len(before.split()) < PROSE_WORDS or len(rest) > FIGURE_MAX:
        return "", description
    return before, rest


def _glued_after(credit: str) -> tuple[str, str]:
    """Prose glued after a picture's credit (``ReutersThe US secretary…``): (credit, prose)."""
    for glue in _CREDIT_GLUE.finditer(credit):
        rest = credit[glue.start() :]
        if len(rest.split()) >= PROSE_WORDS:
            return credit[: glue.start()], rest
    return credit, ""


def image_caption(state: State) -> bool:
    """``Image caption,`` + blank + text, or ``Image caption: text``: the caption of
    the figure just before it, else a figure of its own."""
    if not _is_marker(state.text(state.pos), IMAGE_CAPTION):
        return False
    found = _marked_text(state, IMAGE_CAPTION)
    if not found:
        return True
    caption, lines = found
    last = state.blocks[-1] if state.blocks else None
    if isinstance(last, Figure) and last.caption is None:
        state.blocks[-1] = replace(last, caption=caption, lines=last.lines + lines)
    else:
        state.blocks.append(Figure(None, None, caption, lines))
    return True


def lone_figure(state: State) -> bool:
    """A short line standing alone with no final punctuation: a picture's description.

    Alt text is a phrase, not a sentence ("Graphic showing Nord Stream 2"), that
    starts with a word and holds no links. A lone name under a header ("Liz
    Truss") is read as a head-shot, not a byline: every byline seen has a role
    on a second line, and the entry's text names the person anyway.
    """
    text = state.text(state.pos)
    before, after = state.pos - 1, state.pos + 1
    stands_alone = (not state.text(before) or before in state.marks) and (
        not state.text(after) or _is_marker(state.text(after), IMAGE_CAPTION)
    )
    if (
        len(text) > FIGURE_MAX
        or not text[0].isalnum()
        or text.endswith(SENTENCE_END)
        or _EXTERNAL.search(text)
        or not stands_alone
    ):
        return False
    state.blocks.append(Figure(text, None, None, (state.pos,)))
    state.pos += 1
    return True


BODY_RULES: tuple[Rule, ...] = (bullets, quote, image_caption, media_caption, image_credit, lone_figure, paragraph)


def read_blocks(state: State, rules: tuple[Rule, ...]) -> None:
    while (n := state.next_filled(state.pos)) is not None:
        state.pos = n
        next(rule for rule in rules if rule(state))  # the last rule, paragraph, always matches


def read_entry(state: State, year: int | None, position: int = 1) -> Draft:
    draft = entry_header(state, year, position)
    found_byline = byline(state)
    read_blocks(state, BODY_RULES)
    return replace(draft, byline=found_byline, blocks=tuple(state.blocks))


# --- the dump ------------------------------------------------------------------


def parse_dump(text: str, *, path: str, year: int | None = None, default_day: date | None = None) -> Dump:
    """Parse a dump. ``year`` (from the blog's YAML) completes dates written
    without one; ``default_day`` (``date:``) is the day of a dump with no
    timestamps at all, and of the newest entry of one whose stamps give only a time."""
    texts, warnings = normalise(text, path)
    starts = entry_starts(texts)
    if not starts:
        filled = [n for n in range(1, len(texts)) if texts[n].strip()]
        if not filled:
            raise BriefingsError(path, None, EMPTY)
        head_only = texts[filled[0]].strip() == SUMMARY
        raise BriefingsError(path, None, NO_ENTRIES + (HEAD_ONLY if head_only else ""))
    head = read_head(State(path, texts, 1, starts[0], warnings))
    drafts = [
        read_entry(State(path, texts, start, end, warnings), year, position)
        for position, (start, end) in enumerate(zip(starts, starts[1:] + [len(texts)]), 1)
    ]
    _flattened(drafts, texts, path, warnings)
    drafts = _clock_days(drafts, path, default_day)
    _check_order(drafts, path, warnings)
    days = _days(drafts, path, default_day)
    return Dump(path, head, tuple(d.entry(day) for d, day in zip(drafts, days)), tuple(warnings))


def _flattened(drafts: list[Draft], texts: tuple[str, ...], path: str, warnings: list[str]) -> None:
    """A page with neither numbers nor indentation: an entry without a stamp looks
    exactly like a paragraph, so its lines stay text of the entry above; one
    warning says so, instead of boundaries made up."""
    flat = [d for d in drafts if not d.numbered and not texts[d.line].lstrip().startswith(BULLET)]
    if flat and all(not d.numbered for d in drafts):
        warnings.append(
            f"{path}:{flat[0].line}: a flattened page (entries neither numbered nor indented): only the "
            f"{len(drafts)} entries with a '{PUBLISHED_AT}' stamp are recognised; an entry without one cannot be "
            "told from a paragraph, so its lines are kept as text of the entry above it"
        )


def _clock_days(drafts: list[Draft], path: str, default_day: date | None) -> list[Draft]:
    """Clock-only stamps (``published at 19:24 Greenwich Mean Time``) get their day:
    the newest entry's is ``date:``, and going down the page (back in time) a time
    later than the one above means midnight was crossed, so the day before."""
    if all(d.clock is None for d in drafts):
        return drafts
    day, above, resolved = default_day, None, []
    for draft in drafts:
        if draft.published:
            day, above = draft.published.date(), draft.published.time()
        elif draft.clock is not None:
            if day is None:
                yaml = PurePath(path).with_suffix(".yaml").name
                raise BriefingsError(
                    path,
                    draft.title_line,
                    f"time '{draft.clock:%H:%M}' has no date and the blog's YAML gives none: add the day of "
                    f"the newest entry to {yaml}, as in `date: 2024-11-05`",
                )
            if above is not None and draft.clock > above:
                day -= timedelta(days=1)
            above = draft.clock
            draft = replace(draft, published=datetime.combine(day, draft.clock, ZONES[draft.zone]), clock=None)
        resolved.append(draft)
    return resolved


def _check_order(drafts: list[Draft], path: str, warnings: list[str]) -> None:
    """Numbers count 1, 2, 3 … and times go back: otherwise part of the page may be missing."""
    for above, below in zip(drafts, drafts[1:]):
        if above.numbered and below.numbered and below.number != above.number + 1:
            warnings.append(f"{path}:{below.line}: entry {below.number} follows entry {above.number}")
        if above.published and below.published and below.published > above.published:
            warnings.append(f"{path}:{below.line}: entry {below.number} is newer than the one above it")


def _days(drafts: list[Draft], path: str, default_day: date | None) -> list[date]:
    """Each entry's local day; an untimestamped one takes the day of the nearest
    timestamped entry below it (older), else above it, else ``default_day``."""
    stamped = [(i, d.published.date()) for i, d in enumerate(drafts) if d.published]
    if not stamped and default_day is None:
        yaml = PurePath(path).with_suffix(".yaml").name
        raise BriefingsError(
            path,
            drafts[0].line,
            "no entry has a 'published at' timestamp, so the "
            f"day of the coverage is unknown: add `date: YYYY-MM-DD` to {yaml}",
        )
    # One pass each way (not a search per entry: a long page made that quadratic).
    below: list[date | None] = [None] * len(drafts)
    nearest = None
    for i in reversed(range(len(drafts))):
        if drafts[i].published:
            nearest = drafts[i].published.date()
        below[i] = nearest
    days, above = [], None
    for i, draft in enumerate(drafts):
        days.append(below[i] or above or default_day)
        if draft.published:
            above = draft.published.date()
    return days
