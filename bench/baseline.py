"""The benchmark's baseline: the same entries as ordinary Pelican articles.

One Markdown file per entry, as a person writing a plain Pelican blog would:
Pelican's own ``Key: value`` metadata (title, date, category = the blog, tags =
the labels, author = the byline, slug = the entry's id so no two collide) and
the entry's text as everyday Markdown. Built by plain Pelican (its default
python-markdown reader, the ``simple`` theme) with ``baseline.conf.py``.
"""

from __future__ import annotations

from pathlib import Path

from pelican.plugins.briefings.ingest.catalog import Archive, Post
from pelican.plugins.briefings.model import BulletList, Figure, Paragraph, Quote, VideoCaption

SETTINGS = Path(__file__).resolve().parent / "baseline.conf.py"


def block_markdown(block) -> str:
    if isinstance(block, Paragraph):
        return block.text.text
    if isinstance(block, Quote):
        return "> " + block.text.text
    if isinstance(block, BulletList):
        return "\n".join("- " + item.text for item in block.items)
    if isinstance(block, VideoCaption):
        return f"*{block.text}*"
    if isinstance(block, Figure):
        parts = [
            f"*{block.description}*" if block.description else "",
            f"(Image source: {block.credit})" if block.credit else "",
        ]
        lines = [" ".join(filter(None, parts))]
        if block.caption:
            lines.append(block.caption)
        return "\n\n".join(filter(None, lines))
    raise TypeError(f"unknown block {block!r}")


def article(post: Post) -> str:
    entry = post.entry
    when = entry.published or entry.day
    meta = [f"Title: {entry.title}", f"Date: {when.isoformat()}", f"Category: {post.blog.title}", f"Slug: {post.id}"]
    if entry.labels:
        meta.append("Tags: " + ", ".join(label.lower() for label in entry.labels))
    if entry.byline:
        meta.append(f"Author: {entry.byline.name}")
    body = []
    if entry.byline:
        body.append(f"**{entry.byline.name}**  \n{entry.byline.role or ''}".rstrip())
    body += [block_markdown(block) for block in entry.blocks]
    return "\n".join(meta) + "\n\n" + "\n\n".join(body) + "\n"


def write_articles(archive: Archive, folder: Path) -> int:
    """``folder/BLOG/ID.md`` for every post of ``archive``; returns how many."""
    for post in archive.posts:
        target = folder / post.blog.slug / f"{post.id}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(article(post), encoding="utf-8")
    return len(archive.posts)
