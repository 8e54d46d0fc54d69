"""Dense representations of entries, so that similar meaning counts, not only shared words.

Two, each one l2-normalised row per entry, both computed on this machine from
the archive and from what ships inside an installed package (nothing is
downloaded, ever):

- **LSA** over the archive: a truncated SVD of the TF-IDF rows, fitted with a
  fixed seed. Words that occur in the same entries ("troops", "border",
  "positioned") fall together, so two entries can match on words neither
  shares with the other.
- **WordLlama 0.4** static token embeddings (the 256-dimension model in its
  wheel): each word of the archive's vocabulary gets the average of its
  tokens' vectors, and an entry is the TF-IDF-weighted sum of its words'
  vectors, so "the situation on the front" lands near "where Russian troops are
  positioned". Embedding the vocabulary once, not every text, keeps this to a
  second at 10,000 entries, and the IDF weights keep filler words from pulling
  every entry to the same point. The wheel's
  loader looks for its bundled tokenizer under the package's own folder only
  when ``cache_dir`` points there, hence ``_wordllama``'s arguments.

Both are deterministic for the same input on the same machine; shown scores are
rounded, so last-bit differences in floating point never reach a page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

LSA_DIMENSIONS = 64
LSA_SEED = 0
LSA_SAMPLE = 3000
LSA_OVERSAMPLE = 10  # extra columns of the random start (as scikit-learn's default)
LSA_ITERATIONS = 4  # power iterations


def _normalised(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1, norms)


def lsa(tfidf: sparse.csr_matrix, vocabulary: Sequence[str], order: np.ndarray | None = None) -> np.ndarray:
    """One row per entry in the archive's own latent topics (zeros when too small
    to fit): a truncated SVD (``_topics``) fitted on at most ``LSA_SAMPLE``
    entries, the first in ``order`` (links.stable_order) or drawn with a fixed
    seed. Enough to find a story's recurring themes, at a bounded cost.

    The fit depends on the entries and terms themselves, not on their positions:
    with ``order``, the sample is the same entries after a new day (but for the
    few new ones that join it), and the SVD's random start gives each term of
    ``vocabulary`` (the columns' terms) the same numbers whatever other terms the
    archive has. A new day then moves every entry's topics only a little; with a
    start drawn by column, any new word shifted every column after it, and the
    topics of the whole archive with them (so every entry's links)."""
    count, columns = tfidf.shape
    dimensions = min(LSA_DIMENSIONS, columns - 1, count - 1)
    if dimensions < 2:
        return np.zeros((count, 1), dtype=np.float32)
    if count > LSA_SAMPLE:
        if order is not None:
            rows = np.sort(order[:LSA_SAMPLE])
        else:
            rows = np.sort(np.random.default_rng(LSA_SEED).choice(count, LSA_SAMPLE, replace=False))
        sample = tfidf[rows]
    else:
        sample = tfidf
    components = _topics(sample, _term_start(vocabulary, dimensions + LSA_OVERSAMPLE), dimensions)
    return _normalised(tfidf @ components.T)


def _topics(matrix: sparse.csr_matrix, start: np.ndarray, dimensions: int) -> np.ndarray:
    """The top ``dimensions`` right singular vectors of ``matrix`` (rows), by the
    randomized range finder (Halko, Martinsson and Tropp 2011) from ``start``
    (columns x (dimensions + oversampling)), with ``LSA_ITERATIONS`` power
    iterations, each re-orthonormalised."""
    matrix = matrix.astype(np.float64)
    basis, _ = np.linalg.qr(matrix @ start)
    for _ in range(LSA_ITERATIONS):
        across, _ = np.linalg.qr(matrix.T @ basis)
        basis, _ = np.linalg.qr(matrix @ across)
    small = np.asarray((matrix.T @ basis).T)  # basis.T @ matrix, (dimensions + oversampling) x columns
    _, _, right = np.linalg.svd(small, full_matrices=False)
    return right[:dimensions]


def _term_start(vocabulary: Sequence[str], width: int) -> np.ndarray:
    """A row of numbers in [-1, 1) per term, drawn from the term's own hash
    (splitmix64 of a blake2b digest): the same for a term in any archive."""
    seeds = np.frombuffer(
        b"".join(hashlib.blake2b(term.encode("utf-8", "surrogatepass"), digest_size=8).digest() for term in vocabulary),
        dtype="<u8",
    )
    with np.errstate(over="ignore"):
        state = seeds[:, None] + np.arange(1, width + 1, dtype=np.uint64)[None, :] * np.uint64(0x9E3779B97F4A7C15)
        state = (state ^ (state >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        state = (state ^ (state >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        state = state ^ (state >> np.uint64(31))
    return (state >> np.uint64(11)).astype(np.float64) * (2.0 / 2**53) - 1.0


@lru_cache(maxsize=1)
def _wordllama():
    # Read-only model, loaded once per annotate (release_model): the weights never change.
    import wordllama
    from wordllama import WordLlama

    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


def release_model() -> None:
    """Lets go of WordLlama's vectors (31 MiB), which nothing after annotate
    needs; the next build of the same process loads them again (0.3 s)."""
    _wordllama.cache_clear()


def embeddings(tfidf: sparse.csr_matrix, vocabulary: Sequence[str], idf: np.ndarray) -> np.ndarray:
    """One row per entry: the TF-IDF-weighted sum of its single words' WordLlama
    vectors (``vocabulary``: the TF-IDF columns' terms), l2-normalised."""
    words = [n for n, term in enumerate(vocabulary) if " " not in term]
    if not words:
        return np.zeros((tfidf.shape[0], 1), dtype=np.float32)
    vectors = _normalised(_wordllama().embed([vocabulary[n] for n in words], batch_size=1024))
    # Term frequency only (the IDF divided back out), as WordLlama's own mean of tokens.
    frequency = tfidf[:, words] @ sparse.diags(1 / idf[words])
    return _normalised(frequency @ vectors)
