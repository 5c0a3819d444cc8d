"""Dedup stage: exact duplicates by hash, near-duplicates by MinHash LSH, clustered by union-find."""
from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator

from datasketch import MinHashLSH

from pipeline.config import DedupConfig
from pipeline.dedup import minhash
from pipeline.dedup.clusters import UnionFind, representative
from pipeline.document import DUPLICATE, Document
from pipeline.stage import Stage
from pipeline.text import normalize


class DedupStage(Stage):
    name = "dedup"

    def __init__(self, config: DedupConfig) -> None:
        super().__init__()
        self.config = config
        lsh = MinHashLSH(threshold=config.threshold, num_perm=config.num_perm)
        self.bands, self.rows = lsh.b, lsh.r  # datasketch's optimal split for the threshold

    def params(self) -> dict:
        c = self.config
        return {
            "dedup": minhash.params(c.num_perm, c.seed, c.shingle_size)
            | {"threshold": c.threshold, "bands": self.bands, "rows": self.rows}
        }

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        docs = list(docs)
        start = time.perf_counter()
        for doc in docs:
            if doc.html is not None and doc.is_kept:
                self.guarded(doc, _require_blocks)
        kept = [d for d in docs if d.is_kept]
        self._cluster(kept)
        self.stats.seconds += time.perf_counter() - start
        for doc in docs:
            self.stats.record(doc, [b.is_main for b in doc.blocks])
            yield doc

    def _cluster(self, docs: list[Document]) -> None:
        """Set cluster fields on every document; reject all but each cluster's representative."""
        c = self.config
        texts = [normalize(d.text) for d in docs]
        found = UnionFind(len(docs))
        first_of: dict[bytes, int] = {}
        canonical = []  # index of the first document with the same normalized text
        for i, text in enumerate(texts):
            key = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
            canonical.append(first_of.setdefault(key, i))
            found.union(canonical[i], i)
        unique = sorted(set(canonical))
        signatures = {i: minhash.signature(minhash.shingles(texts[i], c.shingle_size), c.num_perm, c.seed).hashvalues for i in unique}
        lsh = MinHashLSH(threshold=c.threshold, num_perm=c.num_perm)
        for i in unique:
            sketch = minhash.as_minhash(signatures[i], c.seed)
            for j in lsh.query(sketch):
                if minhash.estimate_jaccard(signatures[i], signatures[j]) >= c.threshold:
                    found.union(i, j)
            lsh.insert(i, sketch)
        for members in found.groups():
            rep = representative(members, lambda i: len(texts[i]), lambda i: docs[i].id)
            for i in members:
                doc = docs[i]
                doc.cluster_id, doc.cluster_size, doc.similarity = docs[rep].id, len(members), 1.0
                if i == rep:
                    continue
                exact = canonical[i] == canonical[rep]
                if not exact:
                    doc.similarity = minhash.estimate_jaccard(signatures[canonical[i]], signatures[canonical[rep]])
                kind = "exact duplicate" if exact else "near-duplicate"
                doc.duplicate_of = docs[rep].id
                doc.reject(DUPLICATE, f"{kind} of {docs[rep].id} ({docs[rep].source}), estimated Jaccard {doc.similarity:.2f}")


def _require_blocks(doc: Document) -> None:
    raise ValueError("HTML not extracted: run the boilerplate stage first")
