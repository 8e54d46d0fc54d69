"""The one YAML loader of every input: a blog's YAML, a note's front matter, the gazetteer.

Inputs are a few ``key: value`` lines, so only plain YAML is read: no aliases or
anchors (a "billion laughs" of nested aliases takes minutes and gigabytes), no
tags (``!!set`` gives a value that changes with PYTHONHASHSEED, ``!!binary``
bytes), and nothing nested deeper than ``MAX_DEPTH`` (PyYAML's composer recurses,
so 5,000 levels end in a RecursionError). Each is refused from the event stream,
before anything is built, so a bad file costs no more than reading it. Every text
value passes through the visible-character rule of dumps (``parse.visible``).
Every failure is a ``BriefingsError`` naming the file and the line.
"""

from __future__ import annotations

import yaml

from ..errors import BriefingsError
from .parse import visible

MAX_DEPTH = 8  # a gazetteer record's aliases are three deep; nothing needs more


def compose(text: str, path: str, *, first_line: int = 1, what: str = "invalid YAML") -> yaml.Node | None:
    """The YAML's node tree, every scalar made visible. ``first_line`` is the
    file's line the text starts on (a note's front matter starts on line 2)."""
    offset = first_line - 1
    try:
        _check_events(text, path, offset)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except BriefingsError:
        raise
    except yaml.MarkedYAMLError as error:
        mark, context = error.problem_mark, error.context_mark
        where = (
            f"{error.context} (line {context.line + 1 + offset}), "
            if error.context and context and mark and context.line != mark.line
            else ""
        )
        raise BriefingsError(
            path,
            mark.line + 1 + offset if mark else None,
            f"{what}: {where}{error.problem or error.context}: fix the file "
            "(`key: value` lines; quote values holding ': ' or '#')",
        ) from None
    except yaml.YAMLError as error:  # the reader's own errors: unprintable characters
        position = getattr(error, "position", None)
        line = text[:position].count("\n") + 1 + offset if position is not None else None
        character = getattr(error, "character", None)
        code = ord(character) if isinstance(character, str) else character
        reason = f"character U+{code:04X} is not allowed" if isinstance(code, int) else "unreadable text"
        raise BriefingsError(
            path, line, f'{what}: {reason}: remove it, or write it as an escape in double quotes ("\\u0007")'
        ) from None
    _make_visible(node)
    return node


def load(text: str, path: str, *, first_line: int = 1, what: str = "invalid YAML"):
    """``(data, node)``: the YAML's value (dicts, lists, str, int, float, bool,
    dates, None) and its node tree, for the lines of keys."""
    node = compose(text, path, first_line=first_line, what=what)
    if node is None:
        return None, None
    try:
        return yaml.constructor.SafeConstructor().construct_document(node), node
    except ValueError as error:  # a value YAML recognises but cannot build, like 2021-02-30
        line = _unbuildable_line(node)
        raise BriefingsError(
            path, line + first_line - 1 if line else None, f"invalid YAML value: {error}: correct it, or quote it"
        ) from None


def _check_events(text: str, path: str, offset: int) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1 + offset if event.start_mark else None
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise BriefingsError(
                path, line, "YAML anchors and aliases (&name, *name) are not allowed: write each value out"
            )
        tag = getattr(event, "tag", None)
        if tag is not None and not (isinstance(event, yaml.ScalarEvent) and tag == "!"):
            tag = tag.replace("tag:yaml.org,2002:", "!!")
            raise BriefingsError(
                path, line, f"YAML tags like `{tag}` are not allowed: write the value as plain text, quoted if need be"
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise BriefingsError(
                    path, line, f"YAML nested more than {MAX_DEPTH} levels deep: write `key: value` lines"
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _make_visible(node) -> None:
    """Iteratively (the depth is bounded, but a list can be long)."""
    pending = [node] if node is not None else []
    while pending:
        current = pending.pop()
        if isinstance(current, yaml.ScalarNode):
            current.value = visible(current.value, lines=True)
        elif isinstance(current, yaml.SequenceNode):
            pending.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                pending.extend((key, value))


def _unbuildable_line(node) -> int | None:
    """The line of the first value in a YAML mapping that cannot be built."""
    for _, value in node.value if isinstance(node, yaml.MappingNode) else ():
        try:
            yaml.constructor.SafeConstructor().construct_object(value, deep=True)
        except ValueError:
            return value.start_mark.line + 1
    return None
