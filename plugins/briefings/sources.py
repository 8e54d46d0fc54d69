"""Reads a folder of dumps (``NAME.txt``) and their metadata (``NAME.yaml``).

A bad blog never stops the others: each problem becomes a ``Problem`` (file,
line, reason) and the blog is left out, while every good blog is returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from . import urls
from .errors import BriefingsError, Problem
from .model import Blog
from .parse import parse_dump

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


def decode(raw: bytes, path: str) -> tuple[str, list[Problem]]:
    """UTF-8, else Windows-1252 with a warning (old exports); binary is refused."""
    if b"\x00" in raw:
        raise BriefingsError(path, None, "this is a binary file, not a text dump: remove it or export the page as text")
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        text = raw.decode("cp1252", errors="replace")
        warning = Problem(
            path, line, "not UTF-8; read as Windows-1252 (check accented letters, then re-save as UTF-8)", "warning"
        )
        return text, [warning]


def read_metadata(path: Path) -> tuple[dict, list[Problem]]:
    shown = str(path)
    if not path.exists():
        return {}, [Problem(shown, None, f"no metadata file: add {path.name} with at least `title:`", "warning")]
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(error, "problem", None) or "not valid YAML"
        raise BriefingsError(shown, line, f"invalid YAML: {reason}") from None
    except UnicodeDecodeError:
        raise BriefingsError(shown, None, "metadata is not UTF-8 text: re-save it as UTF-8") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise BriefingsError(shown, 1, "metadata must be a mapping of `key: value` lines (title, year, source)")
    problems = [
        Problem(shown, None, f"unknown key '{key}' ignored; known keys: {', '.join(KNOWN_KEYS)}", "warning")
        for key in data
        if key not in KNOWN_KEYS
    ]
    return data, problems


def _year(value, path: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2999:
        return value
    raise BriefingsError(path, None, f"`year: {value}` is not a four-digit year")


def _day(value, path: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise BriefingsError(path, None, f"`date: {value}` is not a date like 2022-02-15") from None


def load_blog(txt: Path) -> tuple[Blog, list[Problem]]:
    meta_path = txt.with_suffix(".yaml")
    meta, problems = read_metadata(meta_path)
    text, decode_problems = decode(txt.read_bytes(), str(txt))
    problems += decode_problems
    dump = parse_dump(
        text,
        path=str(txt),
        year=_year(meta.get("year"), str(meta_path)),
        default_day=_day(meta.get("date"), str(meta_path)),
    )
    problems += [Problem(str(txt), None, warning, "warning") for warning in dump.warnings]
    title = str(meta.get("title") or txt.stem.replace("-", " ").replace("_", " "))
    blog = Blog(
        slug=urls.slugify(str(meta.get("slug") or txt.stem)),
        title=title,
        source=str(meta["source"]) if meta.get("source") else None,
        year=_year(meta.get("year"), str(meta_path)),
        path=str(txt),
        dump=dump,
        extra=tuple((key, str(meta[key])) for key in ("publisher", "description") if meta.get(key)),
    )
    return blog, problems


def load_blogs(folder: Path) -> Loaded:
    """Every ``*.txt`` in ``folder``, sorted by name, each with its YAML."""
    blogs: list[Blog] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return Loaded((), (Problem(str(folder), None, "no blogs folder: put NAME.txt dumps with NAME.yaml there"),))
    slugs: dict[str, str] = {}
    for txt in sorted(folder.glob("*.txt")):
        try:
            blog, blog_problems = load_blog(txt)
        except BriefingsError as error:
            problems.append(error.problem)
            continue
        except OSError as error:
            problems.append(Problem(str(txt), None, f"cannot be read: {error.strerror}"))
            continue
        problems.extend(blog_problems)
        if blog.slug in slugs:
            problems.append(
                Problem(str(txt), None, f"same blog slug '{blog.slug}' as {slugs[blog.slug]}: give one a `slug:` in its YAML")
            )
            continue
        slugs[blog.slug] = str(txt)
        blogs.append(blog)
    for orphan in sorted(folder.glob("*.yaml")):
        if not orphan.with_suffix(".txt").exists():
            problems.append(Problem(str(orphan), None, f"no dump beside it: expected {orphan.with_suffix('.txt').name}", "warning"))
    return Loaded(tuple(blogs), tuple(problems))
