"""A thread drawn as an inline SVG: the periods side by side, entries as marks, links as lines.

The Markdown writer describes the picture as a fenced block (info ``FENCE``)
holding one line of JSON, so that the documents stay Markdown with raw HTML off;
the reader (``render.py``) turns that block into the ``<svg>`` here. Every text
in it is escaped. It needs no script and no stylesheet (colours are attributes,
so it prints), scales to the width of a phone (``viewBox``, ``width="100%"``),
and is hidden from screen readers: the list beside it, with the same numbers,
is its text equivalent. Its marks link to the entries but take no keyboard
focus, for the same reason.
"""

from __future__ import annotations

import json
import re
from html import escape

FENCE = "briefings-thread"
WIDTH = 320  # one unit per CSS pixel on a narrow phone
TOP = 44  # below the periods' names
ROW = 30  # between two marks of one period
RADIUS = 10
COLOURS = ("#1d4f91", "#a3431c", "#2e6b34", "#6b3a8c")  # dark enough for white numbers, and in print
LINE = "#8a8a99"
_SCHEME = re.compile(r"^\s*[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # only relative links, never javascript:


def description(columns, lines, label: str) -> str:
    """The block the Markdown writer emits: ``columns`` is a list of
    ``(period label, [(mark number or "", entry title, href), ...])`` and
    ``lines`` a list of ``((column, row), (column, row))`` pairs to join."""
    data = {
        "label": label,
        "columns": [{"label": name, "marks": [list(mark) for mark in marks]} for name, marks in columns],
        "lines": [[list(a), list(b)] for a, b in lines],
    }
    return f"~~~~ {FENCE}\n{json.dumps(data, ensure_ascii=False, sort_keys=True)}\n~~~~"


_BLOCK = re.compile(rf"^~~~~ {FENCE}\n[^\n]*\n~~~~\n?", re.MULTILINE)


def without_pictures(markdown: str) -> str:
    """The document without its pictures: for email, where inline SVG is not
    shown and relative links would not work; the numbered lists stay."""
    return _BLOCK.sub("", markdown)


def _centre(column: int, row: int, count: int) -> tuple[float, float]:
    width = WIDTH / count
    return round(width * column + width / 2, 1), TOP + ROW * row


def render(content: str) -> str:
    """The ``<figure>`` with the ``<svg>`` for a block written by ``description``;
    nothing for a block that is not one (an editor typing the fence by hand)."""
    try:
        data = json.loads(content)
        columns = [(str(column["label"]), [list(mark) for mark in column["marks"]]) for column in data["columns"]]
        lines = [((int(a[0]), int(a[1])), (int(b[0]), int(b[1]))) for a, b in data["lines"]]
        label = str(data["label"])
    except (ValueError, KeyError, TypeError, IndexError):
        return ""
    count = max(len(columns), 1)
    rows = max((len(marks) for _, marks in columns), default=0)
    height = TOP + ROW * max(rows - 1, 0) + RADIUS + 12
    parts = [
        f'<figure class="thread-map"><svg class="thread-map-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" style="max-width:{WIDTH * 2}px" aria-hidden="true" focusable="false" '
        'font-family="Arial, Helvetica, sans-serif">'
    ]
    for n, (name, _) in enumerate(columns):
        x, _ = _centre(n, 0, count)
        parts.append(
            f'<text x="{x}" y="18" text-anchor="middle" font-size="13" font-weight="bold" '
            f'fill="#222">{escape(name)}</text>'
        )
        parts.append(f'<line x1="{x}" y1="26" x2="{x}" y2="{height - 6}" stroke="#d0d0d8" stroke-width="2" />')
    for (ca, ra), (cb, rb) in lines:
        if ca >= count or cb >= count or ra >= len(columns[ca][1]) or rb >= len(columns[cb][1]):
            continue
        (xa, ya), (xb, yb) = _centre(ca, ra, count), _centre(cb, rb, count)
        middle = round((xa + xb) / 2, 1)
        parts.append(
            f'<path d="M{xa},{ya} C{middle},{ya} {middle},{yb} {xb},{yb}" fill="none" '
            f'stroke="{LINE}" stroke-width="1.5" />'
        )
    for n, (_, marks) in enumerate(columns):
        colour = COLOURS[n % len(COLOURS)]
        for row, (number, title, href) in enumerate(marks):
            x, y = _centre(n, row, count)
            mark = (
                f'<circle cx="{x}" cy="{y}" r="{RADIUS}" fill="{colour}" />'
                f'<text x="{x}" y="{y + 4}" text-anchor="middle" font-size="11" fill="#fff">'
                f"{escape(str(number))}</text>"
            )
            if not number:
                mark = f'<circle cx="{x}" cy="{y}" r="{RADIUS - 3}" fill="#fff" stroke="{colour}" stroke-width="3" />'
            if _SCHEME.match(str(href)):
                parts.append(f"<g><title>{escape(str(title))}</title>{mark}</g>")
            else:
                parts.append(
                    f'<a href="{escape(str(href))}" tabindex="-1"><title>{escape(str(title))}</title>{mark}</a>'
                )
    parts.append(f'</svg><figcaption class="thread-map-caption">{escape(label)}</figcaption></figure>\n')
    return "".join(parts)
