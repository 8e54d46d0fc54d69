"""The ways of comparing two entries' texts that ``links_eval --candidates`` measures
side by side: today's TF-IDF, BM25 (bm25s), LSA over the archive, WordLlama's
static embeddings (weights in its wheel, loaded offline), and mixes of them.

Each returns a dense n x n similarity matrix over the (small) judged archive:
this is a measuring tool, not the site's code, which must scale.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


def entry_texts(archive) -> list[str]:
    from pelican.plugins.briefings.annotate.briefing import entry_text

    return [entry_text(post.entry) for post in archive.posts]


def _cosine(rows) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float64)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    rows = rows / np.where(norms == 0, 1, norms)
    return rows @ rows.T


def tfidf(texts):
    from pelican.plugins.briefings.annotate.links import _tfidf

    matrix, _, _ = _tfidf(texts)
    return (matrix @ matrix.T).toarray()


def bm25(texts):
    import bm25s

    from pelican.plugins.briefings.annotate.links import stop_words

    tokens = bm25s.tokenize(texts, stopwords=sorted(stop_words()), show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(tokens, show_progress=False)
    vocab = tokens.vocab
    inverse = {v: k for k, v in vocab.items()}
    scores = np.zeros((len(texts), len(texts)))
    for n, ids in enumerate(tokens.ids):
        query = [inverse[i] for i in ids]
        scores[n] = retriever.get_scores(query)
    # Symmetric and on one scale: each row divided by the text's score against itself.
    diagonal = np.maximum(np.diag(scores), 1e-9)
    scores = scores / diagonal[:, None]
    return (scores + scores.T) / 2


def lsa(texts, dims=64):
    from sklearn.decomposition import TruncatedSVD

    from pelican.plugins.briefings.annotate.links import _tfidf

    matrix, _, _ = _tfidf(texts)
    k = max(2, min(dims, matrix.shape[1] - 1, matrix.shape[0] - 1))
    reduced = TruncatedSVD(n_components=k, random_state=0).fit_transform(matrix)
    return _cosine(reduced)


def wordllama_model():
    import wordllama
    from wordllama import WordLlama

    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


def wordllama(texts):
    model = wordllama_model()
    return _cosine(model.embed(texts))


def centred(matrix):
    """Similarity less each entry's mean similarity: what is alike beyond the archive's common ground."""
    return matrix - matrix.mean(axis=1, keepdims=True) - matrix.mean(axis=0, keepdims=True) + matrix.mean()


def hub_discounted(matrix, groups):
    """As the site does (links.py): 2 x similarity less each entry's mean
    similarity to its five closest entries of other periods."""
    groups = np.asarray(groups)
    hub = np.zeros(len(matrix))
    for n in range(len(matrix)):
        others = np.flatnonzero(groups != groups[n])
        hub[n] = np.sort(matrix[n, others])[-5:].mean() if len(others) else 0.0
    return 2 * matrix - hub[:, None] - hub[None, :]


def all_methods(texts, groups):
    words, bm, topics, embedded = tfidf(texts), bm25(texts), lsa(texts), wordllama(texts)
    yield "tf-idf (today)", words
    yield "bm25 (bm25s)", bm
    yield "lsa 64", topics
    yield "wordllama 256", embedded
    yield "tf-idf + wordllama", (words + centred(embedded)) / 2
    yield "bm25 + wordllama", (bm + centred(embedded)) / 2
    yield "tf-idf+lsa+wordllama", (words + topics + embedded) / 3
    yield "the same, hub-discounted", hub_discounted((words + topics + embedded) / 3, groups)
