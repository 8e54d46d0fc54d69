"""Related entries: which entries are about the same thing, and why.

Two entries are related when they share a *subject*: a topic of the gazetteer
("Nato membership"), or names worth at least one topic between them, a person,
an organisation or a detected name counting 0.7 or 0.5 and a place 0.3
(``KIND_WEIGHTS``). Names found in more than a quarter of all entries ("Russia",
"Ukraine", here also "Vladimir Putin") are everywhere and so no subject at all.
Related entries are then ranked by a score between 0 and 1:

    score = (1 - w) * words + w * (1 - exp(-sum of the shared names' weights))

- ``words``: cosine similarity of the two texts under scikit-learn's TF-IDF
  (single words and pairs, English stop words and newsroom filler removed,
  sublinear term frequency), with the names themselves blanked out so that
  they are not counted twice;
- a shared name weighs its kind's weight times its rarity, ``log(n/df) / log(n)``;
- ``w`` is ``BRIEFINGS_RELATED_ENTITY_WEIGHT``.

Scaling without a dense n x n matrix: each entry becomes one sparse row (its
TF-IDF, then its specific names). Candidates are found by multiplying, one chunk
of rows at a time (sparse x sparse), each entry's ``strongest`` features by each
feature's ``postings`` strongest entries of a period; only the best
``candidates`` per entry and period are then scored exactly. Each entry costs at
most strongest x postings multiplications per period, so the work grows
linearly with the number of entries.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

# Words every live page uses whatever the story: they would make any two entries look alike.
NEWSROOM_WORDS = frozenset(
    [
        "say",
        "says",
        "said",
        "saying",
        "tell",
        "tells",
        "told",
        "telling",
        "ask",
        "asks",
        "asked",
        "add",
        "adds",
        "added",
        "according",
        "report",
        "reports",
        "reported",
        "reporting",
        "bbc",
        "live",
        "coverage",
        "page",
        "published",
        "update",
        "updates",
        "latest",
        "earlier",
        "later",
        "today",
        "tonight",
        "yesterday",
        "morning",
        "afternoon",
        "evening",
        "night",
        "week",
        "weeks",
        "day",
        "days",
        "month",
        "months",
        "year",
        "years",
        "time",
        "just",
        "like",
        "want",
        "wants",
        "make",
        "makes",
        "made",
        "going",
        "come",
        "comes",
        "came",
        "including",
        "thing",
        "things",
        "external",
        "read",
        "watch",
        "image",
        "images",
        "caption",
        "source",
        "getty",
        "reuters",
        "epa",
        "afp",
        "pa",
        "media",
        "president",
        "presidents",
        "minister",
        "ministers",
        "secretary",
        "prime",
        "chancellor",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "official",
        "officials",
        "head",
        "leader",
        "leaders",
        "government",
        "programme",
        "radio",
        "breakfast",
        "newsday",
        "interview",
        "reporters",
        "journalists",
        "statement",
        "telegram",
        "correspondent",
        "editor",
        "agency",
        "news",
    ]
)
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS | NEWSROOM_WORDS)
KIND_WEIGHTS = MappingProxyType({"topic": 1.0, "person": 0.7, "organisation": 0.7, "name": 0.5, "place": 0.3})
SUBJECT = 1.0  # the kind weights two entries must share to be related at all


@dataclass(frozen=True)
class Tuning:
    """How entries are compared (settings ``BRIEFINGS_RELATED_*``, see the README)."""

    entity_weight: float = 0.6  # share of the score that comes from shared names
    common_share: float = 0.25  # a name in more of the entries than this is no subject
    candidates: int = 6  # neighbours kept per entry and period
    strongest: int = 40  # features per entry used to find candidates
    postings: int = 100  # entries per feature (and period) used to find candidates: its strongest
    chunk: int = 1024  # rows multiplied at a time


class Match(NamedTuple):
    """Another entry related to this one (a named tuple: there can be millions)."""

    index: int  # position of the other entry in the input
    score: float


@dataclass(frozen=True)
class SimilarityModel:
    texts: sparse.csr_matrix  # one l2-normalised TF-IDF row per entry
    entities: tuple[frozenset[str], ...]  # specific names of each entry
    weights: Mapping[str, float]  # specific name -> kind weight x rarity
    kinds: Mapping[str, float]  # specific name -> kind weight
    tuning: Tuning

    def shared(self, a: int, b: int) -> tuple[str, ...]:
        """The names both entries are about, weightiest first: the reason for a link."""
        return tuple(sorted(self.entities[a] & self.entities[b], key=lambda key: (-self.weights[key], key)))

    def match(self, a: int, b: int) -> Match | None:
        """The two entries' score, or None when they share no subject (one pair at
        a time: ``nearest`` does the same for many pairs at once)."""
        shared = self.entities[a] & self.entities[b]
        if sum(self.kinds[key] for key in shared) < SUBJECT - 1e-9:
            return None
        words = float(self.texts[a].multiply(self.texts[b]).sum())
        evidence = 1 - math.exp(-sum(self.weights[key] for key in shared))
        weight = self.tuning.entity_weight
        return Match(b, round((1 - weight) * words + weight * evidence, 4))


def fit(
    texts: Sequence[str], entity_sets: Sequence[Sequence[str]], kinds: Mapping[str, str], tuning: Tuning = Tuning()
) -> SimilarityModel:
    """One row per entry: its text (names blanked out) and the keys of the names
    it mentions; ``kinds`` maps each key to its kind."""
    count = len(texts)
    frequency = Counter(key for keys in entity_sets for key in set(keys))
    specific = {key for key, df in frequency.items() if df <= tuning.common_share * count}
    scale = math.log(count) if count > 1 else 1.0
    weights = {key: KIND_WEIGHTS[kinds[key]] * math.log(count / frequency[key]) / scale for key in specific}
    return SimilarityModel(
        texts=_tfidf(texts),
        entities=tuple(frozenset(key for key in keys if key in specific) for keys in entity_sets),
        weights=MappingProxyType(weights),
        kinds=MappingProxyType({key: KIND_WEIGHTS[kinds[key]] for key in specific}),
        tuning=tuning,
    )


def _tfidf(texts: Sequence[str]) -> sparse.csr_matrix:
    # A word in one entry only cannot make two entries similar, so min_df=2 (when
    # there are enough entries) costs nothing and keeps the vocabulary small.
    options = dict(
        stop_words=sorted(STOP_WORDS),
        ngram_range=(1, 2),
        sublinear_tf=True,
        dtype=np.float32,
        token_pattern=r"(?u)\b[^\W\d_][^\W_]+\b",
    )
    for min_df in (2, 1) if len(texts) > 2 else (1,):
        try:
            return TfidfVectorizer(min_df=min_df, **options).fit_transform(texts).tocsr()
        except ValueError:  # no word survived: too few or too short texts
            continue
    return sparse.csr_matrix((len(texts), 0), dtype=np.float32)


def _presence(model: SimilarityModel) -> tuple[sparse.csr_matrix, tuple[str, ...]]:
    """One row per entry, one column per specific name: 1 where the entry names it."""
    keys = tuple(sorted(model.weights))
    column = {key: n for n, key in enumerate(keys)}
    rows = [n for n, names in enumerate(model.entities) for _ in names]
    cols = [column[key] for names in model.entities for key in names]
    matrix = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(model.entities), len(keys))
    )
    return matrix, keys


def _strongest(matrix: sparse.csr_matrix, keep: int) -> sparse.csr_matrix:
    """Each row's ``keep`` largest values; the rest dropped."""
    pruned = matrix.copy()
    for row in range(matrix.shape[0]):
        start, end = pruned.indptr[row], pruned.indptr[row + 1]
        if end - start > keep:
            values = pruned.data[start:end]
            values[np.argpartition(values, end - start - keep)[: end - start - keep]] = 0
    pruned.eliminate_zeros()
    return pruned


def _candidates(approx: sparse.csr_matrix, start: int, members: np.ndarray, keep: int):
    """(source, target) pairs: each row's ``keep`` best columns, itself excluded."""
    sources, targets = [], []
    for offset in range(approx.shape[0]):
        begin, end = approx.indptr[offset], approx.indptr[offset + 1]
        others, values = members[approx.indices[begin:end]], approx.data[begin:end]
        apart = others != start + offset
        others, values = others[apart], values[apart]
        if len(values) > keep:
            others = others[np.argpartition(-values, keep)[:keep]]
        sources.append(np.full(len(others), start + offset))
        targets.append(others)
    return np.concatenate(sources), np.concatenate(targets)


def nearest(
    model: SimilarityModel, groups: Sequence[int], minimum: float = 0.0
) -> list[Mapping[int, tuple[Match, ...]]]:
    """For every entry, its related entries in each group (period), its own
    group included and itself excluded, best first: at most
    ``tuning.candidates`` per group, only those that share a subject, and only
    those scoring at least ``minimum``."""
    tuning = model.tuning
    count = len(groups)
    presence, keys = _presence(model)
    weights = np.asarray([model.weights[key] for key in keys], dtype=np.float64)
    kinds = np.asarray([model.kinds[key] for key in keys], dtype=np.float64)
    names = presence.multiply(np.sqrt(weights).astype(np.float32)).tocsr()
    weight = tuning.entity_weight
    # Rows whose dot product is the score before the names' evidence is squashed.
    search = sparse.hstack([model.texts * math.sqrt(1 - weight), names * math.sqrt(weight)], format="csr")
    pruned = _strongest(search, tuning.strongest)
    groups_array = np.asarray(groups)
    found: list[dict[int, tuple[Match, ...]]] = [{} for _ in range(count)]
    for group in sorted(set(groups)):
        members = np.flatnonzero(groups_array == group)
        # Each feature's postings capped at its strongest entries: a word in
        # thousands of entries then costs no more than a rare one.
        columns = _strongest(search[members].T.tocsr(), tuning.postings)
        for start in range(0, count, tuning.chunk):
            approx = (pruned[start : start + tuning.chunk] @ columns).tocsr()
            sources, targets = _candidates(approx, start, members, tuning.candidates)
            if len(sources):
                _score(model, presence, weights, kinds, group, sources, targets, minimum, found)
    return [MappingProxyType(per_group) for per_group in found]


def _score(model, presence, weights, kinds, group, sources, targets, minimum, found) -> None:
    """Exact scores of the candidate pairs, computed all at once; a Match for
    each pair that shares a subject and scores at least ``minimum``."""
    words = np.asarray(model.texts[sources].multiply(model.texts[targets]).sum(axis=1)).ravel()
    both = presence[sources].multiply(presence[targets]).tocsr()
    evidence, subject = both @ weights, both @ kinds
    weight = model.tuning.entity_weight
    scores = np.round((1 - weight) * words + weight * (1 - np.exp(-evidence)), 4)
    kept = np.flatnonzero((subject >= SUBJECT - 1e-9) & (scores >= minimum))
    if not len(kept):
        return
    # Best first; ties broken by position (oldest first), never by hashing.
    kept = kept[np.lexsort((targets[kept], -scores[kept], sources[kept]))]
    kept_sources = sources[kept]
    starts = np.flatnonzero(np.r_[True, kept_sources[1:] != kept_sources[:-1]])
    matches = list(map(Match, targets[kept].tolist(), scores[kept].tolist()))
    for begin, end in zip(starts.tolist(), starts[1:].tolist() + [len(kept)]):
        found[int(kept_sources[begin])][group] = tuple(matches[begin:end])
