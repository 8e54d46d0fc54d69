"""The briefing model: what a live-blog dump *is*, independent of how it is shown.

Everything here is a frozen dataclass. Every block remembers the 1-based source
lines it was made from (``lines``), which is how the "nothing lost" promise is
checked: the union of all ``lines`` of a parsed dump is every non-blank line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

EXTERNAL_MARKER = ", external"


@dataclass(frozen=True)
class Inline:
    """A run of dump text, verbatim.

    ``external`` holds the offsets in ``text`` where a flattened-link marker
    (``", external"``) starts: the words just before it were a link that left the
    source site. The marker itself stays in ``text`` so nothing is lost.
    """

    text: str
    external: tuple[int, ...] = ()


@dataclass(frozen=True)
class Paragraph:
    text: Inline
    lines: tuple[int, ...]


@dataclass(frozen=True)
class BulletList:
    items: tuple[Inline, ...]
    lines: tuple[int, ...]


@dataclass(frozen=True)
class Quote:
    """A ``Quote Message`` marker and the paragraph it introduces."""

    text: Inline
    lines: tuple[int, ...]


@dataclass(frozen=True)
class Figure:
    """An image or graphic, known only by its words: the pictures are not in dumps.

    ``description`` is the alt text the page had, ``credit`` what followed
    ``Image source,``, ``caption`` the ``Image caption,`` text. Any may be None
    (a caption can stand without a described image). ``repeated`` counts how many
    times the same image line stood in a row in the dump.
    """

    description: str | None
    credit: str | None
    caption: str | None
    lines: tuple[int, ...]
    repeated: int = 1


@dataclass(frozen=True)
class VideoCaption:
    """A ``Media caption,`` marker and its text (``Watch: …``)."""

    text: str
    lines: tuple[int, ...]


Block = Paragraph | BulletList | Quote | Figure | VideoCaption


@dataclass(frozen=True)
class Byline:
    name: str
    role: str | None
    lines: tuple[int, ...]


@dataclass(frozen=True)
class Head:
    """The page head: summary bullets, a video caption, or other lines kept as text."""

    blocks: tuple[Block, ...]
    lines: tuple[int, ...]


@dataclass(frozen=True)
class Entry:
    """One timestamped post of a live page.

    ``published`` is local to the page and carries its offset (GMT +00:00 or
    BST +01:00); ``zone`` is the zone's name as the dump spelled it. Entries of
    older pages have no timestamp: then ``published`` and ``zone`` are None and
    ``day`` comes from the neighbouring entries.
    """

    number: int
    title: str
    labels: tuple[str, ...]
    published: datetime | None
    zone: str | None
    day: date
    byline: Byline | None
    blocks: tuple[Block, ...]
    line: int
    lines: tuple[int, ...]  # the header's own lines: number/title, labels

    @property
    def utc(self) -> datetime | None:
        return self.published.astimezone(UTC) if self.published else None

    @property
    def is_breaking(self) -> bool:
        return any(label.lower() == "breaking" for label in self.labels)

    @property
    def is_analysis(self) -> bool:
        return any(label.lower() == "analysis" for label in self.labels)


@dataclass(frozen=True)
class Dump:
    """What the parser makes of one dump file."""

    path: str
    head: Head
    entries: tuple[Entry, ...]  # page order: newest first
    warnings: tuple[str, ...] = ()

    def covered_lines(self) -> set[int]:
        covered = set(self.head.lines)
        for block in self.head.blocks:
            covered.update(block.lines)
        for entry in self.entries:
            covered.update(entry.lines)
            if entry.byline:
                covered.update(entry.byline.lines)
            for block in entry.blocks:
                covered.update(block.lines)
        return covered


@dataclass(frozen=True)
class Blog:
    """A dump with its metadata (the YAML beside it)."""

    slug: str
    title: str
    source: str | None
    year: int | None
    path: str
    dump: Dump
    extra: tuple[tuple[str, str], ...] = field(default=())

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self.dump.entries

    @property
    def head(self) -> Head:
        return self.dump.head
