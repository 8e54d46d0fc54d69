"""Variants of the cross-link scoring tried for issue 12, on every judged set at once.

    python -m bench.links_variants [--judged FILE ...]

A measuring tool, not the site's code: on the seeds' 60 entries it builds the
site's signals (``links.fit``: TF-IDF, LSA, WordLlama, shared names), takes full
n x n matrices instead of the bounded candidate search, and applies the site's
rule (hubs discounted, standard deviations over the archive's pairs across
periods, standout 1.6, margin 1, three per period; not the context check,
which reads the archive's days). Its numbers for "site" are close to, not
equal to, ``links_eval``'s. For each variant and each judged set
and direction, with the gazetteer (G) and without (-), it prints
hit@3/false links/precision and the pair AUC (how often an acceptable pair
outscores an unacceptable one; threshold-free). docs/briefing.md, "What was
tried", reads the results.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from bench.links_eval import JUDGED, ROOT, judged_sets, load

STANDOUT, MARGIN, PER_PERIOD, HUB = 1.6, 1.0, 3, 5


def _normalised(rows) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float64)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1, norms)


class Signals:
    """The site's signals for one gazetteer setting, as full matrices."""

    def __init__(self, archive, content: Path, gazetteer: bool, text=None):
        from pelican.plugins.briefings.annotate import briefing, links, meaning
        from pelican.plugins.briefings.annotate.entities import load_gazetteer

        found, _ = load_gazetteer(content / ("entities.yaml" if gazetteer else "no-gazetteer-for-this-run.yaml"))
        texts = [(text or briefing.entry_text)(post.entry) for post in archive.posts]
        self.words = links.vectorise(texts)
        entities, blanked, _ = briefing.find_entities(archive, found, True, self.words)
        kinds = {e.slug: e.kind for es in entities for e in es}
        model = links.fit(blanked, [[e.slug for e in es] for es in entities], kinds, originals=texts, words=self.words)
        split = meaning.lsa(self.words.rows, self.words.vocabulary).shape[1]
        self.tfidf = _normalised(self.words.rows.toarray())
        self.lsa, self.wordllama = _normalised(model.dense[:, :split]), _normalised(model.dense[:, split:])
        weighted = model.presence.multiply(model.name_weights[None, :]).T
        self.evidence = np.asarray((model.presence @ weighted).todense())

    def similarity(self, tfidf=None, lsa=None, wordllama=None) -> np.ndarray:
        rows = [self.tfidf if tfidf is None else tfidf, self.lsa if lsa is None else lsa]
        rows.append(self.wordllama if wordllama is None else wordllama)
        return sum(r @ r.T for r in rows) / 3 + 0.1 * (1 - np.exp(-self.evidence))


def scores(similarity: np.ndarray, periods: np.ndarray) -> np.ndarray:
    """Hubs discounted, in standard deviations over the pairs across periods."""
    across = periods[:, None] != periods[None, :]
    hub = np.sort(np.where(across, similarity, -np.inf), axis=1)[:, -HUB:].mean(axis=1)
    value = 2 * similarity - hub[:, None] - hub[None, :]
    return (value - value[across].mean()) / value[across].std()


def smoothed(similarity: np.ndarray, periods: np.ndarray, k: int = 5, share: float = 0.5) -> np.ndarray:
    """Each side of a pair blended with its k closest entries of its own period."""
    count = len(periods)
    blend = (1 - share) * np.eye(count)
    for a in range(count):
        own = np.flatnonzero((periods == periods[a]) & (np.arange(count) != a))
        blend[a, own[np.argsort(-similarity[a, own], kind="stable")[:k]]] += share / k
    return blend @ similarity @ blend.T


def passage_best(archive, width: int = 2) -> np.ndarray:
    """For each pair of entries, the best pair of their passages (the title and
    ``width`` consecutive paragraphs), under the mean of the three signals."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    from pelican.plugins.briefings.annotate import briefing, links, meaning

    whole = [briefing.entry_text(post.entry) for post in archive.posts]
    texts, owner = [], []
    for n, text in enumerate(whole):
        title, *body = [part for part in text.split("\n\n") if part.strip()]
        body = body or [""]
        for start in range(max(1, len(body) - width + 1)):
            texts.append(title + "\n\n" + "\n\n".join(body[start : start + width]))
            owner.append(n)
    owner = np.asarray(owner)
    vectorizer = TfidfVectorizer(analyzer=links.terms, sublinear_tf=True).fit(whole)
    rows = vectorizer.transform(texts).tocsr().astype(np.float32)
    svd = TruncatedSVD(32, random_state=0).fit(vectorizer.transform(whole))
    signals = [_normalised(rows.toarray()), _normalised(svd.transform(rows))]
    signals.append(_normalised(meaning.embeddings(rows, list(vectorizer.get_feature_names_out()), vectorizer.idf_)))
    pairs = sum(r @ r.T for r in signals) / 3
    count = len(archive.posts)
    best = np.empty((count, count))
    for a in range(count):
        mine = pairs[owner == a]
        for b in range(count):
            best[a, b] = mine[:, owner == b].max()
    return best


def coverage(s: Signals, periods: np.ndarray) -> np.ndarray:
    """For each entry and period, the share of the entry's TF-IDF mass on terms
    that period uses at all (how much of what it says the period could answer)."""
    rows = s.words.rows.tocsr()
    used = {p: np.asarray((rows[periods == p] > 0).sum(axis=0)).ravel() > 0 for p in np.unique(periods)}
    out = np.zeros((len(periods), len(periods)))
    for a in range(len(periods)):
        cols, mass = rows[a].indices, rows[a].data ** 2
        for p, terms in used.items():
            out[a, periods == p] = (mass * terms[cols]).sum() / max(mass.sum(), 1e-12)
    return out


def both_ends_calibrated(similarity: np.ndarray, periods: np.ndarray, standout: float) -> np.ndarray:
    """Each pair in standard deviations above the mean of both ends' own pairs
    across periods (the mean of the two z-scores), instead of hubs discounted
    and the archive's distribution: how unusual the pair is for each entry.
    Scaled so that ``standout`` deviations fall on the site's rule (1.6)."""
    across = periods[:, None] != periods[None, :]
    own = np.where(across, similarity, np.nan)
    mean, spread = np.nanmean(own, axis=1), np.nanstd(own, axis=1)
    spread = np.where(spread > 1e-9, spread, 1.0)
    value = ((similarity - mean[:, None]) / spread[:, None] + (similarity - mean[None, :]) / spread[None, :]) / 2
    return value * STANDOUT / standout


def mutual(score: np.ndarray, periods: np.ndarray, k: int) -> np.ndarray:
    """Only pairs in which each end is among the other's ``k`` best of its period."""
    rank = np.zeros_like(score)
    for a in range(len(periods)):
        for period in np.unique(periods[periods != periods[a]]):
            others = np.flatnonzero(periods == period)
            rank[a, others[np.argsort(-score[a, others], kind="stable")]] = np.arange(len(others))
    return np.where((rank < k) & (k > rank.T), score, -np.inf)


def lower_end_calibrated(similarity: np.ndarray, periods: np.ndarray, standout: float) -> np.ndarray:
    """As ``both_ends_calibrated``, but the lower of the two z-scores: a pair must
    be unusual for both of its entries."""
    across = periods[:, None] != periods[None, :]
    own = np.where(across, similarity, np.nan)
    mean, spread = np.nanmean(own, axis=1), np.nanstd(own, axis=1)
    spread = np.where(spread > 1e-9, spread, 1.0)
    value = np.minimum((similarity - mean[:, None]) / spread[:, None], (similarity - mean[None, :]) / spread[None, :])
    return value * STANDOUT / standout


def actors_and_deeds(texts) -> np.ndarray:
    """Cosines of "who does what": each sentence's capitalised words (names,
    nationalities) paired with its lower-case content words ("British|troops",
    "Russian|troops"), TF-IDF over those pairs. Meant to tell whose troops."""
    import re

    from sklearn.feature_extraction.text import TfidfVectorizer

    from pelican.plugins.briefings.annotate import links

    def pairs(text):
        found = []
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
            words = re.findall(r"[A-Za-z][A-Za-z'-]+", sentence)
            names = {w for w in words if w[0].isupper() and w.lower() not in links.stop_words()}
            deeds = {w for w in words if w.islower() and len(w) > 3 and w not in links.stop_words()}
            found += [f"{name}|{deed}" for name in names for deed in deeds]
        return found

    rows = _normalised(TfidfVectorizer(analyzer=pairs, sublinear_tf=True, min_df=2).fit_transform(texts).toarray())
    return rows @ rows.T


def shown(score: np.ndarray, periods: np.ndarray, a: int, direction: str) -> list[int]:
    others = np.flatnonzero(periods < periods[a] if direction == "then" else periods > periods[a])
    order = [int(b) for b in others[np.argsort(-score[a, others], kind="stable")] if score[a, b] >= STANDOUT]
    return [b for b in order if score[a, b] >= score[a, order[0]] - MARGIN][:PER_PERIOD] if order else []


def measure(score, periods, titles, index, rows) -> str:
    parts = []
    for direction in ("then", "later"):
        mine = [row for row in rows if row[0] == direction]
        if not mine:
            continue
        hits = positives = falses = negatives = good = total = above = pairs = 0
        for _, post, acceptable in mine:
            a = index[post.id]
            titles_shown = [titles[b] for b in shown(score, periods, a, direction)]
            total += len(titles_shown)
            good += sum(title in acceptable for title in titles_shown)
            positives += bool(acceptable)
            hits += bool(acceptable) and any(title in acceptable for title in titles_shown)
            negatives += not acceptable
            falses += not acceptable and bool(titles_shown)
            others = np.flatnonzero(periods < periods[a] if direction == "then" else periods > periods[a])
            yes = [score[a, b] for b in others if titles[b] in acceptable]
            no = [score[a, b] for b in others if titles[b] not in acceptable]
            for g in yes:
                for b in no:
                    above += 1.0 if g > b else 0.5 if g == b else 0.0
                    pairs += 1
        parts.append(
            f"{direction[0]} {hits / max(positives, 1):.2f}/{falses / max(negatives, 1):.2f}/"
            f"{good / max(total, 1):.2f} auc {above / max(pairs, 1):.2f}"
        )
    return "  ".join(parts)


def main(argv=None) -> int:
    from sklearn.decomposition import TruncatedSVD

    from pelican.plugins.briefings.model import Figure

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--judged", type=Path, nargs="+", default=[JUDGED, ROOT / "bench" / "judged-dev.json"])
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    args = parser.parse_args(argv)
    archive = load(args.content)
    periods = np.asarray([post.entry.day.year for post in archive.posts])
    titles = [post.entry.title for post in archive.posts]
    index = {post.id: n for n, post in enumerate(archive.posts)}
    sets = {path.name: judged_sets(json.loads(path.read_text(encoding="utf-8")), archive) for path in args.judged}

    def no_pictures(entry):
        from pelican.plugins.briefings.annotate.briefing import entry_text

        return entry_text(replace(entry, blocks=tuple(b for b in entry.blocks if not isinstance(b, Figure))))

    signals = {g: Signals(archive, args.content, g) for g in (True, False)}
    pictures = {g: Signals(archive, args.content, g, no_pictures) for g in (True, False)}

    def lsa(s, k):
        return _normalised(TruncatedSVD(n_components=k, random_state=0).fit_transform(s.words.rows))

    def centred(rows):
        return _normalised(rows - rows.mean(axis=0))

    def words_of(s, pairs):
        keep = np.asarray([(" " in term) == pairs for term in s.words.vocabulary])
        return _normalised(s.words.rows.toarray()[:, keep])

    passages = {g: passage_best(archive) for g in (True, False)}
    from pelican.plugins.briefings.annotate.briefing import entry_text

    actors = actors_and_deeds([entry_text(post.entry) for post in archive.posts])
    covered = {g: coverage(signals[g], periods) for g in (True, False)}
    variants = {
        "site": lambda s, g: s.similarity(),
        "passages (best pair of title + 2 paragraphs), 0.3 of the score": lambda s, g: (
            0.7 * s.similarity() + 0.3 * passages[g]
        ),
        "words: single words only": lambda s, g: s.similarity(tfidf=words_of(s, False)),
        "words: pairs of words only": lambda s, g: s.similarity(tfidf=words_of(s, True)),
        "times the coverage of both ends, square root": lambda s, g: (
            s.similarity() * np.sqrt(covered[g] * covered[g].T)
        ),
        "lsa 16 dimensions": lambda s, g: s.similarity(lsa=lsa(s, 16)),
        "wordllama centred": lambda s, g: s.similarity(wordllama=centred(s.wordllama)),
        "all dense centred": lambda s, g: s.similarity(lsa=centred(s.lsa), wordllama=centred(s.wordllama)),
        "no picture text": lambda s, g: pictures[g].similarity(),
        "own-period smoothing": lambda s, g: smoothed(s.similarity(), periods),
        "who does what (name|word pairs per sentence), 0.5 of a fourth signal": lambda s, g: (
            (3 * s.similarity() + 0.5 * actors) / 3.5
        ),
        "who does what, 1 of a fourth signal": lambda s, g: (3 * s.similarity() + actors) / 4,
    }
    # 2026-12-07 (late): ways to show fewer links where one period has no counterpart.
    filters = {
        "a shared name or key phrase required (any evidence)": lambda score, s: np.where(
            s.evidence > 0, score, -np.inf
        ),
        "mutual: each end among the other's 3 best of its period": lambda score, s: mutual(score, periods, 3),
        "mutual: each end among the other's 5 best of its period": lambda score, s: mutual(score, periods, 5),
        "shown only where the own-period blend (5 closest, half) also stands out by 1": lambda score, s: np.where(
            scores(smoothed(s.similarity(), periods), periods) >= 1.0, score, -np.inf
        ),
    }
    calibrated = {f"both ends' own pairs, z at {standout}": standout for standout in (1.3, 1.6, 2.0)}
    lower = {f"both ends' own pairs, the lower z, at {standout}": standout for standout in (1.3, 1.6)}

    def report(name: str, score_of) -> None:
        """``score_of(gazetteer)``: the scores of every pair, as the site's rule reads them."""
        line = []
        for g in (True, False):
            score = score_of(g)
            for label, rows in sets.items():
                line.append(f"{'G' if g else '-'} {label}: {measure(score, periods, titles, index, rows)}")
        print(f"{name}\n    " + "\n    ".join(line))

    for name, build in variants.items():
        report(name, lambda g, build=build: scores(build(signals[g], g), periods))
    for name, keep in filters.items():  # on top of the site's score
        report(name, lambda g, keep=keep: keep(scores(signals[g].similarity(), periods), signals[g]))
    for name, standout in lower.items():
        report(name, lambda g, standout=standout: lower_end_calibrated(signals[g].similarity(), periods, standout))
    for name, standout in calibrated.items():  # instead of the site's calibration, not on top of it
        report(name, lambda g, standout=standout: both_ends_calibrated(signals[g].similarity(), periods, standout))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
