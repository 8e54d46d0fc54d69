"""Editor's notes: ``content/annotations/*.md``, each annotating one entry or one day.

    ---
    entry: 2022-02-15-0901-russia-announces-withdrawal-of-some-troops-from-border
    author: The editors          # optional
    ---
    Nine days later, on 24 February 2022, Russia invaded Ukraine.

A note names an entry by its permanent id (``entry:``) or a day (``day: 2022-02-15``,
with ``blog: NAME`` when several blogs cover that day). The body is Markdown,
rendered by the site's own reader with raw HTML off. A note that names nothing
that exists is one ``Problem`` naming the file, and is left out.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import BriefingsError, Problem
from ..ingest import safe_yaml
from ..ingest.catalog import Archive
from ..ingest.parse import visible
from ..ingest.sources import check_input

KNOWN_KEYS = ("entry", "day", "blog", "author")
FRONT_MATTER = "---"


@dataclass(frozen=True)
class Note:
    path: str
    entry: str | None  # the annotated entry's id, or None for a day note
    day: date | None
    blog: str | None  # the day's blog (for a day note)
    author: str | None
    body: str  # Markdown, as written

    @property
    def name(self) -> str:
        return Path(self.path).stem


def load_notes(folder: Path, archive: Archive) -> tuple[tuple[Note, ...], list[Problem]]:
    """Every ``*.md`` in ``folder`` (sorted by name) that annotates something that exists."""
    if not folder.is_dir():
        return (), []
    notes, problems = [], []
    ids = {post.id for post in archive.posts}
    days = {}
    for day in archive.days:
        days.setdefault(day.date, []).append(day.blog.slug)
    for path in sorted(folder.glob("*.md")):
        note, note_problems = read_note(path, ids, days, content=folder.parent)
        problems += note_problems
        if note:
            notes.append(note)
    return tuple(notes), problems


def _front_matter(text: str, shown: str) -> tuple[dict, str, int]:
    """(metadata, body, line where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FRONT_MATTER:
        raise _NoteError(shown, 1, "a note starts with front matter: `---`, `entry: ID` (or `day: YYYY-MM-DD`), `---`")
    try:
        end = next(n for n in range(1, len(lines)) if lines[n].strip() == FRONT_MATTER)
    except StopIteration:
        raise _NoteError(shown, 1, "front matter is not closed: add a line `---` after it") from None
    try:
        data, _ = safe_yaml.load("\n".join(lines[1:end]), shown, first_line=2, what="invalid YAML in front matter")
    except BriefingsError as error:
        raise _NoteError(shown, error.line, error.reason) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise _NoteError(shown, 2, "front matter must be `key: value` lines (entry, day, blog, author)")
    return data, "\n".join(lines[end + 1 :]), end + 2


class _NoteError(Exception):
    def __init__(self, path: str, line: int | None, reason: str):
        super().__init__(reason)
        self.problem = Problem(path, line, reason)


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith(f"{key}:"):
            return number
    return None


def read_note(
    path: Path, ids: set[str], days: dict[date, list[str]], content: Path | None = None
) -> tuple[Note | None, list[Problem]]:
    shown = str(path)
    try:
        check_input(path, content)
        text = path.read_text(encoding="utf-8-sig")
        data, body, _ = _front_matter(text.replace("\r\n", "\n"), shown)
        problems = [
            Problem(
                shown,
                _line_of(text, str(key)),
                f"unknown key '{key}' ignored; known keys: {', '.join(KNOWN_KEYS)}",
                "warning",
            )
            for key in data
            if key not in KNOWN_KEYS
        ]
        note = _note(shown, text, data, body, ids, days)
    except (_NoteError, BriefingsError) as error:
        return None, [error.problem]
    except UnicodeDecodeError:
        return None, [Problem(shown, None, "not UTF-8 text: re-save it as UTF-8")]
    except OSError as error:
        return None, [Problem(shown, None, f"cannot be read: {error.strerror}")]
    return note, problems


def _note(shown: str, text: str, data: dict, body: str, ids: set[str], days: dict[date, list[str]]) -> Note:
    for key in KNOWN_KEYS:
        if isinstance(data.get(key), (list, dict)):
            raise _NoteError(
                shown, _line_of(text, key), f"`{key}:` must be one value on its line, not a list or mapping"
            )
    entry, day, blog = data.get("entry"), data.get("day"), data.get("blog")
    author = " ".join(str(data["author"]).split()) if data.get("author") else None
    body = visible(body, lines=True)
    if not body.strip():
        raise _NoteError(shown, None, "the note is empty: write its text below the front matter")
    if (entry is None) == (day is None):
        raise _NoteError(shown, 1, "name exactly one thing to annotate: `entry: ID` or `day: YYYY-MM-DD`")
    if entry is not None:
        entry = str(entry).strip()
        if entry not in ids:
            close = difflib.get_close_matches(entry, sorted(ids), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else "; ids are listed in api/entries.json"
            raise _NoteError(shown, _line_of(text, "entry"), f"annotates entry '{entry}', which does not exist{hint}")
        return Note(shown, entry, None, None, author, body.strip("\n"))
    if not isinstance(day, date):
        try:
            day = date.fromisoformat(str(day).strip())
        except ValueError:
            raise _NoteError(shown, _line_of(text, "day"), f"`day: {day}` is not a date like 2022-02-15") from None
    blogs = days.get(day, [])
    if not blogs:
        raise _NoteError(shown, _line_of(text, "day"), f"annotates day {day}, which no blog covers")
    if blog is None and len(blogs) > 1:
        raise _NoteError(
            shown, _line_of(text, "day"), f"several blogs cover {day} ({', '.join(blogs)}): add `blog: NAME`"
        )
    blog = str(blog).strip() if blog is not None else blogs[0]
    if blog not in blogs:
        raise _NoteError(shown, _line_of(text, "blog"), f"blog '{blog}' has no coverage on {day}")
    return Note(shown, None, day, blog, author, body.strip("\n"))
