"""Dedup stage: exact duplicates by hash, then near-duplicates and contained copies by MinHash LSH.

Works on the cleaned main text, so pages that share only chrome or an
appended article are not duplicates. Every member of a cluster gets
`cluster_id` (its representative's id), `similarity` (estimated Jaccard to
the representative) and `cluster_size`; all but the representative are
rejected as `duplicate` with `duplicate_of` and a reason.
"""
from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from pipeline.config import DedupConfig
from pipeline.dedup.clusters import components, containment, representatives, verify
from pipeline.dedup.index import Index, append_index, load_index
from pipeline.dedup.lsh import candidate_pairs, optimal_bands
from pipeline.dedup.minhash import Signer
from pipeline.document import DUPLICATE, Document
from pipeline.stage import Stage
from pipeline.text import normalize

SIGN_BATCH = 1000


class DedupStage(Stage):
    name = "dedup"

    def __init__(self, config: DedupConfig) -> None:
        super().__init__()
        self.config = config
        self.signer = Signer(config.num_perm, config.seed, config.shingle_size)
        self.bands = optimal_bands(config.threshold, config.num_perm)
        self.containment_bands = optimal_bands(containment_floor(config), config.num_perm) if config.containment_threshold else None

    def params(self) -> dict:
        c = self.config
        lsh = {"bands": self.bands[0], "rows": self.bands[1]}
        if self.containment_bands:
            lsh |= {"containment_bands": self.containment_bands[0], "containment_rows": self.containment_bands[1]}
        settings = {k: v for k, v in vars(c).items() if k != "index"}
        return {"dedup": settings | self.signer.params() | lsh | {"incremental": bool(c.index)}}

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        docs = list(docs)
        start = time.perf_counter()
        for doc in docs:
            if doc.html is not None and doc.is_kept:
                self.guarded(doc, _require_extracted)
        kept = [d for d in docs if d.is_kept]
        self.stats.extra = self._cluster(kept)
        self.stats.seconds += time.perf_counter() - start
        for doc in docs:
            self.stats.record(doc, [b.is_main for b in doc.blocks])
            yield doc

    def _cluster(self, docs: list[Document]) -> dict:
        c = self.config
        texts = [normalize(d.text) for d in docs]
        tie = (lambda i: docs[i].id) if c.representative == "longest" else (lambda i: i)
        canonical = _exact_groups(texts, tie)
        unique = np.unique(canonical)
        signatures, shingles = self._sign([texts[i] for i in unique])
        index = load_index(Path(c.index), self.signer.params()) if c.index else None
        seen = len(index) if index else 0
        # Rows: the index's documents first, then this run's unique texts.
        all_signatures = np.concatenate([index.signatures, signatures]) if index else signatures
        all_shingles = np.concatenate([index.shingles, shingles]) if index else shingles
        pairs = candidate_pairs(all_signatures, *self.bands)
        if self.containment_bands:
            more = candidate_pairs(all_signatures, *self.containment_bands)
            pairs = np.unique(np.concatenate([pairs, more]), axis=0) if len(more) else pairs
        pairs = pairs[pairs[:, 1] >= seen]  # pairs within the index were settled by earlier runs
        # Loose on estimated containment here; every pair accepted on containment alone is confirmed below.
        verified = verify(pairs, all_signatures, all_shingles, c.threshold, c.containment_threshold, c.containment_min_shingles, slack=3)
        merged = self._confirm_containment(verified, all_shingles, seen, unique, texts)
        labels = components(len(all_signatures), merged)
        row_of_doc = seen + np.searchsorted(unique, canonical)
        rep = representatives(labels, self._priority(index, docs, unique, texts), self._ids(index, docs, unique))
        self._label(docs, unique, canonical, row_of_doc, rep, labels, all_signatures, all_shingles, index)
        if c.index:
            append_index(Path(c.index), self._new_index_rows(index, docs, unique, texts, signatures, shingles), self.signer.params())
        return {
            "candidate_pairs": int(len(pairs)),
            "verified_pairs": int(len(merged)),
            "index_documents_before": seen,
        }

    def _confirm_containment(self, verified, shingles, seen: int, unique, texts) -> np.ndarray:
        """Pairs accepted on estimated containment alone, checked without slack.

        This run's texts are compared on their exact shingle sets (the estimate is
        noisy when one document is much smaller); an index document's text is not
        at hand, so its pairs need the plain estimate to reach the threshold.
        """
        pairs, threshold = verified.pairs, self.config.containment_threshold
        keep = np.ones(len(pairs), dtype=bool)
        for k in np.flatnonzero(verified.jaccard < self.config.threshold):
            a, b = pairs[k]
            if a < seen:
                estimate = containment(verified.jaccard[k : k + 1], shingles[[a]], shingles[[b]])[0]
                keep[k] = estimate >= threshold
                continue
            hashes, counts = self.signer.shingle_hashes([texts[unique[a - seen]], texts[unique[b - seen]]])
            set_a, set_b = set(hashes[: counts[0]].tolist()), set(hashes[counts[0] :].tolist())
            keep[k] = len(set_a & set_b) / max(1, min(len(set_a), len(set_b))) >= threshold
        return pairs[keep]

    def _sign(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        parts = [self.signer.sign(texts[i : i + SIGN_BATCH]) for i in range(0, len(texts), SIGN_BATCH)]
        if not parts:
            return np.empty((0, self.config.num_perm), dtype=np.uint32), np.empty(0, dtype=np.int64)
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def _priority(self, index: Index | None, docs, unique, texts) -> np.ndarray:
        """Higher wins; documents of earlier runs always win, since they were already emitted."""
        if self.config.representative == "longest":
            own = np.array([len(texts[i]) for i in unique], dtype=np.float64)
        else:
            own = -unique.astype(np.float64)
        earlier = np.full(len(index) if index else 0, np.inf)
        return np.concatenate([earlier, own])

    def _ids(self, index: Index | None, docs, unique) -> np.ndarray:
        own = np.array([docs[i].id for i in unique], dtype=object)
        return np.concatenate([index.ids, own]) if index else own

    def _label(self, docs, unique, canonical, row_of_doc, rep, labels, signatures, shingles, index) -> None:
        seen = len(index) if index else 0
        cluster_sizes = np.bincount(labels)
        # Documents with the same text share a row; count every one of them in their cluster.
        extra = np.bincount(labels[row_of_doc], minlength=len(cluster_sizes)) - np.bincount(labels[np.unique(row_of_doc)], minlength=len(cluster_sizes))
        cluster_sizes = cluster_sizes + extra
        for i, doc in enumerate(docs):
            row = row_of_doc[i]
            rep_row = rep[row]
            if rep_row < seen:
                rep_id, rep_source = index.ids[rep_row], index.sources[rep_row]
            else:
                rep_doc = docs[unique[rep_row - seen]]
                rep_id, rep_source = rep_doc.id, rep_doc.source
            doc.cluster_id, doc.cluster_size = rep_id, int(cluster_sizes[labels[row]])
            is_rep = rep_row == row and canonical[i] == i
            if is_rep:
                doc.similarity = 1.0
                continue
            jaccard = float(np.mean(signatures[row] == signatures[rep_row]))
            doc.similarity = 1.0 if rep_row == row else jaccard
            doc.duplicate_of = rep_id
            where = f"{rep_id} ({rep_source})" if rep_row >= seen else f"{rep_id} ({rep_source}, seen in an earlier run)"
            if rep_row == row:
                kind = f"exact duplicate of {where}"
            elif jaccard >= self.config.threshold:
                kind = f"near-duplicate of {where}, estimated Jaccard {jaccard:.2f}"
            else:
                share = float(containment(np.array([jaccard]), shingles[[row]], shingles[[rep_row]])[0])
                kind = f"contained in {where}: estimated containment {share:.2f}, Jaccard {jaccard:.2f}"
            doc.reject(DUPLICATE, kind)

    def _new_index_rows(self, index, docs, unique, texts, signatures, shingles) -> Index:
        known = set(index.ids.tolist()) if index else set()
        keep = [k for k, i in enumerate(unique) if docs[i].id not in known]
        pick = np.array(keep, dtype=np.int64)
        return Index(
            ids=np.array([docs[unique[k]].id for k in keep], dtype=object),
            sources=np.array([docs[unique[k]].source for k in keep], dtype=object),
            signatures=signatures[pick] if len(pick) else signatures[:0],
            shingles=shingles[pick] if len(pick) else shingles[:0],
            lengths=np.array([len(texts[unique[k]]) for k in keep], dtype=np.int64),
        )


def containment_floor(config: DedupConfig) -> float:
    """The lowest Jaccard a contained copy of the smallest searched size can have."""
    t, ratio = config.containment_threshold, config.containment_min_size
    return t * ratio / (1 + ratio - t * ratio)


def _exact_groups(texts: list[str], key) -> np.ndarray:
    """For each text, the member of its group of equal texts with the smallest `key`."""
    groups: dict[bytes, int] = {}
    chosen: list[int] = []
    for i, text in enumerate(texts):
        digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
        if digest not in groups or key(i) < key(groups[digest]):
            groups[digest] = i
        chosen.append(digest)
    return np.array([groups[d] for d in chosen], dtype=np.int64)


def _require_extracted(doc: Document) -> None:
    raise ValueError("HTML not extracted: run the boilerplate stage first")
