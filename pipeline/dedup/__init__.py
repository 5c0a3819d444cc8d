"""Dedup stage: exact duplicates by hash, then near-duplicates and contained copies by MinHash LSH.

Works on the cleaned main text, so pages that share only chrome or an
appended article are not duplicates. Every member of a cluster gets
`cluster_id` (its representative's id), `similarity` (estimated Jaccard to
the representative) and `cluster_size`; all but the representative are
rejected as `duplicate` with `duplicate_of` and a reason.

Two passes over the documents, shard by shard, so only signatures stay in
memory: `plan` computes signatures and clusters, `apply` labels a shard.
"""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from pipeline.config import DedupConfig
from pipeline.dedup.clusters import components, containment, representatives, verify
from pipeline.dedup.index import Index, append_index, load_index, part_name
from pipeline.dedup.lsh import candidate_pairs, optimal_bands
from pipeline.dedup.minhash import Signer, estimate_jaccard
from pipeline.document import DUPLICATE, Document
from pipeline.stage import Stage
from pipeline.text import normalize

SIGN_BATCH = 1000
SIGN_ALONE = 200_000  # characters: a text this long is signed on its own, within the document's time limit

# Shards of documents, loadable again by number (the containment check re-reads a few texts).
ShardLoader = Callable[[int], list[Document]]


@dataclass
class Sketches:
    """Pass 1 over the run: per kept document (in run order) and per distinct text."""

    positions: list[int] = field(default_factory=list)  # run-wide position of each kept document
    ids: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)  # normalized text length
    where: list[tuple[int, int]] = field(default_factory=list)  # (shard, offset)
    row_of: list[int] = field(default_factory=list)  # signature row of each kept document
    members: list[int] = field(default_factory=list)  # the kept document standing for each row
    signatures: np.ndarray | None = None
    shingles: np.ndarray | None = None
    failed: dict[int, tuple[str, str]] = field(default_factory=dict)  # position: (status, reason) of a failed document


@dataclass
class Plan:
    """The clustering of every kept document, by its position in the run (over all shards)."""

    positions: np.ndarray  # run-wide position of each kept document, ascending
    row: np.ndarray  # its signature row (documents with equal text share one)
    rep: np.ndarray  # representative row of each row
    cluster_size: np.ndarray  # documents per cluster label, earlier runs included
    labels: np.ndarray  # cluster label of each row
    signatures: np.ndarray
    shingles: np.ndarray
    row_ids: list[str]  # id and source of the document each row stands for
    row_sources: list[str]
    seen: int  # rows before this come from the index of earlier runs
    figures: dict
    new_index_rows: Index | None  # this run's documents, for the index once the output is written
    failed: dict[int, tuple[str, str]] = field(default_factory=dict)  # documents pass 1 rejected, by position


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
        """In memory: the documents are one shard."""
        docs = list(docs)
        plan = self.plan(1, lambda k: docs)
        yield from self.apply(docs, plan, first=0)
        self.finish(plan)

    def plan(self, shard_count: int, load: ShardLoader, exclude_index_part: str | None = None) -> Plan:
        """Pass 1 and clustering: signatures of every kept document of every shard, then LSH and components."""
        start = time.perf_counter()
        plan = self._cluster(self._sketch(shard_count, load), load, exclude_index_part)
        self.stats.seconds += time.perf_counter() - start
        return plan

    def _sketch(self, shard_count: int, load: ShardLoader) -> Sketches:
        """Pass 1: every kept document's text hash, and a signature per distinct text."""
        sk = Sketches()
        row_of_key: dict[bytes, int] = {}
        signatures, shingles = [], []
        first = 0  # run-wide position of the shard's first document
        for shard in range(shard_count):
            to_sign: list[str | tuple] = []  # a text to sign in a batch, or the signature of one signed alone
            docs = load(shard)
            for offset, doc in enumerate(docs):
                if not doc.is_kept:
                    continue
                prepared = self._prepare(doc)
                if prepared is None:  # rejected here; pass 2 loads the shard again and must reject it too
                    sk.failed[first + offset] = (doc.status, doc.reason or "")
                    continue
                text, signed = prepared
                k = len(sk.positions)
                sk.positions.append(first + offset)
                sk.ids.append(doc.id)
                sk.sources.append(doc.source)
                sk.lengths.append(len(text))
                sk.where.append((shard, offset))
                key = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
                if key not in row_of_key:
                    row_of_key[key] = len(sk.members)
                    sk.members.append(k)
                    to_sign.append(signed or text)
                elif self._wins(k, sk.members[row_of_key[key]], sk.ids):
                    sk.members[row_of_key[key]] = k
                sk.row_of.append(row_of_key[key])
            first += len(docs)
            for sig, sh in self._sign_in_order(to_sign):
                signatures.append(sig)
                shingles.append(sh)
        sk.signatures = np.concatenate(signatures) if signatures else np.empty((0, self.config.num_perm), dtype=np.uint32)
        sk.shingles = np.concatenate(shingles) if shingles else np.empty(0, dtype=np.int64)
        return sk

    def _prepare(self, doc: Document) -> tuple[str, tuple | None] | None:
        """A kept document's normalized text, and its signature when the text is long enough to sign alone;
        None when the document failed (it is rejected as an error), under the per-document time limit."""
        prepared = []

        def step(d: Document) -> None:
            if d.html is not None:
                _require_extracted(d)
            text = normalize(d.text)
            prepared.append((text, self.signer.sign([text]) if len(text) > SIGN_ALONE else None))

        self.guarded(doc, step)
        return prepared[0] if prepared and doc.is_kept else None

    def _sign_in_order(self, items: Sequence[str | tuple]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Signatures of `items` in order: texts in batches, signatures of long texts as they are."""
        batch: list[str] = []
        for item in items:
            if isinstance(item, str):
                batch.append(item)
                if len(batch) < SIGN_BATCH:
                    continue
            if batch:
                yield self.signer.sign(batch)
                batch = []
            if not isinstance(item, str):
                yield item
        if batch:
            yield self.signer.sign(batch)

    def _wins(self, k: int, current: int, ids: list[str]) -> bool:
        """Among documents with equal text, the representative policy's choice (equal lengths: id or order)."""
        return self.config.representative == "longest" and ids[k] < ids[current]

    def _cluster(self, sk: Sketches, load: ShardLoader, exclude: str | None) -> Plan:
        """LSH over this run's distinct texts and the index of earlier runs, verification, components."""
        c = self.config
        index = load_index(Path(c.index), self.signer.params(), exclude) if c.index else None
        seen = len(index) if index else 0
        members = np.array(sk.members, dtype=np.int64)
        lengths = np.array(sk.lengths, dtype=np.int64)
        # Rows: the index's documents first, then this run's unique texts.
        all_signatures = np.concatenate([index.signatures, sk.signatures]) if index else sk.signatures
        all_shingles = np.concatenate([index.shingles, sk.shingles]) if index else sk.shingles
        pairs = self._candidates(all_signatures, seen)
        # Loose on estimated containment here; every pair accepted on containment alone is confirmed below.
        verified = verify(pairs, all_signatures, all_shingles, c.threshold, c.containment_threshold, c.containment_min_shingles, slack=3)
        merged = self._confirm_containment(verified, all_shingles, seen, members, sk.where, load)
        labels = components(len(all_signatures), merged)
        if c.representative == "longest":
            own = lengths[members].astype(np.float64) if len(members) else np.empty(0)
        else:
            own = -members.astype(np.float64)
        priority = np.concatenate([np.full(seen, np.inf), own])  # earlier runs' documents were already emitted
        row_ids = (list(index.ids) if index else []) + [sk.ids[k] for k in members]
        row_sources = (list(index.sources) if index else []) + [sk.sources[k] for k in members]
        rep = representatives(labels, priority, np.array(row_ids, dtype=object))
        rows = seen + np.array(sk.row_of, dtype=np.int64)
        # Documents per cluster: this run's (equal texts share a row, so count by document) and earlier runs'.
        n_labels = int(labels.max()) + 1 if len(labels) else 1
        cluster_size = np.bincount(labels[rows], minlength=n_labels) + np.bincount(labels[:seen], minlength=n_labels)
        new_rows = _index_rows(sk, members, lengths, index) if c.index else None
        figures = {
            "exact_duplicates": len(sk.positions) - len(sk.members),  # documents whose text another one has too
            "candidate_pairs": int(len(pairs)),
            "verified_pairs": int(len(merged)),
            "index_documents_before": seen,
        }
        positions = np.array(sk.positions, dtype=np.int64)
        return Plan(positions, rows, rep, cluster_size, labels, all_signatures, all_shingles, row_ids, row_sources, seen, figures, new_rows, sk.failed)

    def _candidates(self, signatures: np.ndarray, seen: int) -> np.ndarray:
        """Pairs sharing a band in the Jaccard banding or the containment banding; none within the index."""
        pairs = candidate_pairs(signatures, *self.bands)
        if self.containment_bands:
            more = candidate_pairs(signatures, *self.containment_bands)
            pairs = np.unique(np.concatenate([pairs, more]), axis=0) if len(more) else pairs
        return pairs[pairs[:, 1] >= seen]  # pairs within the index were settled by earlier runs

    def _confirm_containment(self, verified, shingles, seen: int, members, where, load: ShardLoader) -> np.ndarray:
        """Pairs accepted on estimated containment alone, checked without slack.

        This run's texts are compared on their exact shingle sets (the estimate is
        noisy when one document is much smaller); an index document's text is not
        at hand, so its pairs need the plain estimate to reach the threshold.
        """
        pairs, threshold = verified.pairs, self.config.containment_threshold
        keep = np.ones(len(pairs), dtype=bool)
        todo = np.flatnonzero(verified.jaccard < self.config.threshold)
        needed = {int(r) for k in todo for r in pairs[k] if r >= seen}
        texts = _load_texts({r: where[members[r - seen]] for r in needed}, load)
        for k in todo:
            a, b = (int(x) for x in pairs[k])
            if a < seen:
                keep[k] = containment(verified.jaccard[k : k + 1], shingles[[a]], shingles[[b]])[0] >= threshold
                continue
            hashes, counts = self.signer.shingle_hashes([texts[a], texts[b]])
            set_a, set_b = set(hashes[: counts[0]].tolist()), set(hashes[counts[0] :].tolist())
            keep[k] = len(set_a & set_b) / max(1, min(len(set_a), len(set_b))) >= threshold
        return pairs[keep]

    def apply(self, docs: Sequence[Document], plan: Plan, first: int) -> Iterator[Document]:
        """Pass 2: label one shard's documents; `first` is its first document's run-wide position."""
        start = time.perf_counter()
        for offset, doc in enumerate(docs):
            if first + offset in plan.failed:
                doc.reject(*plan.failed[first + offset])
            if doc.is_kept:
                k = int(np.searchsorted(plan.positions, first + offset))
                self._label(doc, plan, int(plan.row[k]))
            self.stats.record(doc, [b.is_main for b in doc.blocks])
        self.stats.seconds += time.perf_counter() - start
        yield from docs

    def finish(self, plan: Plan, index_part: str | None = None) -> None:
        """After the output is written: record the figures and add this run's documents to the index.

        `index_part`: the part's name (a run's own); by default one named after the documents added.
        """
        self.stats.extra = plan.figures
        rows = plan.new_index_rows
        if rows is not None:
            name = index_part or part_name(hashlib.sha256("\n".join(rows.ids.tolist()).encode()).hexdigest())
            append_index(Path(self.config.index), rows, self.signer.params(), name)

    def _label(self, doc: Document, plan: Plan, row: int) -> None:
        rep_row = int(plan.rep[row])
        rep_id, rep_source = plan.row_ids[rep_row], plan.row_sources[rep_row]
        doc.cluster_id, doc.cluster_size, doc.similarity = rep_id, int(plan.cluster_size[plan.labels[row]]), 1.0
        if rep_id == doc.id and rep_row >= plan.seen:
            return
        jaccard = float(estimate_jaccard(plan.signatures[row], plan.signatures[rep_row]))
        doc.duplicate_of = rep_id
        where = f"{rep_id} ({rep_source})" if rep_row >= plan.seen else f"{rep_id} ({rep_source}, seen in an earlier run)"
        if rep_row == row:
            kind = f"exact duplicate of {where}"
        elif jaccard >= self.config.threshold:
            doc.similarity, kind = jaccard, f"near-duplicate of {where}, estimated Jaccard {jaccard:.2f}"
        else:
            share = float(containment(np.array([jaccard]), plan.shingles[[row]], plan.shingles[[rep_row]])[0])
            doc.similarity, kind = jaccard, f"contained in {where}: estimated containment {share:.2f}, Jaccard {jaccard:.2f}"
        doc.reject(DUPLICATE, kind)


def containment_floor(config: DedupConfig) -> float:
    """The lowest Jaccard a contained copy of the smallest searched size can have."""
    t, ratio = config.containment_threshold, config.containment_min_size
    return t * ratio / (1 + ratio - t * ratio)


def _index_rows(sk: Sketches, members: np.ndarray, lengths: np.ndarray, index: Index | None) -> Index:
    """This run's distinct texts not yet in the index, to add once the output is written."""
    known = set(index.ids.tolist()) if index else set()
    new = np.array([r for r, k in enumerate(members) if sk.ids[k] not in known], dtype=np.int64)
    return Index(
        ids=np.array([sk.ids[members[r]] for r in new], dtype=object),
        sources=np.array([sk.sources[members[r]] for r in new], dtype=object),
        signatures=sk.signatures[new] if len(new) else sk.signatures[:0],
        shingles=sk.shingles[new] if len(new) else sk.shingles[:0],
        lengths=lengths[members[new]] if len(new) else np.empty(0, np.int64),
    )


def _load_texts(wanted: dict[int, tuple[int, int]], load: ShardLoader) -> dict[int, str]:
    """Normalized texts of the rows in `wanted` ({row: (shard, offset)}), loading each shard once."""
    texts: dict[int, str] = {}
    by_shard: dict[int, list[tuple[int, int]]] = {}
    for row, (shard, offset) in wanted.items():
        by_shard.setdefault(shard, []).append((row, offset))
    for shard, items in sorted(by_shard.items()):
        docs = load(shard)
        for row, offset in items:
            texts[row] = normalize(docs[offset].text)
    return texts


def _require_extracted(doc: Document) -> None:
    raise ValueError("HTML not extracted: run the boilerplate stage first")
