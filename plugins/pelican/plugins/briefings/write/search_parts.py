"""Publish: a lunr index cut into parts by term (search.py builds the index).

A part holds a run of terms, in UTF-16 order (JavaScript's ``<``), with everything
lunr.js reads of a term when it scores a query:

    term: [_index, field, n, gap, gap, …, weight, weight, …, field, n, …]

``_index`` is the term's place in lunr's vectors; then, for each field it occurs
in (a number: its place in the manifest's ``fields``), how many entries, the gaps
between their refs (the first counts from 0), and the term's weight in each of
those entries' field vectors, times 1000 (lunr rounds weights to 3 decimals, so
this is exact). That is the term's posting list and its elements of the field
vectors; a query's score reads nothing else (lunr.Vector.similarity divides by
the query vector's magnitude, not the document's), so an index of the parts a
query needs scores it as the whole index would.

A part is cut once it passes ``part_bytes`` of JSON; the page finds the part of
a term by the parts' first terms (the manifest's ``parts``).
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    first: str  # its first term
    terms: dict[str, list[int]]

    @property
    def comment(self) -> str:
        return f"search terms, {len(self.terms)} of them"


def gaps(refs: list[int]) -> list[int]:
    """Sorted numbers as the first, then the differences (small numbers, short JSON)."""
    return [ref - before for ref, before in zip(refs, [0] + refs[:-1])]


def postings(builder, fields: list[str]) -> tuple[dict[str, int], list[dict[int, tuple[array, array]]]]:
    """(term -> _index, and by _index: field number -> (refs, weights × 1000)),
    read from a filled lunr.py Builder's field vectors, which are freed as they
    are read: at 50,000 entries they are most of the build's memory."""
    numbers = {term: posting["_index"] for term, posting in builder.inverted_index.items()}
    builder.inverted_index = {}
    builder.field_term_frequencies = {}
    field_number = {field: number for number, field in enumerate(fields)}
    found: list[dict[int, tuple[array, array]]] = [{} for _ in range(len(numbers))]
    vectors = builder.field_vectors
    for field_ref in list(vectors):  # documents in ref order, so each list comes sorted
        elements = vectors.pop(field_ref).elements
        field, _, ref = field_ref.partition("/")
        number, ref = field_number[field], int(ref)
        for at in range(0, len(elements), 2):
            lists = found[elements[at]].get(number)
            if lists is None:
                lists = found[elements[at]][number] = (array("l"), array("l"))
            lists[0].append(ref)
            lists[1].append(round(elements[at + 1] * 1000))
    return numbers, found


def encode(index: int, by_field: dict[int, tuple[array, array]]) -> list[int]:
    encoded = [index]
    for field in sorted(by_field):
        refs, weights = by_field[field]
        encoded += [field, len(refs), *gaps(list(refs)), *weights]
    return encoded


def term_parts(builder, fields: list[str], part_bytes: int, order: Callable[[str], bytes]) -> list[Part]:
    """The builder's terms in parts of about ``part_bytes`` each, in ``order``."""
    numbers, found = postings(builder, fields)
    parts: list[Part] = []
    terms: dict[str, list[int]] = {}
    size = 0
    for term in sorted(numbers, key=order):
        if terms and size >= part_bytes:
            parts.append(Part(next(iter(terms)), terms))
            terms, size = {}, 0
        index = numbers[term]
        encoded = terms[term] = encode(index, found[index])
        found[index] = {}
        size += len(json.dumps([term, encoded], ensure_ascii=False, separators=(",", ":")))
    if terms:
        parts.append(Part(next(iter(terms)), terms))
    return parts
