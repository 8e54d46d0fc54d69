"""Plain text of the model: for summaries, JSON, search and similarity."""

from __future__ import annotations

import re

from .model import BulletList, Entry, Figure, Paragraph, Quote, VideoCaption

SUMMARY_LENGTH = 240


def block_lines(block) -> list[str]:
    """The readable text of a block, one string per paragraph or item."""
    if isinstance(block, (Paragraph, Quote)):
        return [block.text.text]
    if isinstance(block, BulletList):
        return [item.text for item in block.items]
    if isinstance(block, Figure):
        return [part for part in (block.description, block.caption) if part]
    if isinstance(block, VideoCaption):
        return [block.text]
    raise TypeError(f"unknown block {block!r}")


def entry_plain_text(entry: Entry) -> str:
    parts = []
    if entry.byline:
        parts.append(" ".join(filter(None, (entry.byline.name, entry.byline.role))))
    for block in entry.blocks:
        parts.extend(block_lines(block))
    return "\n\n".join(parts)


def entry_summary(entry: Entry, length: int = SUMMARY_LENGTH) -> str:
    """The entry's first paragraph (or bullet, or quote), cut at a sentence or word."""
    for block in entry.blocks:
        if isinstance(block, (Paragraph, Quote, BulletList)):
            return shorten(block_lines(block)[0], length)
    return ""


def shorten(text: str, length: int = SUMMARY_LENGTH) -> str:
    if len(text) <= length:
        return text
    cut = text[:length]
    sentence_end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    if sentence_end > length // 2:
        return cut[: sentence_end + 1]
    return re.sub(r"\s+\S*$", "", cut) + "\u2026"


def entry_body(entry: Entry) -> tuple[str, list[dict], list[int]]:
    """The entry's text as the JSON API gives it (docs/output.md): paragraphs
    separated by a blank line, a bullet list one paragraph of ``• item`` lines; its
    pictures, each with ``at``, the number of paragraphs before it; and which
    paragraphs (counting from 0) are quotes. The byline is a field of its own.
    ``ingest/json_input.py`` reads the same shape back."""
    paragraphs: list[str] = []
    pictures: list[dict] = []
    quotes: list[int] = []
    for block in entry.blocks:
        if isinstance(block, Quote):
            quotes.append(len(paragraphs))
        if isinstance(block, Figure):
            pictures.append(
                {
                    "at": len(paragraphs),
                    "description": block.description,
                    "credit": block.credit,
                    "caption": block.caption,
                }
            )
        elif isinstance(block, BulletList):
            paragraphs.append("\n".join(f"• {item.text}" for item in block.items))
        else:
            paragraphs.extend(block_lines(block))
    return "\n\n".join(paragraphs), pictures, quotes
