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

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

LSA_DIMENSIONS = 64
LSA_SEED = 0
LSA_SAMPLE = 3000


def _normalised(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1, norms)


def lsa(tfidf: sparse.csr_matrix) -> np.ndarray:
    """One row per entry in the archive's own latent topics (zeros when too small
    to fit). The topics are fitted on at most ``LSA_SAMPLE`` entries drawn with a
    fixed seed: enough to find a story's recurring themes, at a bounded cost."""
    from sklearn.decomposition import TruncatedSVD

    count, vocabulary = tfidf.shape
    dimensions = min(LSA_DIMENSIONS, vocabulary - 1, count - 1)
    if dimensions < 2:
        return np.zeros((count, 1), dtype=np.float32)
    svd = TruncatedSVD(n_components=dimensions, algorithm="randomized", n_iter=4, random_state=LSA_SEED)
    if count > LSA_SAMPLE:
        rows = np.sort(np.random.default_rng(LSA_SEED).choice(count, LSA_SAMPLE, replace=False))
        svd.fit(tfidf[rows])
        return _normalised(svd.transform(tfidf))
    return _normalised(svd.fit_transform(tfidf))


@lru_cache(maxsize=1)
def _wordllama():
    # Read-only model, loaded once per process: the weights never change.
    import wordllama
    from wordllama import WordLlama

    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


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
