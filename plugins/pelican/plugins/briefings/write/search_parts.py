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

The numbers are lunr.py's, but not made by its Builder: ``term_postings`` does
what ``Builder.add`` and ``Builder._create_field_vectors`` do, with the same
tokenizer, pipeline and arithmetic (BM25, lunr.py's k1 and b, rounded to 3
decimals), into two arrays per term and field. The Builder keeps a dictionary
for every posting and a lunr.Vector for every field of every entry, and
tokenizes a character at a time: 8 s and 230 MiB at 10,000 entries, 1 GiB at
50,000. ``postings`` reads the same numbers from a lunr.py Builder, and the
tests check that the two agree.
"""

from __future__ import annotations

import json
import math
import re
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from lunr.token import Token
from lunr.tokenizer import SEPARATOR_CHARS


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


Postings = tuple[dict[str, int], list[dict[int, tuple[array, array]]]]

# lunr.py's Tokenizer splits the lowercased text at each of these characters.
_SEPARATORS = re.compile("[" + re.escape(SEPARATOR_CHARS) + "]")


def term_postings(builder, documents: Iterable[dict]) -> Postings:
    """(term -> _index, and by _index: field number -> (refs, weights × 1000))
    for ``documents`` (refs "0", "1", … in order), exactly as ``postings`` reads
    them from ``builder`` (a fresh lunr.py Builder, for its fields, boosts,
    pipeline, k1 and b) once the documents are added to it.

    As ``Builder.add``: each field's text lowercased and split at lunr's
    separators, each token through the pipeline (its functions read the token
    alone, so each different token is run once), a term's _index its place in
    the order terms first appear. As ``Builder._create_field_vectors``: a
    term's weight in a field is BM25 with lunr.py's idf (the entries, counted
    once per field they have the term in) and its expression, term for term,
    times the field's boost, rounded to 3 decimals."""
    names = list(builder._fields)
    boosts = [builder._fields[name].boost for name in names]
    pipeline, analysed = builder.pipeline, {}
    numbers: dict[str, int] = {}
    having: list[int] = []  # by term: the (entry, field) pairs that have it
    # By field: every entry's terms (as numbers) and counts, where each entry's end, its length.
    terms = [array("l") for _ in names]
    counts = [array("l") for _ in names]
    ends = [array("l") for _ in names]
    lengths = [array("l") for _ in names]
    for document in documents:
        for field, name in enumerate(names):
            value = document[name]
            frequencies: dict[int, int] = {}
            length = 0
            for token in _SEPARATORS.split(str(value).lower()) if value is not None else ():
                if not token:
                    continue
                made = analysed.get(token)
                if made is None:
                    made = analysed[token] = tuple(str(term) for term in pipeline.run([Token(token, {})], name))
                for term in made:
                    number = numbers.get(term)
                    if number is None:
                        number = numbers[term] = len(having)
                        having.append(0)
                    frequencies[number] = frequencies.get(number, 0) + 1
                length += len(made)
            for number in frequencies:
                having[number] += 1
            terms[field].extend(frequencies)
            counts[field].extend(frequencies.values())
            ends[field].append(len(terms[field]))
            lengths[field].append(length)
    k1, b, count = builder._k1, builder._b, len(lengths[0]) if lengths else 0
    idf = [math.log(1 + abs((count - entries + 0.5) / (entries + 0.5))) for entries in having]
    found: list[dict[int, tuple[array, array]]] = [{} for _ in having]
    for field, boost in enumerate(boosts):
        average = sum(lengths[field]) / count
        field_terms, field_counts, start = terms[field], counts[field], 0
        for ref, (end, field_length) in enumerate(zip(ends[field], lengths[field])):
            for at in range(start, end):
                number, tf = field_terms[at], field_counts[at]
                score = idf[number] * ((k1 + 1) * tf) / (k1 * (1 - b + b * (field_length / average)) + tf)
                score *= boost
                lists = found[number].get(field)
                if lists is None:
                    lists = found[number][field] = (array("l"), array("l"))
                lists[0].append(ref)
                lists[1].append(round(round(score, 3) * 1000))
            start = end
        terms[field] = counts[field] = array("l")  # freed as they are read
    return numbers, found


def postings(builder, fields: list[str]) -> Postings:
    """(term -> _index, and by _index: field number -> (refs, weights × 1000)),
    read from a filled lunr.py Builder's field vectors, which are freed as they
    are read: what ``term_postings`` computes without the Builder (the tests
    compare the two)."""
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


def term_parts(made: Postings, part_bytes: int, order: Callable[[str], bytes]) -> list[Part]:
    """The terms of ``made`` (``term_postings``) in parts of about ``part_bytes``
    each, in ``order``."""
    numbers, found = made
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
