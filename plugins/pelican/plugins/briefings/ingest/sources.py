"""Reads a folder of dumps (``NAME.txt``) and their metadata (``NAME.yaml``).

A bad blog never stops the others: each problem becomes a ``Problem`` (file,
line, reason) and the blog is left out, while every good blog is returned.
Dumps of the same blog are merged (see ``merge.py``).
"""

from __future__ import annotations

import codecs
import re
import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from .. import urls
from ..errors import BriefingsError, Problem
from ..model import Blog
from . import safe_yaml
from .json_input import load_json_blogs
from .merge import merge_blogs
from .parse import parse_dump, visible

KNOWN_KEYS = {
    "title": "the blog's title",
    "year": "the year of dates that have none (pages of the current year)",
    "date": "the day of entries that carry no timestamp at all",
    "source": "the live page's URL",
    "slug": "the blog's URL name (default: the file name)",
    "publisher": "who published the live page",
    "description": "a sentence about the blog",
}


@dataclass(frozen=True)
class Loaded:
    blogs: tuple[Blog, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Metadata:
    """The YAML beside a dump: its values, and the line each key stands on."""

    path: str
    values: MappingProxyType
    lines: MappingProxyType

    def get(self, key: str):
        return self.values.get(key)

    def line(self, key: str) -> int | None:
        return self.lines.get(key)


# Counted as parse.normalise counts them, so line numbers agree with the parser's.
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")


def decode(raw: bytes, path: str) -> tuple[str, list[Problem]]:
    """The text of a dump file: UTF-8 (a BOM is allowed) is the format.

    Also read, each with a warning that says to re-save as UTF-8: UTF-16 with a
    BOM (Windows' "Unicode" text), and any line that is not valid UTF-8, as
    Windows-1252 (which covers Latin-1's letters and adds the curly quotes older
    exports are full of). Deciding line by line keeps a UTF-8 file with one stray
    byte readable, where decoding all of it as Windows-1252 would garble every
    other accent. A NUL byte means a binary file, which is refused.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise BriefingsError(path, None, "starts like UTF-16 text but is not: re-save it as UTF-8") from None
        return text, [Problem(path, None, "UTF-16 text, read as such: re-save it as UTF-8", "warning")]
    if b"\x00" in raw:
        raise BriefingsError(
            path,
            None,
            "binary data (a NUL byte), not a text dump: remove the file, or save the live page as plain text",
        )
    raw = raw.removeprefix(codecs.BOM_UTF8)
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    texts, legacy = [], []  # legacy: (line number, first byte that is not UTF-8)
    for number, part in enumerate(_LINE_BREAK.split(raw), 1):
        try:
            texts.append(part.decode("utf-8"))
        except UnicodeDecodeError as error:
            texts.append(part.decode("cp1252", errors="replace"))
            legacy.append((number, part[error.start]))
    line, byte = legacy[0]
    shown = bytes([byte]).decode("cp1252", errors="replace")
    others = f" and {len(legacy) - 1} more line{'s' if len(legacy) > 2 else ''}" if len(legacy) > 1 else ""
    warning = Problem(
        path,
        line,
        f"not UTF-8 (byte 0x{byte:02X}){others}: read as Windows-1252, so 0x{byte:02X} "
        f"is '{shown}'; check the accents, then re-save the file as UTF-8",
        "warning",
    )
    return "\n".join(texts), [warning]


def check_input(path: Path, content: Path | None = None) -> None:
    """Only regular files inside the content folder are read: a FIFO would hang
    the build, a device never end, and a symlink to elsewhere would publish a file
    the user never meant to (``/etc/passwd``)."""
    if content is not None and path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(content.resolve()):
            raise BriefingsError(
                str(path), None, f"a link to {target}, outside the content folder: not read; copy the file in instead"
            )
    if not stat.S_ISREG(path.stat().st_mode):
        raise BriefingsError(str(path), None, "not a regular file (a folder, a pipe or a device): not read; remove it")


def read_metadata(path: Path, content: Path | None = None) -> tuple[Metadata, list[Problem]]:
    shown = str(path)
    empty = Metadata(shown, MappingProxyType({}), MappingProxyType({}))
    if not path.exists():
        return empty, [Problem(shown, None, f"no metadata file: add {path.name} with at least `title:`", "warning")]
    check_input(path, content)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BriefingsError(
            shown, None, f"metadata is not UTF-8 text (byte {error.start}): re-save it as UTF-8"
        ) from None
    data, node = safe_yaml.load(text, shown)
    if data is None:
        return empty, []
    if not isinstance(data, dict):
        raise BriefingsError(shown, 1, "metadata must be a mapping of `key: value` lines (title, year, source)")
    lines: dict = {}
    problems = []
    for key_node, _ in node.value:
        key, line = key_node.value, key_node.start_mark.line + 1
        if key in lines:
            problems.append(
                Problem(
                    shown,
                    line,
                    f"key '{key}' given twice (also line {lines[key]}): the last one is used; remove the other",
                    "warning",
                )
            )
        elif key not in KNOWN_KEYS:
            problems.append(
                Problem(shown, line, f"unknown key '{key}' ignored; known keys: {', '.join(KNOWN_KEYS)}", "warning")
            )
        lines[key] = line
    return Metadata(shown, MappingProxyType(dict(data)), MappingProxyType(lines)), problems


def _text(meta: Metadata, key: str) -> str | None:
    """A one-line text value: white space collapsed, control characters made visible."""
    value = meta.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, (list, dict)) or not str(value).strip():
        raise BriefingsError(meta.path, meta.line(key), f"`{key}:` must be a line of text ({KNOWN_KEYS[key]})")
    return visible(" ".join(str(value).split()))


def _year(meta: Metadata) -> int | None:
    value = meta.get("year")
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2999:
        return value
    raise BriefingsError(
        meta.path, meta.line("year"), f"`year: {value}` is not a four-digit year: write it like `year: 2025`"
    )


def _day(meta: Metadata) -> date | None:
    value = meta.get("date")
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise BriefingsError(
            meta.path, meta.line("date"), f"`date: {value}` is not a date: write it like 2022-02-15"
        ) from None


def _source(meta: Metadata) -> tuple[str | None, list[Problem]]:
    """The page's URL, linked from the blog page: only http(s), so that no
    ``javascript:`` or ``data:`` URL becomes a link."""
    source = _text(meta, "source")
    if source and urlsplit(source).scheme.lower() not in ("http", "https"):
        return None, [
            Problem(
                meta.path,
                meta.line("source"),
                f"`source: {source}` is not an http(s) URL, so it is not linked: write the page's https://… address",
                "warning",
            )
        ]
    return source, []


def load_blog(txt: Path, content: Path | None = None, parse=parse_dump) -> tuple[Blog, list[Problem]]:
    """``parse``: ``parse_dump`` or a function that gives what it would (a cache of it)."""
    check_input(txt, content)
    meta_path = txt.with_suffix(".yaml")
    meta, problems = read_metadata(meta_path, content)
    text, decode_problems = decode(txt.read_bytes(), str(txt))
    problems += decode_problems
    year = _year(meta)
    dump = parse(text, path=str(txt), year=year, default_day=_day(meta))
    problems += [_warning(warning, str(txt)) for warning in dump.warnings]
    source, source_problems = _source(meta)
    problems += source_problems
    blog = Blog(
        slug=urls.slugify(_text(meta, "slug") or txt.stem),
        title=_text(meta, "title") or visible(txt.stem.replace("-", " ").replace("_", " ")),
        source=source,
        year=year,
        path=str(txt),
        dump=dump,
        extra=tuple((key, value) for key in ("publisher", "description") if (value := _text(meta, key))),
    )
    return blog, problems


def _warning(text: str, path: str) -> Problem:
    """A parser warning (``PATH:LINE: reason``) as a Problem with its line."""
    found = re.fullmatch(re.escape(path) + r":(\d+): (.*)", text, re.DOTALL)
    if found:
        return Problem(path, int(found.group(1)), found.group(2), "warning")
    return Problem(path, None, text, "warning")


def load_json(path: Path, content: Path | None = None) -> tuple[list[Blog], list[Problem]]:
    """A ``NAME.json`` (``json_input.py``), with ``NAME.yaml`` beside it if there is one."""
    check_input(path, content)
    meta_path = path.with_suffix(".yaml")
    meta, problems = read_metadata(meta_path, content) if meta_path.exists() else (None, [])
    blogs, json_problems = load_json_blogs(path, meta)
    return blogs, problems + json_problems


def load_blogs(folder: Path, content: Path | None = None, parse=parse_dump) -> Loaded:
    """Every ``*.txt`` and ``*.json`` in ``folder``, sorted by name, each with its
    YAML; files are read only if they are regular and inside ``content`` (by
    default the folder's parent, the content folder). ``parse``: see load_blog."""
    blogs: list[Blog] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return Loaded((), (Problem(str(folder), None, "no blogs folder: put NAME.txt dumps with NAME.yaml there"),))
    content = folder.parent if content is None else content
    for other in sorted(folder.iterdir()):
        if other.suffix.lower() in (".txt", ".yaml", ".json") and other.suffix not in (".txt", ".yaml", ".json"):
            problems.append(
                Problem(
                    str(other),
                    None,
                    f"ignored: dumps end in .txt (or .json) and their metadata in .yaml, in lower case; "
                    f"rename it {other.stem}{other.suffix.lower()}",
                    "warning",
                )
            )
    for txt in sorted(folder.glob("*.txt")):
        try:
            blog, blog_problems = load_blog(txt, content, parse)
        except BriefingsError as error:
            problems.append(error.problem)
            continue
        except OSError as error:
            problems.append(Problem(str(txt), None, f"cannot be read: {error.strerror}: check the file's permissions"))
            continue
        problems.extend(blog_problems)
        blogs.append(blog)
    for json_file in sorted(folder.glob("*.json")):
        try:
            json_blogs, json_problems = load_json(json_file, content)
        except BriefingsError as error:
            problems.append(error.problem)
            continue
        except OSError as error:
            problems.append(
                Problem(str(json_file), None, f"cannot be read: {error.strerror}: check the file's permissions")
            )
            continue
        problems.extend(json_problems)
        blogs.extend(json_blogs)
    merged, merge_problems = merge_blogs(blogs)
    problems.extend(merge_problems)
    for orphan in sorted(folder.glob("*.yaml")):
        if not orphan.with_suffix(".txt").exists() and not orphan.with_suffix(".json").exists():
            problems.append(
                Problem(str(orphan), None, f"no dump beside it: expected {orphan.with_suffix('.txt').name}", "warning")
            )
    return Loaded(merged, tuple(problems))
