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
TF-IDF, then its specific names); a copy keeping only each row's strongest
features is multiplied against the full matrix one chunk of rows at a time
(sparse x sparse) to find a few candidates per entry and period, and only those
candidates are scored exactly. The work grows with the number of entries times
the posting lists of their distinctive words, not with n squared.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping, Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

# Words every live page uses whatever the story: they would make any two entries look alike.
NEWSROOM_WORDS = frozenset("""
    say says said saying tell tells told telling ask asks asked add adds added according report reports
    reported reporting bbc live coverage page published update updates latest earlier later today tonight
    yesterday morning afternoon evening night week weeks day days month months year years time just like
    want wants make makes made going come comes came including thing things external read watch image
    images caption source getty reuters epa afp pa media
    president presidents minister ministers secretary prime chancellor spokesman spokeswoman spokesperson
    official officials head leader leaders government programme radio breakfast newsday interview
    reporters journalists statement telegram correspondent editor agency news
""".split())
STOP_WORDS = sorted(ENGLISH_STOP_WORDS | NEWSROOM_WORDS)
KIND_WEIGHTS = MappingProxyType({"topic": 1.0, "person": 0.7, "organisation": 0.7, "name": 0.5, "place": 0.3})
SUBJECT = 1.0  # the kind weights two entries must share to be related at all


@dataclass(frozen=True)
class Tuning:
    """How entries are compared (settings ``BRIEFINGS_RELATED_*``, see the README)."""

    entity_weight: float = 0.6  # share of the score that comes from shared names
    common_share: float = 0.25  # a name in more of the entries than this is no subject
    candidates: int = 10  # neighbours kept per entry and period
    strongest: int = 40  # features per entry used to find candidates
    chunk: int = 1024  # rows multiplied at a time


@dataclass(frozen=True)
class Match:
    """Another entry related to this one."""

    index: int  # position of the other entry in the input
    score: float
    shared: tuple[str, ...]  # keys of the names both are about, weightiest first


@dataclass(frozen=True)
class SimilarityModel:
    texts: sparse.csr_matrix  # one l2-normalised TF-IDF row per entry
    entities: tuple[frozenset[str], ...]  # specific names of each entry
    weights: Mapping[str, float]  # specific name -> kind weight x rarity
    kinds: Mapping[str, float]  # specific name -> kind weight
    tuning: Tuning

    def match(self, a: int, b: int, words: float | None = None) -> Match | None:
        """The two entries' score, or None when they share no subject."""
        shared = self.entities[a] & self.entities[b]
        if sum(self.kinds[key] for key in shared) < SUBJECT - 1e-9:
            return None
        if words is None:
            words = float(self.texts[a].multiply(self.texts[b]).sum())
        evidence = 1 - math.exp(-sum(self.weights[key] for key in shared))
        weight = self.tuning.entity_weight
        ordered = tuple(sorted(shared, key=lambda key: (-self.weights[key], key)))
        return Match(b, round((1 - weight) * words + weight * evidence, 4), ordered)


def fit(texts: Sequence[str], entity_sets: Sequence[Sequence[str]], kinds: Mapping[str, str],
        tuning: Tuning = Tuning()) -> SimilarityModel:
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
    options = dict(stop_words=STOP_WORDS, ngram_range=(1, 2), sublinear_tf=True, dtype=np.float32,
                   token_pattern=r"(?u)\b[^\W\d_][^\W_]+\b")
    for min_df in ((2, 1) if len(texts) > 2 else (1,)):
        try:
            return TfidfVectorizer(min_df=min_df, **options).fit_transform(texts).tocsr()
        except ValueError:  # no word survived: too few or too short texts
            continue
    return sparse.csr_matrix((len(texts), 0), dtype=np.float32)


def _search_matrix(model: SimilarityModel) -> sparse.csr_matrix:
    """Rows whose dot product approximates the score: words, then names (each
    column scaled so the product sums the shared names' weights)."""
    keys = sorted(model.weights)
    column = {key: n for n, key in enumerate(keys)}
    rows = [n for n, names in enumerate(model.entities) for _ in names]
    cols = [column[key] for names in model.entities for key in names]
    values = [math.sqrt(model.weights[key]) for names in model.entities for key in names]
    names = sparse.csr_matrix((np.asarray(values, dtype=np.float32), (rows, cols)),
                              shape=(len(model.entities), len(keys)))
    weight = model.tuning.entity_weight
    return sparse.hstack([model.texts * math.sqrt(1 - weight), names * math.sqrt(weight)], format="csr")


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


def nearest(model: SimilarityModel, groups: Sequence[int]) -> list[Mapping[int, tuple[Match, ...]]]:
    """For every entry, its related entries in each group (period), its own
    group included and itself excluded, best first: at most
    ``tuning.candidates`` per group, and only those that share a subject."""
    tuning = model.tuning
    count = len(groups)
    search = _search_matrix(model)
    pruned = _strongest(search, tuning.strongest)
    groups_array = np.asarray(groups)
    found: list[dict[int, tuple[Match, ...]]] = [{} for _ in range(count)]
    for group in sorted(set(groups)):
        members = np.flatnonzero(groups_array == group)
        columns = search[members].T.tocsc()
        for start in range(0, count, tuning.chunk):
            rows = range(start, min(start + tuning.chunk, count))
            approx = (pruned[start:rows.stop] @ columns).tocsr()
            pairs = []
            for offset, row in enumerate(rows):
                begin, end = approx.indptr[offset], approx.indptr[offset + 1]
                others, values = members[approx.indices[begin:end]], approx.data[begin:end]
                keep = others != row
                others, values = others[keep], values[keep]
                if len(values) > tuning.candidates:
                    others = others[np.argpartition(-values, tuning.candidates)[: tuning.candidates]]
                pairs.extend((row, int(other)) for other in others)
            if pairs:
                _score(model, group, pairs, found)
    return [MappingProxyType(per_group) for per_group in found]


def _score(model: SimilarityModel, group: int, pairs: list[tuple[int, int]], found) -> None:
    sources = [a for a, _ in pairs]
    targets = [b for _, b in pairs]
    words = np.asarray(model.texts[sources].multiply(model.texts[targets]).sum(axis=1)).ravel()
    by_source: dict[int, list[Match]] = {}
    for (a, b), similarity in zip(pairs, words):
        match = model.match(a, b, float(similarity))
        if match:
            by_source.setdefault(a, []).append(match)
    for source, matches in by_source.items():
        # Ties broken by position (oldest first), so results never depend on hashing.
        matches.sort(key=lambda match: (-match.score, match.index))
        found[source][group] = tuple(matches)
