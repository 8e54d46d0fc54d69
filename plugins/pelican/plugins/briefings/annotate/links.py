"""Related entries: which entries are about the same matter, and why.

Three signals say how alike two entries' texts are, each a cosine between 0 and 1:

- ``words``: TF-IDF, as scikit-learn's (``_tfidf``: single words and pairs, English stop words
  and newsroom filler removed, sublinear term frequency, names blanked out);
- ``topics``: LSA, the same rows reduced to the archive's own latent topics
  (``meaning.lsa``), so "troops" and "positioned" can match "front line";
- ``meaning``: WordLlama's static embeddings (``meaning.embeddings``).

Their mean, plus ``name_weight`` x the evidence of the specific names both
entries mention (a gazetteer topic 1, a person or organisation 0.7, a detected
name 0.5, a place 0.3, times the name's rarity; names found in more than
``common_share`` of the entries are no evidence), is the *similarity*.

Calibrated on the archive itself, not on fixed numbers:

0. **Neighbourhoods.** Each entry is compared as a blend: ``1 - blend`` of its
   own rows and ``blend`` of the mean of its ``blend_neighbours`` most similar
   entries of its own period (``blended``). A matter is usually covered by
   several entries of a period; two entries whose neighbourhoods are alike are
   more likely the same matter than two that share a few words.
1. **Hubs** (a long closing entry, alike to everything) are discounted as in
   cross-domain similarity local scaling: ``2 x similarity - r(a) - r(b)``,
   ``r`` being an entry's mean similarity to its ``hub_neighbours`` closest
   entries of other periods.
2. The result is put in standard deviations above the mean of a fixed-seed
   sample of the archive's pairs across periods: that is the link's *score*.
   A link is shown when it stands out (``standout`` deviations, setting
   ``BRIEFINGS_RELATED_STANDOUT``) and is within ``margin`` deviations of the
   entry's best link into that period: one good link beats three.
3. **Context.** And only if the two entries' contexts (each blended with the
   mean of its live page's day, ``in_context``) stand out as alike too, by
   ``context_standout`` deviations, calibrated the same way: unrelated stories
   in one archive do not link (``_in_context``).

Scaling: no n x n matrix. Candidates are each entry's best ``candidates``
entries per period under the dense signals, then scored exactly. Up to
``exact_search`` entries they are found among all entries, one chunk of rows at
a time (a chunk x period product: the work grows with n x the size of a
period); above, among the members of the few clustered lists nearest to each
entry (``_clustered``: the work grows with n). Memory stays bounded.
"""

from __future__ import annotations

import ctypes
import hashlib
import itertools
import math
import re
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

import numpy as np
from scipy import sparse

from . import meaning

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


# English stop words: scikit-learn's list, kept as a file of the plugin's own so
# that neither the build nor annotate's process imports scikit-learn (1.4 s of
# start-up, which annotate's process paid on every build's critical path).
ENGLISH_STOP_WORDS = Path(__file__).with_name("english_stop_words.txt")
# A word: two or more letters or digits, the first a letter (scikit-learn's default
# token pattern, less tokens that start with a digit), in the lower-cased text.
WORD = re.compile(r"(?u)\b[^\W\d_][^\W_]+\b")
# Bump when ``terms`` changes: a rebuild takes each text's terms from the memo by it.
TERMS_VERSION = "terms-2"


@cache
def stop_words() -> frozenset[str]:
    english = [
        line.strip()
        for line in ENGLISH_STOP_WORDS.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return frozenset(english) | NEWSROOM_WORDS


def terms(text: str) -> list[str]:
    """The terms of a text: its lower-cased words (``WORD``), stop words out,
    then each pair of neighbouring words left, joined by a space; what
    scikit-learn's ``TfidfVectorizer(ngram_range=(1, 2))`` makes of it with the
    same stop words and token pattern (tests/test_links_meaning.py compares
    them). Interned: the archive holds each term once, not once per use (each
    pair of words is a new string; a third of annotate's memory at 10,000
    entries)."""
    stop = stop_words()
    words = [word for word in WORD.findall(text.lower()) if word not in stop]
    words.extend([f"{first} {second}" for first, second in zip(words, words[1:])])
    return list(map(sys.intern, words))


# A key phrase names a subject (entity pages, threads, reasons) but adds no evidence:
# measured on the judged links, weighting it lowered hit@3 without a gazetteer.
KIND_WEIGHTS = MappingProxyType(
    {"topic": 1.0, "person": 0.7, "organisation": 0.7, "name": 0.5, "place": 0.3, "phrase": 0.0}
)
SAMPLE_SEED = 12  # the pairs that give the archive's score distribution
SAMPLE_PAIRS = 20000
PAIR_CHUNK = 8192  # pairs scored at a time, by each thread (SimilarityModel.similarity)


@dataclass(frozen=True)
class Tuning:
    """How entries are compared (settings ``BRIEFINGS_RELATED_*``, docs/briefing.md)."""

    name_weight: float = 0.1  # the shared names' evidence, added to the texts' mean cosine
    common_share: float = 0.25  # a name in more of the entries than this is no evidence
    standout: float = 1.6  # standard deviations above the archive's cross-period mean to be shown
    margin: float = 1.0  # and at most this many below the entry's best link into that period
    hub_neighbours: int = 5  # closest entries of other periods that measure how much of a hub an entry is
    blend: float = 0.0  # share of each entry's own-period neighbours in what is compared (``blended``)
    blend_neighbours: int = 5  # how many of them
    context: float = 0.5  # share of an entry's day in its context (0: no context check), ``in_context``
    context_standout: float = 0.7  # how far two entries' contexts must stand out for a link
    candidates: int = 12  # neighbours per entry and period scored exactly
    chunk: int = 512  # rows multiplied at a time, by each thread
    exact_search: int = 16384  # archives up to this many entries compare every pair for candidates
    list_size: int = 256  # above it: entries per list of the clustered search, about (``_clustered``)
    probes: int = 8  # and the lists each entry searches


class Match(NamedTuple):
    """Another entry related to this one (a named tuple: there can be millions)."""

    index: int  # position of the other entry in the input
    score: float  # standard deviations above the archive's mean pair across periods


def in_order(function, items, workers: int = 1) -> list:
    """``[function(item) for item in items]``, made on up to ``workers`` threads.
    numpy's and scipy's products let go of the interpreter while they compute,
    each on one BLAS thread (``briefing.annotate``), so two threads use both
    cores; each item's value is the same whichever thread made it, and the
    values come back in the items' order. (``one_heap`` first, where the
    process starts its threads: annotate.)"""
    items = list(items)
    if workers <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(workers, len(items)), thread_name_prefix="briefings-links") as pool:
        return list(pool.map(function, items))


M_ARENA_MAX = -8  # glibc's mallopt parameter


@cache
def one_heap() -> None:
    """glibc gives each new thread a heap of its own (an arena), which keeps what
    the thread freed: with two threads, annotate's peak at 10,000 entries was
    449 MiB against 376 on one. Its threads share the one heap instead (384
    MiB), as numpy's large arrays allow (each is one allocation). Called before
    any thread starts (annotate: the tokenizer's threads would make arenas of
    their own that later threads reuse). Elsewhere than glibc: nothing to do."""
    try:
        ctypes.CDLL(None).mallopt(M_ARENA_MAX, 1)
    except (OSError, AttributeError, TypeError):
        pass


def by_chunks(score, sources: np.ndarray, targets: np.ndarray, workers: int = 1) -> np.ndarray:
    """``score(sources, targets)``, ``PAIR_CHUNK`` pairs at a time (on ``workers``
    threads, ``in_order``): the rows of a few hundred thousand pairs at once
    would be the build's largest allocation (each pair's value is the same,
    however many at a time)."""
    if len(sources) <= PAIR_CHUNK:
        return score(sources, targets)
    starts = range(0, len(sources), PAIR_CHUNK)
    return np.concatenate(
        in_order(
            lambda start: score(sources[start : start + PAIR_CHUNK], targets[start : start + PAIR_CHUNK]),
            starts,
            workers,
        )
    )


@dataclass(frozen=True)
class SimilarityModel:
    texts: sparse.csr_matrix  # one l2-normalised TF-IDF row per entry
    dense: np.ndarray  # LSA then WordLlama, each l2-normalised, side by side
    entities: tuple[frozenset[str], ...]  # specific names of each entry
    weights: Mapping[str, float]  # specific name -> kind weight x rarity
    tuning: Tuning
    presence: sparse.csr_matrix  # one row per entry, one column per specific name: 1 where named
    name_weights: np.ndarray  # the weight of each column of ``presence``
    order: np.ndarray | None = None  # the entries by a hash of their keys (stable_order), if given
    workers: int = 1  # threads the candidate search and the pairs' scores run on (``in_order``)
    settled: int = 0  # how many entries of settled weeks lead ``order`` (``settled_days``)

    def shared(self, a: int, b: int) -> tuple[str, ...]:
        """The names both entries are about, weightiest first: the reason for a link."""
        return tuple(sorted(self.entities[a] & self.entities[b], key=lambda key: (-self.weights[key], key)))

    def similarity(self, sources: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """The similarity of each (source, target) pair (``by_chunks``)."""
        return by_chunks(self._similarity, sources, targets, self.workers)

    def _similarity(self, sources: np.ndarray, targets: np.ndarray) -> np.ndarray:
        words = np.asarray(self.texts[sources].multiply(self.texts[targets]).sum(axis=1)).ravel()
        dense = np.einsum("ij,ij->i", self.dense[sources], self.dense[targets])
        evidence = self.presence[sources].multiply(self.presence[targets]).tocsr() @ self.name_weights
        return (words + dense) / 3 + self.tuning.name_weight * (1 - np.exp(-evidence))


def fit(
    texts: Sequence[str],
    entity_sets: Sequence[Sequence[str]],
    kinds: Mapping[str, str],
    tuning: Tuning = Tuning(),
    originals: Sequence[str] | None = None,
    words: Words | None = None,
    keys: Sequence[str] | None = None,
    settled: Sequence[bool] | None = None,
) -> SimilarityModel:
    """One row per entry: its text (names blanked out) and the keys of the names
    it mentions; ``kinds`` maps each key to its kind; ``originals``, the texts
    with their names, are what the similarity reads (default: ``texts``);
    ``words``, their TF-IDF if already computed; ``keys``, each entry's lasting
    identity (its post id): the entries LSA is fitted on are then drawn by key
    (stable_order), so that adding a day changes the topics little (meaning.lsa);
    ``settled``, whether each entry's day is past (see ``settled_days``): those
    come first in that order, so that a sample the settled entries fill is the
    same whatever the newest days add."""
    count = len(texts)
    frequency = Counter(key for keys in entity_sets for key in set(keys))
    specific = {key for key, df in frequency.items() if df <= tuning.common_share * count}
    scale = math.log(count) if count > 1 else 1.0
    weights = {key: KIND_WEIGHTS[kinds[key]] * math.log(count / frequency[key]) / scale for key in specific}
    originals = originals if originals is not None else texts
    words = words or vectorise(originals)
    tfidf = words.rows
    order = stable_order(keys, settled) if keys is not None else None
    topics = meaning.lsa(tfidf, words.vocabulary, order)
    dense = np.hstack([topics, meaning.embeddings(tfidf, words.vocabulary, words.idf)])
    entities = tuple(frozenset(key for key in keys if key in specific) for keys in entity_sets)
    keys = sorted(weights)
    column = {key: n for n, key in enumerate(keys)}
    rows = [n for n, names in enumerate(entities) for _ in names]
    cols = [column[key] for names in entities for key in names]
    presence = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(count, len(keys)))
    return SimilarityModel(
        texts=tfidf,
        dense=dense,
        entities=entities,
        weights=MappingProxyType(weights),
        tuning=tuning,
        presence=presence,
        name_weights=np.asarray([weights[key] for key in keys], dtype=np.float64),
        order=order,
        settled=sum(map(bool, settled)) if keys is not None and settled is not None else 0,
    )


def stable_order(keys: Sequence[str], settled: Sequence[bool] | None = None) -> np.ndarray:
    """Positions of ``keys`` by a hash of each key, the ``settled`` ones (if
    given) first: a sample taken from the front of this order is the same
    entries whatever else the archive holds, except where a new entry's hash
    comes before them (each new entry with a chance of the sample's share), and
    when the settled entries fill the sample, whatever the unsettled ones are.
    Samples drawn by position would change whenever an entry is added before
    them, and with them every score of the archive."""
    hashes = [hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest() for key in keys]
    late = [False] * len(keys) if settled is None else [not past for past in settled]
    return np.asarray(sorted(range(len(keys)), key=lambda n: (late[n], hashes[n], n)), dtype=np.int64)


def settled_days(days: Sequence[date]) -> list[bool]:
    """Whether each day is before the week (Monday to Sunday) of the newest one:
    the entries of the days a newsroom still adds to are unsettled until the
    next week begins. A cold build of the same archive says the same."""
    if not days:
        return []
    newest = max(days)
    week = newest - timedelta(days=newest.weekday())
    return [day < week for day in days]


class Words(NamedTuple):
    """The archive's TF-IDF: one l2-normalised row per entry, the columns' terms, their IDF."""

    rows: sparse.csr_matrix
    vocabulary: list[str]
    idf: np.ndarray


def vectorise(texts: Sequence[str], memo=None) -> Words:
    """``memo``: a reuse.PickleMemo of each text's terms from earlier builds, or None."""
    return Words(*_tfidf(texts, memo))


def _tfidf(texts: Sequence[str], memo=None) -> tuple[sparse.csr_matrix, list[str], np.ndarray]:
    """The rows, the terms of the columns (sorted) and their IDF weights. Each
    text's terms (``terms``) depend on that text alone, so a rebuild takes them
    from ``memo``; the counts and weights are the archive's.

    The weights are scikit-learn's ``TfidfVectorizer(sublinear_tf=True,
    dtype=float32)``, in float32 as there: ``1 + ln(count)`` times the smoothed
    IDF ``1 + ln((1 + n) / (1 + df))``, each row scaled to unit length (its sum
    of squares added in float64, in column order). A word in one entry only
    cannot make two entries similar, so terms must be in two entries (when
    there are more than two, and any term is), which keeps the vocabulary small."""
    if memo is None:
        found = [terms(text) for text in texts]
    else:
        found = [memo.get(memo.key(TERMS_VERSION, text), lambda text=text: terms(text)) for text in texts]
    count = len(found)
    # Each term's number is the position of its first use: unique, if not dense
    # (map and itertools.count run in C: half the time of numbering 1.4 million
    # terms one by one at 10,000 entries).
    column: dict[str, int] = {}
    ids = np.fromiter(
        map(column.setdefault, itertools.chain.from_iterable(found), itertools.count()),
        dtype=np.int64,
        count=sum(map(len, found)),
    )
    if not column:
        return sparse.csr_matrix((count, 0), dtype=np.float32), [], np.zeros(0, dtype=np.float32)
    stride = int(ids.max()) + 1
    rows = np.repeat(np.arange(count, dtype=np.int64), [len(each) for each in found])
    pairs, counts = np.unique(rows * stride + ids, return_counts=True)
    rows, ids = pairs // stride, pairs % stride
    df = np.bincount(ids, minlength=stride)
    kept = df >= (2 if count > 2 and (df >= 2).any() else 1)
    vocabulary = sorted(term for term, n in column.items() if kept[n])
    numbers = np.asarray([column[term] for term in vocabulary], dtype=np.int64)  # the columns' terms' numbers
    position = np.full(stride, -1, dtype=np.int64)
    position[numbers] = np.arange(len(vocabulary))
    inside = kept[ids]
    rows, cols, counts = rows[inside], position[ids[inside]], counts[inside].astype(np.float32)
    idf = np.full(len(vocabulary), count + 1, dtype=np.float32)
    idf /= df[numbers].astype(np.float32) + 1
    idf = np.log(idf) + np.float32(1)
    matrix = sparse.csr_matrix((counts, (rows, cols)), shape=(count, len(vocabulary)), dtype=np.float32)
    matrix.sort_indices()
    data = (np.log(matrix.data) + np.float32(1)) * idf[matrix.indices]
    row_of = np.repeat(np.arange(count), np.diff(matrix.indptr))
    norms = np.sqrt(np.bincount(row_of, weights=(data * data).astype(np.float64), minlength=count))
    scale = np.where(norms > 0, norms, 1.0)[row_of]
    matrix.data = (data.astype(np.float64) / scale).astype(np.float32)
    return matrix, vocabulary, idf


def _candidates(model: SimilarityModel, groups: np.ndarray, keep: int, own_only: bool = False):
    """(source, target) pairs: each entry's ``keep`` best entries of every group
    (of its own group only, with ``own_only``) under the dense signals, itself
    excluded, and the same pairs reversed; sources ascending. Exact up to
    ``tuning.exact_search`` entries, by clustered lists above (``_clustered``)."""
    if len(groups) > model.tuning.exact_search:
        sources, targets = _clustered(model, groups, keep, own_only)
    else:
        sources, targets = _exact(model, groups, keep, own_only)
    # Both ways: a pair one entry's search found is a candidate for the other too.
    count = len(groups)
    sources, targets = np.concatenate([sources, targets]), np.concatenate([targets, sources])
    pairs = np.unique(sources.astype(np.int64) * count + targets)
    return pairs // count, pairs % count


def _largest(approx: np.ndarray, take: int) -> np.ndarray:
    """The columns of each row's ``take`` largest values (in no order), found
    without negating a copy of ``approx``, and ``PARTITION_ROWS`` rows at a
    time: argpartition returns a position for every value, eight bytes each,
    twice the size of ``approx`` itself (80 MiB for a chunk of a 10,000-entry
    archive), of which ``take`` per row are kept."""
    rows, columns = approx.shape
    if take >= columns:
        return np.broadcast_to(np.arange(columns), (rows, columns))
    best = np.empty((rows, take), dtype=np.intp)
    for start in range(0, rows, PARTITION_ROWS):
        part = approx[start : start + PARTITION_ROWS]
        best[start : start + PARTITION_ROWS] = np.argpartition(part, columns - take, axis=1)[:, columns - take :]
    return best


PARTITION_ROWS = 128


def _exact(model: SimilarityModel, groups: np.ndarray, keep: int, own_only: bool):
    """Every entry against every member of each group, a chunk of rows at a time."""
    sources, targets = [], []
    count = len(groups)
    for group in np.unique(groups):
        members = np.flatnonzero(groups == group)
        block = model.dense[members].T
        position = np.full(count, -1)
        position[members] = np.arange(len(members))
        take = min(keep, len(members))
        searched = members if own_only else np.arange(count)

        def best_of(start, searched=searched, members=members, block=block, position=position, take=take):
            rows = searched[start : start + model.tuning.chunk]
            approx = model.dense[rows] @ block
            inside = position[rows] >= 0
            approx[np.flatnonzero(inside), position[rows][inside]] = -np.inf  # never itself
            best = _largest(approx, take)
            found = members[best]
            ok = np.take_along_axis(approx, best, axis=1) > -np.inf
            return np.repeat(rows, take)[ok.ravel()], found.ravel()[ok.ravel()]

        for found_sources, found_targets in in_order(
            best_of, range(0, len(searched), model.tuning.chunk), model.workers
        ):
            sources.append(found_sources)
            targets.append(found_targets)
    return np.concatenate(sources), np.concatenate(targets)


KMEANS_SAMPLE = 8192  # entries the lists' centres are fitted on
SEARCH_BLOCK = 8192  # rows of the clustered search whose candidates are held at once
KMEANS_ITERATIONS = 6


def _centres(model: SimilarityModel, lists: int) -> np.ndarray:
    """``lists`` centres of the dense rows (spherical k-means, Lloyd's iterations)
    fitted on the first ``KMEANS_SAMPLE`` entries in the order of their keys
    (stable_order), started from the first ``lists`` of them: the same entries
    after a new day but for the few new ones that join the sample, as LSA's."""
    count = len(model.dense)
    order = model.order if model.order is not None else np.arange(count)
    sample = model.dense[order[: max(KMEANS_SAMPLE, lists)]].astype(np.float64)
    centres = sample[:lists].copy()
    for _ in range(KMEANS_ITERATIONS):
        nearest_centre = np.argmax(sample @ centres.T, axis=1)
        members = sparse.csr_matrix(
            (np.ones(len(sample)), (nearest_centre, np.arange(len(sample)))), shape=(lists, len(sample))
        )
        sums = np.asarray(members @ sample)
        norms = np.linalg.norm(sums, axis=1)
        filled = norms > 0  # a centre nobody is nearest to stays where it was
        centres[filled] = sums[filled] / norms[filled, None]
    return centres.astype(np.float32)


def _clustered(model: SimilarityModel, groups: np.ndarray, keep: int, own_only: bool):
    """An inverted-file search, for archives too large to compare every pair: the
    dense rows are put in lists by their nearest of ``_centres`` (about
    ``tuning.list_size`` entries each; their number a power of two, so that it
    changes only when the archive doubles), and each entry is compared with the
    members of the ``tuning.probes`` lists whose centres are nearest to it, not
    with every entry. Each entry then costs about the same whatever the archive's
    size (lists of 256 to 512 entries by default), so the search grows linearly.
    It finds most, not all, of what the exact search finds (docs/briefing.md:
    its recall, measured)."""
    tuning = model.tuning
    count = len(groups)
    lists = 2 ** max(0, int(math.log2(max(1, count // max(1, tuning.list_size)))))
    probes = min(tuning.probes, lists)
    centres = _centres(model, lists)
    home = np.empty(count, dtype=np.int64)
    probed = np.empty((count, probes), dtype=np.int64)
    for start in range(0, count, tuning.chunk):
        closeness = model.dense[start : start + tuning.chunk] @ centres.T
        home[start : start + tuning.chunk] = np.argmax(closeness, axis=1)
        if probes < lists:
            nearest_lists = np.argpartition(closeness, lists - probes, axis=1)[:, lists - probes :]
            probed[start : start + tuning.chunk] = nearest_lists
        else:
            probed[start : start + tuning.chunk] = np.arange(lists)
    found_sources, found_targets = [], []
    for group in np.unique(groups):
        in_group = np.flatnonzero(groups == group)
        members = in_group[np.argsort(home[in_group], kind="stable")]  # by list
        member_bounds = np.searchsorted(home[members], np.arange(lists + 1))
        searching = in_group if own_only else np.arange(count)
        # A block of rows at a time, so that what is held before each row's best
        # are chosen stays bounded (rows x probes x keep) however large the archive.
        for begin in range(0, len(searching), SEARCH_BLOCK):
            block = searching[begin : begin + SEARCH_BLOCK]
            flat = np.argsort(probed[block].ravel(), kind="stable")  # who searches each list
            searcher, searched_list = block[flat // probes], probed[block].ravel()[flat]
            search_bounds = np.searchsorted(searched_list, np.arange(lists + 1))
            sources, targets, scores = [], [], []
            for list_number in range(lists):
                inside = members[member_bounds[list_number] : member_bounds[list_number + 1]]
                rows = searcher[search_bounds[list_number] : search_bounds[list_number + 1]]
                take = min(keep, len(inside))
                for start in range(0, len(rows) if len(inside) else 0, tuning.chunk):
                    chunk = rows[start : start + tuning.chunk]
                    approx = model.dense[chunk] @ model.dense[inside].T
                    approx[chunk[:, None] == inside[None, :]] = -np.inf  # never itself
                    best = _largest(approx, take)
                    sources.append(np.repeat(chunk, take))
                    targets.append(inside[best].ravel())
                    scores.append(np.take_along_axis(approx, best, axis=1).ravel())
            if not sources:
                continue
            sources, targets, scores = np.concatenate(sources), np.concatenate(targets), np.concatenate(scores)
            # Each row's ``keep`` best over the lists it searched (ties to the oldest).
            order = np.lexsort((targets, -scores, sources))
            sources, targets, scores = sources[order], targets[order], scores[order]
            rank = np.arange(len(sources)) - np.searchsorted(sources, sources, side="left")
            chosen = (rank < keep) & (scores > -np.inf)
            found_sources.append(sources[chosen])
            found_targets.append(targets[chosen])
    if not found_sources:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(found_sources), np.concatenate(found_targets)


def in_context(model: SimilarityModel, contexts: np.ndarray) -> np.ndarray:
    """Each entry's dense rows (LSA, WordLlama) as ``1 - tuning.context`` of its
    own and ``tuning.context`` of the mean of its context's (the entries of its
    live page's day): what the entry is part of. As in ``blended``, the product
    of two such rows is the blend of their parts' cosines. The dense signals
    only: a day's mean TF-IDF row would hold the whole day's vocabulary for each
    of its entries (LSA carries their topics), and the names' rows were most of
    the check's time."""
    share = model.tuning.context
    _, context, members = np.unique(contexts, return_inverse=True, return_counts=True)
    sums = np.zeros((len(members), model.dense.shape[1]))
    np.add.at(sums, context, model.dense)
    return ((1 - share) * model.dense + share * (sums / members[:, None])[context]).astype(np.float32)


def _in_context(
    model: SimilarityModel,
    groups: np.ndarray,
    contexts: np.ndarray | None,
    sources: np.ndarray,
    targets: np.ndarray,
    kept: np.ndarray,
) -> np.ndarray:
    """Whether each kept pair's two *contexts* (``in_context``) stand out as alike
    too, hubs discounted and calibrated as the pairs themselves are. A live
    page's day is about one story: a storm's death toll and a shelling's share
    words, but one sits among power cuts and floods, the other among front
    lines and talks. ``sources``, ``targets``: every candidate pair (what the
    hubs are measured on); ``kept``: the positions of those asked about. All
    True when the check is off or no contexts are given."""
    tuning = model.tuning
    if tuning.context <= 0 or contexts is None or not len(kept):
        return np.ones(len(kept), dtype=bool)
    rows = in_context(model, contexts)

    def similarity(sources: np.ndarray, targets: np.ndarray) -> np.ndarray:
        return by_chunks(lambda a, b: np.einsum("ij,ij->i", rows[a], rows[b]), sources, targets, model.workers)

    alike = similarity(sources, targets)
    hub = _hubness(alike, sources, targets, groups, len(groups), tuning.hub_neighbours)
    mean, spread = _distribution(similarity, hub, groups, _sample_pool(model))
    kept_sources, kept_targets = sources[kept], targets[kept]
    value = (2 * alike[kept] - hub[kept_sources] - hub[kept_targets] - mean) / spread
    return np.round(value, 3) >= tuning.context_standout


def blended(model: SimilarityModel, groups: np.ndarray) -> SimilarityModel:
    """The model with every entry's rows (words, dense signals, names) replaced by
    ``1 - blend`` of its own and ``blend`` of the mean of its ``blend_neighbours``
    most similar entries of its own period (their candidates under the dense
    signals, scored exactly; ties to the oldest). The similarity of two blended
    entries is then the blend of their neighbourhoods' similarities, in one
    product per pair. An entry alone in its period keeps its own rows."""
    tuning = model.tuning
    count = len(groups)
    if tuning.blend <= 0 or tuning.blend_neighbours <= 0 or count < 2:
        return model
    sources, targets = _candidates(model, groups, tuning.candidates, own_only=True)
    similarity = model.similarity(sources, targets)
    order = np.lexsort((targets, -similarity, sources))
    sources, targets = sources[order], targets[order]
    first = np.searchsorted(sources, sources, side="left")
    rank = np.arange(len(sources)) - first
    keep = rank < tuning.blend_neighbours
    sources, targets = sources[keep], targets[keep]
    found = np.bincount(sources, minlength=count)
    share = np.where(found > 0, tuning.blend, 0.0)
    rows = np.concatenate([np.arange(count), sources])
    cols = np.concatenate([np.arange(count), targets])
    values = np.concatenate([1 - share, (share / np.maximum(found, 1))[sources]])
    mix = sparse.csr_matrix((values, (rows, cols)), shape=(count, count))
    return replace(
        model,
        texts=(mix @ model.texts).astype(np.float32).tocsr(),
        dense=np.asarray(mix @ model.dense, dtype=np.float32),
        presence=(mix @ model.presence).astype(np.float32).tocsr(),
    )


def _hubness(similarity, sources, targets, groups, count, neighbours) -> np.ndarray:
    """Each entry's mean similarity to its closest candidates of other periods
    (of its own when there is no other period)."""
    across = groups[sources] != groups[targets]
    if not across.any():
        across = np.ones(len(sources), dtype=bool)
    hub = np.zeros(count)
    kept_sources, kept = sources[across], similarity[across]
    order = np.lexsort((-kept, kept_sources))
    kept_sources, kept = kept_sources[order], kept[order]
    starts = np.flatnonzero(np.r_[True, kept_sources[1:] != kept_sources[:-1]]) if len(kept_sources) else []
    ends = list(starts[1:]) + [len(kept_sources)]
    for begin, end in zip(starts, ends):
        hub[kept_sources[begin]] = kept[begin : min(end, begin + neighbours)].mean()
    return hub


SAMPLE_POOL = 2000  # settled entries enough to draw the sample of pairs from them alone


def _sample_pool(model: SimilarityModel) -> np.ndarray | None:
    """The entries the sample of pairs is drawn from: those of settled weeks, in
    the order of their keys (``stable_order``), when there are ``SAMPLE_POOL`` of
    them. A new day within the week then leaves the sample the same pairs of the
    same entries, and the archive's mean and spread move only as far as the
    term weights do; drawn from every entry, the new day redrew all 20,000
    pairs, and every score moved with the sample (one more day at 10,000
    entries changed the links of 659 old entries). None: every entry (a small
    archive, or one whose weeks are all new)."""
    if model.order is None or model.settled < SAMPLE_POOL:
        return None
    return model.order[: model.settled]


def _distribution(similarity, hub, groups, pool: np.ndarray | None = None) -> tuple[float, float]:
    """Mean and spread of the hub-discounted similarity over a fixed-seed sample
    of pairs across periods (any pairs when there is one period), drawn from
    ``pool`` (positions of entries, ``_sample_pool``) or from every entry."""
    count = len(groups)
    if count < 2:
        return 0.0, 1.0
    rng = np.random.default_rng(SAMPLE_SEED)
    drawn = count if pool is None else len(pool)
    sources = rng.integers(0, drawn, SAMPLE_PAIRS)
    targets = rng.integers(0, drawn, SAMPLE_PAIRS)
    if pool is not None:
        sources, targets = pool[sources], pool[targets]
    keep = (groups[sources] != groups[targets]) if len(np.unique(groups)) > 1 else sources != targets
    sources, targets = sources[keep], targets[keep]
    if pool is not None and len(sources) < SAMPLE_PAIRS // 4:  # the settled weeks are nearly all one period
        return _distribution(similarity, hub, groups)
    if not len(sources):
        return 0.0, 1.0
    values = 2 * similarity(sources, targets) - hub[sources] - hub[targets]
    spread = float(values.std())
    return float(values.mean()), spread if spread > 1e-9 else 1.0


def nearest(
    model: SimilarityModel,
    groups: Sequence[int],
    minimum: float = 0.0,
    contexts: Sequence[int] | None = None,
    workers: int = 1,
) -> list[Mapping[int, tuple[Match, ...]]]:
    """For every entry, its related entries in each group (period), its own
    group included and itself excluded, best first: those that stand out
    (``tuning.standout``) and are within ``tuning.margin`` of the best of their
    group, whose similarity is also at least ``minimum``, and whose contexts
    (each entry's live page's day, ``contexts``: a number per entry) stand out
    as alike too (``_in_context``). ``workers``: threads the candidate search
    and the scores run on; the links are the same with any number."""
    tuning = model.tuning
    groups_array = np.asarray(groups)
    count = len(groups_array)
    found: list[dict[int, tuple[Match, ...]]] = [{} for _ in range(count)]
    if count < 2:
        return [MappingProxyType(per_group) for per_group in found]
    model = blended(replace(model, workers=max(1, workers)), groups_array)
    sources, targets = _candidates(model, groups_array, tuning.candidates)
    similarity = model.similarity(sources, targets)
    hub = _hubness(similarity, sources, targets, groups_array, count, tuning.hub_neighbours)
    mean, spread = _distribution(model.similarity, hub, groups_array, _sample_pool(model))
    scores = np.round((2 * similarity - hub[sources] - hub[targets] - mean) / spread, 3)
    target_groups = groups_array[targets]
    kept = np.flatnonzero((scores >= tuning.standout) & (similarity >= minimum))
    contexts_array = None if contexts is None else np.asarray(contexts)
    kept = kept[_in_context(model, groups_array, contexts_array, sources, targets, kept)]
    # Best first; ties broken by position (oldest first), never by hashing.
    kept = kept[np.lexsort((targets[kept], -scores[kept], target_groups[kept], sources[kept]))]
    # As Python lists: a numpy scalar per step of this loop was a second at 10,000 entries.
    kept_sources, kept_groups = sources[kept].tolist(), target_groups[kept].tolist()
    kept_targets, kept_scores = targets[kept].tolist(), scores[kept].tolist()
    begin, count_kept = 0, len(kept_sources)
    while begin < count_kept:
        source, group = kept_sources[begin], kept_groups[begin]
        end = begin + 1
        while end < count_kept and kept_sources[end] == source and kept_groups[end] == group:
            end += 1
        floor = kept_scores[begin] - tuning.margin  # within the margin of the best of the group
        found[source][group] = tuple(
            Match(target, score)
            for target, score in zip(kept_targets[begin:end], kept_scores[begin:end])
            if score >= floor
        )
        begin = end
    return [MappingProxyType(per_group) for per_group in found]
