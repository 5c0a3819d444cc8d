"""Dedup stage: exact duplicates by hash, then near-duplicates and contained copies by MinHash LSH.

Works on the cleaned main text, so pages that share only chrome or an
appended article are not duplicates. Every member of a cluster gets
`cluster_id` (its representative's id), `similarity` (estimated Jaccard to
the representative) and `cluster_size`; all but the representative are
rejected as `duplicate` with `duplicate_of` and a reason.

A fit/apply step in three parts, joined by document id:
`sketch` (per shard, where the shard is processed) turns documents into a
small table of hashes and signatures; `fit` (once, over every shard's
sketch) clusters them into `Labels`, a verdict per document id that is in a
cluster; `label_table` (per shard, in Arrow) and `label` (per document) apply
the verdicts. A kept document with no verdict is a cluster of one.
"""
from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pyarrow as pa

from pipeline.config import DedupConfig
from pipeline.dedup.clusters import components, containment, representatives, verify
from pipeline.dedup.index import Index, append_index, load_index, part_name
from pipeline.dedup.lsh import candidate_pairs
from pipeline.dedup.minhash import Signer, estimate_jaccard
from pipeline.dedup.scale import bandings, narrowed
from pipeline.dedup.sketch import Sketches, combine, fixed_width, sketch_schema
from pipeline.dedup.spread import Spread
from pipeline.dedup.spread import fit as spread_fit
from pipeline.document import DUPLICATE, KEPT, Document
from pipeline.engine import Engine
from pipeline.stage import Stage, StageStats
from pipeline.text import normalize

SIGN_BATCH = 100  # documents signed together: larger batches are no faster and hold more texts at once
SIGN_ALONE = 200_000  # characters: a text this long is signed on its own, within the document's time limit

# Normalized texts of sketch rows, {row: (shard, row in the shard's table)} -> {row: text}: the containment check
# compares a few pairs on their exact shingle sets.
TextLoader = Callable[[dict[int, tuple[int, int]]], dict[int, str]]


@dataclass(frozen=True)
class Verdict:
    """What dedup decided for one kept document."""

    status: str
    reason: str | None
    cluster_id: str | None
    duplicate_of: str | None
    similarity: float | None
    cluster_size: int | None
    first: tuple[int, int, str] | None = None  # an id read more than once: (shard, row, source) of its first reading


@dataclass
class Labels:
    """The fitted model: verdicts by shard and document id (documents in no cluster have none), and figures.

    A fit spread over partitions (`pipeline.dedup.spread`) keeps its verdicts and index rows in its files,
    read a shard at a time."""

    verdicts: dict[int, dict[str, Verdict]] = field(default_factory=dict)
    figures: dict = field(default_factory=dict)
    new_index_rows: Index | None = None  # this run's documents, for the index once the output is written
    spread: Spread | None = None

    def of_shard(self, shard: int) -> dict[str, Verdict]:
        if self.spread is None:
            return self.verdicts.get(shard, {})
        found: dict[str, Verdict] = {}
        for r in self.spread.of_shard(shard).to_pylist():  # in run order, failed documents last: the later verdict wins
            first = (r["first_shard"], r["first_row"], r["first_source"]) if r["first_shard"] is not None else None
            found[r["id"]] = Verdict(r["status"], r["reason"], r["cluster_id"], r["duplicate_of"], r["similarity"], r["cluster_size"], first)
        return found

    def index_rows(self) -> Iterator[Index]:
        """This run's documents for the index, in run order, a shard at a time."""
        if self.spread is None:
            if self.new_index_rows is not None:
                yield self.new_index_rows
            return
        for t in self.spread.new_index_parts():
            yield Index(np.array(t["id"].to_pylist(), dtype=object), np.array(t["source"].to_pylist(), dtype=object),
                        fixed_width(t["signature"], self.spread.dedup.config.num_perm), t["shingles"].to_numpy(), t["length"].to_numpy())


class DedupStage(Stage):
    name = "dedup"

    def __init__(self, config: DedupConfig) -> None:
        self.config = config
        self.signer = Signer(config.num_perm, config.seed, config.shingle_size)
        self.bandings = bandings(config)  # (bands, rows) of the Jaccard banding, then of the containment banding when on
        self.bands = self.bandings[0]
        self.containment_bands = self.bandings[1] if len(self.bandings) > 1 else None

    def for_run(self, documents: int) -> DedupStage:
        """This stage for a run of `documents` (the index's included): its containment search narrowed when the run is
        large (`pipeline.dedup.scale`)."""
        config = narrowed(self.config, documents)
        if config == self.config:
            return self
        stage = DedupStage(config)
        stage.seconds_per_document = self.seconds_per_document
        return stage

    def params(self) -> dict:
        c = self.config
        lsh = {"bands": self.bands[0], "rows": self.bands[1]}
        if self.containment_bands:
            lsh |= {"containment_bands": self.containment_bands[0], "containment_rows": self.containment_bands[1]}
        settings = {k: v for k, v in vars(c).items() if k not in _HOW_NOT_WHAT}
        return {"dedup": settings | self.signer.params() | lsh | {"incremental": bool(c.index)}}

    def run(self, docs: Iterable[Document], stats: StageStats | None = None) -> Iterator[Document]:
        """In memory: the documents are one shard."""
        stats = StageStats() if stats is None else stats
        docs = list(docs)
        start = time.perf_counter()
        labels = self.for_run(len(docs)).fit([self.sketch(docs)], lambda wanted: {r: normalize(docs[row].text) for r, (_, row) in wanted.items()})
        verdicts = labels.of_shard(0)
        for row, doc in enumerate(docs):
            self.label(doc, verdicts.get(doc.id), 0, row)
            stats.record(doc, [b.is_main for b in doc.blocks])
        stats.seconds += time.perf_counter() - start
        stats.extra = labels.figures
        self.finish(labels)
        yield from docs

    def sketch(self, docs: Sequence[Document], first_row: int = 0) -> pa.Table:
        """One shard's sketch (`pipeline.dedup.sketch`): every kept document's text hash and signature; `first_row`:
        the row of `docs[0]` in its shard (a piece of a shard).

        Documents are signed SIGN_BATCH at a time, so only that many normalized texts are held at once."""
        rows: dict[str, list] = {name: [] for name in sketch_schema(self.config.num_perm).names}
        for lo in range(0, len(docs), SIGN_BATCH):
            to_sign: list[str | tuple] = []  # a text to sign in the batch, or the signature of one signed alone
            signed_rows: list[int] = []
            for row in range(lo, min(lo + SIGN_BATCH, len(docs))):
                doc = docs[row]
                if not doc.is_kept:
                    continue
                prepared = self._prepare(doc)
                rows["id"].append(doc.id)
                rows["source"].append(doc.source)
                rows["row"].append(first_row + row)
                if prepared is None:  # failed: rejected in `doc`, and by its verdict wherever the shard is labelled
                    for name, value in {"length": None, "key": None, "signature": None, "shingles": None, "status": doc.status, "reason": doc.reason}.items():
                        rows[name].append(value)
                    continue
                text, alone = prepared
                rows["length"].append(len(text))
                rows["key"].append(hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest())
                rows["status"].append(None)
                rows["reason"].append(None)
                signed_rows.append(len(rows["signature"]))
                rows["signature"].append(None)
                rows["shingles"].append(None)
                to_sign.append(alone or text)
            at = iter(signed_rows)
            for signatures, shingles in self._sign_in_order(to_sign):
                for signature, count in zip(signatures, shingles):
                    k = next(at)
                    rows["signature"][k], rows["shingles"][k] = signature.tobytes(), int(count)
        return pa.table(rows, schema=sketch_schema(self.config.num_perm))

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

    def fit(self, sketches: Sequence[pa.Table], texts: TextLoader, exclude_index_part: str | None = None) -> Labels:
        """Cluster every shard's sketch (`sketches[k]` is shard k's) with the index of earlier runs: exact groups by
        text hash, LSH candidates, verification, connected components, one representative per cluster."""
        c = self.config
        sk = combine(sketches, c.num_perm)
        members, row_of = self._exact_groups(sk)
        index = load_index(Path(c.index), self.signer.params(), exclude_index_part) if c.index else None
        seen = len(index) if index else 0
        # Rows: the index's documents first, then this run's distinct texts.
        signatures = np.concatenate([index.signatures, sk.signatures[members]]) if index else sk.signatures[members]
        shingles = np.concatenate([index.shingles, sk.shingles[members]]) if index else sk.shingles[members]
        pairs = self._candidates(signatures, seen)
        # Loose on estimated containment here; every pair accepted on containment alone is confirmed below.
        verified = verify(pairs, signatures, shingles, c.threshold, c.containment_threshold, c.containment_min_shingles, slack=3)
        merged = self.confirm_containment(verified, shingles, np.arange(len(signatures)) < seen,
                                          lambda r: (int(sk.shards[members[r - seen]]), int(sk.rows[members[r - seen]])), texts)
        labels = components(len(signatures), merged)
        own = sk.lengths[members].astype(np.float64) if c.representative == "longest" else -members.astype(np.float64)
        priority = np.concatenate([np.full(seen, np.inf), own])  # earlier runs' documents were already emitted
        row_ids = (list(index.ids) if index else []) + [sk.ids[k] for k in members]
        row_sources = (list(index.sources) if index else []) + [sk.sources[k] for k in members]
        rep = representatives(labels, priority, np.array(row_ids, dtype=object))
        rows = seen + row_of
        # Documents per cluster: this run's (equal texts share a row, so count by document) and earlier runs'.
        n_labels = int(labels.max()) + 1 if len(labels) else 1
        cluster_size = np.bincount(labels[rows], minlength=n_labels) + np.bincount(labels[:seen], minlength=n_labels)
        model = Labels(new_index_rows=_index_rows(sk, members, index) if c.index else None)
        model.figures = {
            "exact_duplicates": len(sk) - len(members),  # documents whose text another one has too
            "candidate_pairs": len(pairs),
            "verified_pairs": len(merged),
            "index_documents_before": seen,
            "containment_min_size": c.containment_min_size,  # as searched: narrowed for a large run
        }
        first_reading: dict[str, int] = {}
        sizes = cluster_size[labels[rows]]
        for k in np.flatnonzero(sizes > 1):
            row = int(rows[k])
            rep_row = int(rep[row])
            shard, doc_id = int(sk.shards[k]), sk.ids[k]
            verdict = self.verdict(doc_id, row_ids[rep_row], row_sources[rep_row], rep_row < seen, rep_row == row, int(sizes[k]),
                                   (signatures[row], signatures[rep_row]), (shingles[row], shingles[rep_row]))
            if doc_id in first_reading:  # the same document read again: only its first reading can stay
                f = first_reading[doc_id]
                verdict = replace(verdict, first=(int(sk.shards[f]), int(sk.rows[f]), sk.sources[f]))
            first_reading.setdefault(doc_id, k)
            model.verdicts.setdefault(shard, {})[doc_id] = verdict
        for shard, doc_id, status, reason in sk.failed:
            model.verdicts.setdefault(shard, {})[doc_id] = Verdict(status, reason, None, None, None, None)
        return model

    def _exact_groups(self, sk: Sketches) -> tuple[np.ndarray, np.ndarray]:
        """(the document standing for each distinct text, the distinct text of each document), in run order."""
        row_of_key: dict[bytes, int] = {}
        members: list[int] = []
        row_of = np.empty(len(sk), dtype=np.int64)
        for k, key in enumerate(sk.keys):
            row = row_of_key.setdefault(key, len(members))
            if row == len(members):
                members.append(k)
            elif self.config.representative == "longest" and sk.ids[k] < sk.ids[members[row]]:
                members[row] = k  # equal lengths: the smaller id, whatever the order
            row_of[k] = row
        return np.array(members, dtype=np.int64), row_of

    def verdict(self, doc_id: str, rep_id: str, rep_source: str, rep_seen: bool, same_text: bool, size: int,
                signatures: tuple[np.ndarray, np.ndarray], shingles: tuple[int, int]) -> Verdict:
        """The verdict of a document in a cluster of `size`, from its text's and its representative's signatures and
        shingle counts; `rep_seen`: the representative is in the index, `same_text`: it has the document's text."""
        if rep_id == doc_id and not rep_seen:
            return Verdict(KEPT, None, rep_id, None, 1.0, size)
        jaccard = float(estimate_jaccard(*signatures))
        where = f"{rep_id} ({rep_source}, seen in an earlier run)" if rep_seen else f"{rep_id} ({rep_source})"
        similarity = jaccard
        if same_text:
            similarity, kind = 1.0, f"exact duplicate of {where}"
        elif jaccard >= self.config.threshold:
            kind = f"near-duplicate of {where}, estimated Jaccard {jaccard:.2f}"
        else:
            share = float(containment(np.array([jaccard]), np.array([shingles[0]]), np.array([shingles[1]]))[0])
            kind = f"contained in {where}: estimated containment {share:.2f}, Jaccard {jaccard:.2f}"
        return Verdict(DUPLICATE, kind, rep_id, rep_id, similarity, size)

    def _candidates(self, signatures: np.ndarray, seen: int) -> np.ndarray:
        """Pairs sharing a band in the Jaccard banding or the containment banding; none within the index."""
        found = [candidate_pairs(signatures, *banding) for banding in self.bandings]
        pairs = np.unique(np.concatenate(found), axis=0) if len(found) > 1 else found[0]
        return pairs[pairs[:, 1] >= seen]  # pairs within the index were settled by earlier runs

    def confirm_containment(self, verified, shingles: np.ndarray, is_index: np.ndarray, where: Callable[[int], tuple[int, int]],
                            texts: TextLoader) -> np.ndarray:
        """Pairs accepted on estimated containment alone, checked without slack.

        This run's texts (`where` a row's text is: its shard and row there) are compared on
        their exact shingle sets (the estimate is noisy when one document is much smaller);
        an index document's text is not at hand, so its pairs need the plain estimate to
        reach the threshold.
        """
        pairs, threshold = verified.pairs, self.config.containment_threshold
        keep = np.ones(len(pairs), dtype=bool)
        todo = np.flatnonzero(verified.jaccard < self.config.threshold)
        needed = {int(r) for k in todo for r in pairs[k] if not is_index[r]}
        loaded = texts({r: where(r) for r in needed}) if needed else {}
        for k in todo:
            a, b = (int(x) for x in pairs[k])
            if is_index[a]:
                keep[k] = containment(verified.jaccard[k : k + 1], shingles[[a]], shingles[[b]])[0] >= threshold
                continue
            hashes, counts = self.signer.shingle_hashes([loaded[a], loaded[b]])
            set_a, set_b = set(hashes[: counts[0]].tolist()), set(hashes[counts[0] :].tolist())
            keep[k] = len(set_a & set_b) / max(1, min(len(set_a), len(set_b))) >= threshold
        return pairs[keep]

    def label(self, doc: Document, verdict: Verdict | None, shard: int, row: int) -> None:
        """Apply a document's verdict (None: a cluster of one) to the kept document at `row` of `shard`."""
        if doc.is_kept:
            values = _values(doc.id, verdict, shard, row)
            for name in ("cluster_id", "duplicate_of", "similarity", "cluster_size"):
                if values[name] is not None:
                    setattr(doc, name, values[name])
            if values["status"] != KEPT:
                doc.reject(values["status"], values["reason"])

    def label_table(self, table: pa.Table, verdicts: dict[str, Verdict], shard: int) -> tuple[pa.Table, StageStats]:
        """`label` for a whole shard's table, in Arrow (the documents are not rebuilt), and the shard's figures."""
        columns = {name: table[name].to_pylist() for name in _LABELLED}
        for row, (doc_id, status) in enumerate(zip(table["id"].to_pylist(), columns["status"])):
            if status != KEPT:
                continue
            for name, value in _values(doc_id, verdicts.get(doc_id), shard, row).items():
                if value is not None:
                    columns[name][row] = value
        for name in _LABELLED:
            i = table.schema.get_field_index(name)
            table = table.set_column(i, table.schema.field(i), pa.array(columns[name], type=table.schema.field(i).type))
        stats = StageStats(documents_in=table.num_rows, statuses=Counter(columns["status"]))
        stats.documents_out = stats.statuses[KEPT]
        return table, stats

    def finish(self, labels: Labels, index_part: str | None = None) -> None:
        """After the output is written: add this run's documents to the index.

        `index_part`: the part's name (a run's own); by default one named after the documents added.
        """
        if not self.config.index:
            return
        rows = labels.new_index_rows
        name = index_part or part_name(hashlib.sha256("\n".join(rows.ids.tolist() if rows is not None else []).encode()).hexdigest())
        append_index(Path(self.config.index), labels.index_rows(), self.signer.params(), name)

    def fit_spread(self, spread: Spread, engine: Engine) -> Labels:
        """`fit` as jobs on `engine` over the files of `spread` (the sketches, the index): the same verdicts."""
        return Labels(figures=spread_fit(spread, engine) | {"containment_min_size": self.config.containment_min_size}, spread=spread)


# Settings that change where and how the clustering runs, not its output: not in the tables' metadata.
_HOW_NOT_WHAT = ("index", "spread_above", "partitions")
_LABELLED = ("status", "reason", "cluster_id", "duplicate_of", "similarity", "cluster_size")


def _values(doc_id: str, verdict: Verdict | None, shard: int, row: int) -> dict:
    """The labelled columns of a kept document; None: leave the column as it is."""
    if verdict is None:
        return {"status": KEPT, "reason": None, "cluster_id": doc_id, "duplicate_of": None, "similarity": 1.0, "cluster_size": 1}
    if verdict.first is not None and verdict.first[:2] != (shard, row):
        reason = f"exact duplicate of {doc_id} ({verdict.first[2]}): the same document read twice"
        return {"status": DUPLICATE, "reason": reason, "cluster_id": verdict.cluster_id, "duplicate_of": doc_id, "similarity": 1.0,
                "cluster_size": verdict.cluster_size}
    return {name: getattr(verdict, name) for name in _LABELLED}


def _index_rows(sk: Sketches, members: np.ndarray, index: Index | None) -> Index:
    """This run's distinct texts not yet in the index, to add once the output is written."""
    known = set(index.ids.tolist()) if index else set()
    new = members[[sk.ids[k] not in known for k in members]] if len(members) else members
    return Index(
        ids=np.array([sk.ids[k] for k in new], dtype=object),
        sources=np.array([sk.sources[k] for k in new], dtype=object),
        signatures=sk.signatures[new],
        shingles=sk.shingles[new],
        lengths=sk.lengths[new],
    )


def _require_extracted(doc: Document) -> None:
    raise ValueError("HTML not extracted: run the boilerplate stage first")
