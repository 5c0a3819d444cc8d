"""Dedup's fit spread over partitions, for runs too large for one process: the driver holds no signatures.

The same clustering as `DedupStage.fit`, verdict for verdict, as a chain of jobs on the
engine (`pipeline.engine`). Each job reads the files routed to it, computes, and routes
rows on, to a hash partition of a key or to the *home* of a row. Homes are the index's
parts, then the shards' sketches; a row's *gid* is its home's first gid plus its row
there, so gids follow the in-driver fit's order (the index, then the run in order) and
every choice that depends on order comes out the same. A distinct text is a *node*,
named by the gid of its first reading.

 1. keys     per shard:      each kept document's text hash -> a key partition
 2. groups   per partition:  exact groups; every document with its node -> the node's home
 3. known    per partition:  with an index, the nodes the index has not seen -> the node's home
 4. bands    per home:       every node's band keys, both bandings -> a band partition
 5. pairs    per partition:  candidate pairs, band by band as `lsh.candidate_pairs` makes them -> home of the left node
 6. left     per home:       unique pairs with the left node's signature -> home of the right node
 7. verify   per home:       verified pairs, contained copies confirmed on their text -> edges
    components, in the driver: it holds the edges (16 bytes each), never a signature
 8. order    per home:       each clustered node's priority -> its component's partition
 9. reps     per partition:  each component's representative and size -> the representative's home
10. rep_info per home:       the representative's id, source and signature -> the node's home
11. verdicts per home:       a verdict for every document of every cluster -> the document's shard; new index rows

Files live under `folder/<step>/<destination>/<sender>.arrow` (`pipeline.routes`).
"""
from __future__ import annotations

import json
import os
import shutil
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.dedup.clusters import components, verify
from pipeline.dedup.index import read_part
from pipeline.dedup.lsh import band_key, pairs_in_band
from pipeline.routes import gather, read, route, write
from pipeline.dedup.sketch import KEY_BYTES, fixed_width
from pipeline.dedup.stars import EDGES, Stars, settle
from pipeline.engine import Engine

if TYPE_CHECKING:
    from pipeline.dedup import DedupStage, TextLoader

DOCUMENTS_PER_PARTITION = 100_000  # the default partition count: about 150 MB of band keys per band partition


@dataclass
class Home:
    """The rows of one home: an index part or a shard's sketch (`rows`: the document's row in its shard, -1 in the index)."""

    ids: list[str]
    sources: list[str]
    rows: np.ndarray
    lengths: np.ndarray
    signatures: np.ndarray
    shingles: np.ndarray
    failed: list[tuple[int, str, str, str]]  # (row here, id, status, reason) of documents that failed in the sketch


@dataclass
class _Cluster:
    """What a node's documents need of their cluster: its representative (gid, id, source, signature, shingles) and size."""

    rep: int
    size: int
    rep_id: str
    rep_source: str
    signature: np.ndarray
    shingles: int


@dataclass
class Spread:
    """One spread fit: where its files go, its homes and partitions; the jobs are its methods."""

    dedup: DedupStage  # its config, bandings, verdicts and containment check
    folder: Path
    index_parts: list[Path]
    sketch_parts: list[Path]
    partitions: int
    texts: TextLoader

    def __post_init__(self) -> None:
        counts = [pq.ParquetFile(p).metadata.num_rows for p in self.index_parts + self.sketch_parts]
        self.starts = np.concatenate([[0], np.cumsum(counts, dtype=np.int64)]).astype(np.int64)
        self.seen = int(self.starts[len(self.index_parts)])  # the index's rows come first

    # ---- where rows live ----------------------------------------------------------------

    @property
    def homes(self) -> range:
        return range(len(self.index_parts) + len(self.sketch_parts))

    @property
    def shard_homes(self) -> range:
        return range(len(self.index_parts), len(self.starts) - 1)

    def home_of(self, gids: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.starts, gids, side="right") - 1

    def shard_of(self, gids: np.ndarray) -> np.ndarray:
        return self.home_of(gids) - len(self.index_parts)

    def load(self, home: int) -> Home:
        if home < len(self.index_parts):
            i = read_part(self.index_parts[home], self.dedup.config.num_perm)
            return Home(i.ids.tolist(), i.sources.tolist(), np.full(len(i), -1, np.int64), i.lengths, i.signatures, i.shingles, [])
        t = pq.ParquetFile(self.sketch_parts[home - len(self.index_parts)]).read(use_threads=False)
        statuses = t["status"].to_pylist()
        ids, reasons = t["id"].to_pylist(), t["reason"].to_pylist()
        failed = [(r, ids[r], s, reasons[r]) for r, s in enumerate(statuses) if s is not None]
        return Home(ids, t["source"].to_pylist(), t["row"].to_numpy().astype(np.int64), t["length"].fill_null(0).to_numpy().astype(np.int64),
                    fixed_width(t["signature"], self.dedup.config.num_perm), t["shingles"].fill_null(0).to_numpy().astype(np.int64), failed)

    def _route(self, step: str, table: pa.Table, to: np.ndarray, sender: int) -> None:
        route(self.folder / step, table, to, sender)

    def _gather(self, step: str, destination: int, schema: pa.Schema) -> pa.Table:
        return gather(self.folder / step, destination, schema)

    @property
    def stars(self) -> Stars:
        return Stars(self.folder / "stars", self.partitions)

    # ---- the steps ----------------------------------------------------------------------

    def keys(self, home: int) -> None:
        """Step 1: each kept document by its text hash; the index's ids by id, for `known`."""
        if home < len(self.index_parts):
            if self.dedup.config.index:
                ids = pq.ParquetFile(self.index_parts[home]).read(columns=["id"], use_threads=False)["id"].to_pylist()
                self._route("index_ids", pa.table({"id": ids}), _id_partition(ids, self.partitions), home)
            return
        columns = ["key", "id", "source", "row", "length"]
        t = pq.ParquetFile(self.sketch_parts[home - len(self.index_parts)]).read(columns=columns + ["status"], use_threads=False)
        good = np.flatnonzero(t["status"].is_null().to_numpy(zero_copy_only=False))
        table = t.select(columns).take(good).append_column("gid", pa.array(self.starts[home] + good, pa.int64()))
        table = table.set_column(table.schema.get_field_index("row"), "row", table["row"].cast(pa.int64()))
        key_words = fixed_width(table["key"], KEY_BYTES // 4).astype(np.uint64)
        self._route("keys", table, ((key_words[:, 0] | key_words[:, 1] << np.uint64(32)) % np.uint64(self.partitions)).astype(np.int64), home)

    def groups(self, partition: int) -> int:
        """Step 2: exact groups of equal texts; returns the documents whose text another one has too.

        A group's node is its first reading; its member (whose id and source stand for the text) the first
        reading, or with `representative = "longest"` the smallest id; each document also learns the first
        reading of its own id (a document read twice)."""
        t = self._gather("keys", partition, _KEYS)
        if t.num_rows == 0:
            return 0
        words = fixed_width(t["key"], KEY_BYTES // 4)
        order = np.lexsort((t["gid"].to_numpy(), words[:, 3], words[:, 2], words[:, 1], words[:, 0]))
        t, words = t.take(order), words[order]
        gid, row = t["gid"].to_numpy(), t["row"].to_numpy()
        starts_here = np.concatenate([[True], (words[1:] != words[:-1]).any(axis=1)])
        group = np.cumsum(starts_here) - 1
        starts = np.flatnonzero(starts_here)
        # By group, id, gid: each group's smallest id first, each id's first reading first.
        by_id = pc.sort_indices(pa.table({"group": group, "id": t["id"], "gid": gid}), [("group", "ascending"), ("id", "ascending"), ("gid", "ascending")])
        by_id = by_id.to_numpy()
        ids = t["id"].take(by_id)
        same_group = group[by_id][1:] == group[by_id][:-1]
        same_id = same_group & pc.equal(ids[1:], ids[:-1]).to_numpy(zero_copy_only=False)
        run_starts = np.flatnonzero(np.concatenate([[True], ~same_id]))
        first = np.empty(len(gid), np.int64)
        first[by_id] = by_id[run_starts][np.cumsum(np.concatenate([[True], ~same_id])) - 1]
        if self.dedup.config.representative == "longest":
            member = by_id[np.flatnonzero(np.concatenate([[True], ~same_group]))][group]
        else:
            member = starts[group]
        table = pa.table({"node": gid[starts][group], "gid": gid, "id": t["id"], "row": row, "member_id": t["id"].take(member),
                          "member_source": t["source"].take(member), "length": t["length"], "size": np.diff(np.append(starts, len(gid)))[group],
                          "first_gid": gid[first], "first_row": row[first], "first_source": t["source"].take(first)}, schema=_GROUPS)
        self._route("groups", table, self.home_of(gid[starts][group]), partition)
        if self.dedup.config.index:
            nodes = table.filter(pc.equal(table["node"], table["gid"])).select(["node", "member_id"])
            self._route("members", nodes, _id_partition(nodes["member_id"].to_pylist(), self.partitions), partition)
        return len(gid) - len(starts)

    def known(self, partition: int) -> None:
        """Step 3: the nodes whose member's id the index does not have yet (they are added to it)."""
        members = self._gather("members", partition, _MEMBERS)
        seen = set(self._gather("index_ids", partition, pa.schema([("id", pa.string())]))["id"].to_pylist())
        new = members.filter(pa.array([i not in seen for i in members["member_id"].to_pylist()], pa.bool_()))
        self._route("new", new.select(["node"]), self.home_of(new["node"].to_numpy()), partition)

    def bands(self, home: int) -> None:
        """Step 4: every node's band keys in both bandings (band numbers of the second follow the first's)."""
        h = self.load(home)
        start = int(self.starts[home])
        if home < len(self.index_parts):
            here = np.arange(len(h.ids))
        else:
            here = np.unique(self._gather("groups", home, _GROUPS)["node"].to_numpy()) - start
        if len(here) == 0:
            return
        signatures = h.signatures[here]
        bands, keys = [], []
        for count, rows in self.dedup.bandings:  # band numbers run on from one banding to the next
            for band in range(count):
                keys.append(band_key(signatures, band, rows))
                bands.append(np.full(len(here), len(bands), np.int32))
        table = pa.table({"band": np.concatenate(bands), "key": np.concatenate(keys), "gid": np.tile(here + start, len(bands))})
        self._route("bands", table, (table["key"].to_numpy() % np.uint64(self.partitions)).astype(np.int64), home)

    def pairs(self, partition: int) -> None:
        """Step 5: candidate pairs (smaller gid first) of every band key in this partition; none within the index."""
        t = self._gather("bands", partition, _BANDS)
        band, key, gid = t["band"].to_numpy(), t["key"].to_numpy(), t["gid"].to_numpy()
        # Senders come in home order, each with its gids ascending, so a stable sort by band keeps gids ascending.
        order = np.argsort(band, kind="stable")
        band, key, gid = band[order], key[order], gid[order]
        found = [np.empty((0, 2), np.int64)]
        for lo, hi in _runs(band):
            found.append(gid[lo:hi][pairs_in_band(key[lo:hi])])  # gids ascending: the pairs the in-driver banding makes
        pairs = np.concatenate(found)
        pairs = pairs[pairs[:, 1] >= self.seen]
        self._route("pairs", pa.table({"a": pairs[:, 0], "b": pairs[:, 1]}), self.home_of(pairs[:, 0]), partition)

    def left(self, home: int) -> int:
        """Step 6: this home's pairs, once each, with the left node's signature; returns how many."""
        t = self._gather("pairs", home, _PAIRS)
        if t.num_rows == 0:
            return 0
        pairs = np.unique(np.stack([t["a"].to_numpy(), t["b"].to_numpy()], axis=1), axis=0)
        h = self.load(home)
        at = pairs[:, 0] - self.starts[home]
        table = pa.table({"a": pairs[:, 0], "b": pairs[:, 1], "a_row": h.rows[at], "a_signature": _binary(h.signatures[at]),
                          "a_shingles": h.shingles[at]})
        self._route("left", table, self.home_of(pairs[:, 1]), home)
        return len(pairs)

    def verify(self, home: int) -> int:
        """Step 7: the pairs whose right node lives here, verified as the in-driver fit does; returns how many hold."""
        t = self._gather("left", home, _LEFT)
        if t.num_rows == 0:
            return 0
        h = self.load(home)
        a, b = t["a"].to_numpy(), t["b"].to_numpy()
        at = b - self.starts[home]
        m = len(a)
        signatures = np.concatenate([fixed_width(t["a_signature"], self.dedup.config.num_perm), h.signatures[at]])
        shingles = np.concatenate([t["a_shingles"].to_numpy(), h.shingles[at]])
        local = np.stack([np.arange(m), np.arange(m, 2 * m)], axis=1)
        c = self.dedup.config
        verified = verify(local, signatures, shingles, c.threshold, c.containment_threshold, c.containment_min_shingles, slack=3)
        a_shards, a_rows, shard = self.shard_of(a), t["a_row"].to_numpy(), home - len(self.index_parts)

        def where(i: int) -> tuple[int, int]:
            return (int(a_shards[i]), int(a_rows[i])) if i < m else (shard, int(h.rows[at[i - m]]))

        is_index = np.concatenate([a < self.seen, np.zeros(m, bool)])
        kept = self.dedup.confirm_containment(verified, shingles, is_index, where, self.texts)
        self.stars.add(a[kept[:, 0]], b[kept[:, 1] - m], home)
        return len(kept)

    def components(self, engine: Engine, edges: int) -> None:
        """Each clustered node with its component, named by its smallest gid: in the driver when there are at most
        `spread_above` edges (it holds them, 16 bytes each, and never a signature), else in star rounds on the engine."""
        if edges > self.dedup.config.spread_above:
            last = settle(self.stars, engine)
            list(engine.map(self.roots, ((last, p) for p in range(self.partitions))))
            return
        t = pa.concat_tables([gather(self.stars.folder / "round-0", p, EDGES) for p in range(self.partitions)])
        t = t.filter(pc.less(t["node"], t["neighbour"]))
        pairs = np.stack([t["node"].to_numpy(), t["neighbour"].to_numpy()], axis=1)
        nodes = np.unique(pairs)
        labels = components(len(nodes), np.searchsorted(nodes, pairs))
        named = np.full(len(nodes), np.iinfo(np.int64).max)
        np.minimum.at(named, labels, nodes)
        self._route("comps", pa.table({"node": nodes, "comp": named[labels]}), self.home_of(nodes), 0)

    def roots(self, last: int, partition: int) -> None:
        nodes, roots = self.stars.roots(last, partition)
        self._route("comps", pa.table({"node": nodes, "comp": roots}), self.home_of(nodes), partition)

    def order(self, home: int) -> None:
        """Step 8: each clustered node here with what decides its cluster's representative."""
        comps = self._gather("comps", home, _COMPS)
        if comps.num_rows == 0:
            return
        node = comps["node"].to_numpy()
        at = node - self.starts[home]
        if home < len(self.index_parts):
            h = self.load(home)
            ids, lengths, sizes = [h.ids[k] for k in at], h.lengths[at], np.ones(len(at), np.int64)
        else:
            member = self._members(self._gather("groups", home, _GROUPS), node)
            ids, lengths, sizes = [member[n][0] for n in node], np.array([member[n][2] for n in node]), np.array([member[n][3] for n in node])
        table = pa.table({"comp": comps["comp"], "node": node, "ids": ids, "length": lengths, "size": sizes})
        self._route("order", table, (table["comp"].to_numpy() % self.partitions).astype(np.int64), home)

    @staticmethod
    def _members(groups: pa.Table, nodes: np.ndarray) -> dict[int, tuple[str, str, int, int]]:
        """node -> (member id, member source, text length, documents) of these `nodes`, from their home's groups."""
        g = groups.filter(pc.and_(pc.equal(groups["node"], groups["gid"]), pc.is_in(groups["node"], pa.array(nodes, pa.int64()))))
        return {n: (i, s, ln, sz) for n, i, s, ln, sz in zip(g["node"].to_pylist(), g["member_id"].to_pylist(), g["member_source"].to_pylist(),
                                                              g["length"].to_pylist(), g["size"].to_pylist())}

    def reps(self, partition: int) -> None:
        """Step 9: each component's representative (the index first, then by `representative`, ties by id) and size."""
        t = self._gather("order", partition, _ORDER)
        if t.num_rows == 0:
            return
        comp, node, ids = t["comp"].to_numpy(), t["node"].to_numpy(), np.array(t["ids"].to_pylist(), dtype=object)
        in_run = (node >= self.seen).astype(np.int64)
        then = -t["length"].to_numpy() if self.dedup.config.representative == "longest" else node
        then = np.where(in_run == 1, then, 0)
        order = np.lexsort((ids, then, in_run, comp))
        comp, node = comp[order], node[order]
        size = t["size"].to_numpy()[order]
        rep, total = np.empty(len(node), np.int64), np.empty(len(node), np.int64)
        for lo, hi in _runs(comp):
            rep[lo:hi], total[lo:hi] = node[lo], size[lo:hi].sum()
        self._route("reps", pa.table({"node": node, "rep": rep, "size": total}), self.home_of(rep), partition)

    def rep_info(self, home: int) -> None:
        """Step 10: the representative's id, source, signature and shingle count, sent to each node of its cluster."""
        t = self._gather("reps", home, _REPS)
        if t.num_rows == 0:
            return
        h = self.load(home)
        rep = t["rep"].to_numpy()
        at = rep - self.starts[home]
        if home < len(self.index_parts):
            ids, sources = [h.ids[k] for k in at], [h.sources[k] for k in at]
        else:
            member = self._members(self._gather("groups", home, _GROUPS), rep)
            ids, sources = [member[r][0] for r in rep], [member[r][1] for r in rep]
        table = t.append_column("rep_id", pa.array(ids, pa.string())).append_column("rep_source", pa.array(sources, pa.string()))
        table = table.append_column("rep_signature", _binary(h.signatures[at])).append_column("rep_shingles", pa.array(h.shingles[at]))
        self._route("rep_info", table, self.home_of(t["node"].to_numpy()), home)

    def verdicts(self, home: int) -> None:
        """Step 11: a verdict for every document of every cluster whose node lives here, and for the documents that
        failed in this shard's sketch, sent to the document's shard; the new index rows of the nodes here."""
        h = self.load(home)
        start = int(self.starts[home])
        everyone = self._gather("groups", home, _GROUPS)
        info = self._gather("rep_info", home, _REP_INFO)
        clustered = {r["node"]: _Cluster(r["rep"], r["size"], r["rep_id"], r["rep_source"], np.frombuffer(r["rep_signature"], np.uint32),
                                         r["rep_shingles"]) for r in info.to_pylist()}
        groups = everyone.filter(pc.or_(pc.greater(everyone["size"], 1), pc.is_in(everyone["node"], info["node"].combine_chunks())))
        rows = []
        for doc in groups.to_pylist():
            node = doc["node"]
            at = node - start
            cluster = clustered.get(node) or _Cluster(node, doc["size"], doc["member_id"], doc["member_source"], h.signatures[at], h.shingles[at])
            verdict = self.dedup.verdict(doc["id"], cluster.rep_id, cluster.rep_source, cluster.rep < self.seen, cluster.rep == node, cluster.size,
                                         (h.signatures[at], cluster.signature), (h.shingles[at], cluster.shingles))
            first = doc["first_gid"] != doc["gid"]  # the same document read before: labelled as read twice
            rows.append({"gid": doc["gid"], "failed": False, "id": doc["id"]} | {name: getattr(verdict, name) for name in _VERDICT_FIELDS}
                        | ({"first_shard": int(self.shard_of(np.array([doc["first_gid"]]))[0]), "first_row": doc["first_row"],
                            "first_source": doc["first_source"]} if first else {}))
        rows += [{"gid": start + row, "failed": True, "id": doc_id, "status": status, "reason": reason} for row, doc_id, status, reason in h.failed]
        table = pa.Table.from_pylist(rows, schema=_VERDICTS)
        self._route("verdicts", table, self.shard_of(table["gid"].to_numpy()), home)
        if self.dedup.config.index:
            self._new_index_rows(home, h, everyone)

    def _new_index_rows(self, home: int, h: Home, groups: pa.Table) -> None:
        """The nodes here that the index has not seen, as its rows, for `new_index_parts`."""
        new = np.sort(self._gather("new", home, pa.schema([("node", pa.int64())]))["node"].to_numpy())
        member = self._members(groups, new)
        at = new - self.starts[home]
        rows = pa.table({"gid": new, "id": [member[n][0] for n in new], "source": [member[n][1] for n in new],
                         "signature": _binary(h.signatures[at]), "shingles": h.shingles[at], "length": h.lengths[at]})
        write(self.folder / "index" / f"{home - len(self.index_parts)}.arrow", rows)

    # ---- reading the results ------------------------------------------------------------

    def of_shard(self, shard: int) -> pa.Table:
        """The verdicts for a shard's documents, in run order, the failed ones last."""
        t = self._gather("verdicts", shard, _VERDICTS)
        return t.take(pc.sort_indices(t, [("failed", "ascending"), ("gid", "ascending")]))

    def new_index_parts(self) -> Iterator[pa.Table]:
        """This run's documents for the index, shard by shard, in run order."""
        for shard in range(len(self.sketch_parts)):
            path = self.folder / "index" / f"{shard}.arrow"
            if path.is_file():
                yield read(path)


def fit(spread: Spread, engine: Engine) -> dict:
    """Run every step on `engine`; returns the figures `DedupStage.fit` reports.

    Each finished step leaves a done marker with its figures, so a fit that was killed resumes at its first
    unfinished step (the steps are deterministic: a step run again writes the same files); a fit over other
    sketches, index parts or settings starts afresh. A step's input files go once it is done (the groups, the
    new index rows and the verdicts stay to the end), so the disk holds about two steps'."""
    _start_or_resume(spread)
    parts, homes, shard_homes = range(spread.partitions), spread.homes, spread.shard_homes

    def step(job, destinations, *inputs: str) -> list:
        marker = spread.folder / f"{job.__name__}.done"
        if marker.is_file():
            return json.loads(marker.read_text())
        results = list(engine.map(job, ((d,) for d in destinations)))
        _write_text(marker, json.dumps(results))
        for name in inputs:
            shutil.rmtree(spread.folder / name, ignore_errors=True)
        return results

    step(spread.keys, homes)
    exact = sum(step(spread.groups, parts, "keys"))
    if spread.dedup.config.index:
        step(spread.known, parts, "members", "index_ids")
    step(spread.bands, homes)
    step(spread.pairs, parts, "bands")
    candidates = sum(step(spread.left, homes, "pairs"))
    verified = sum(step(spread.verify, homes, "left"))
    if not (spread.folder / "components.done").is_file():
        spread.components(engine, verified)
        _write_text(spread.folder / "components.done", "[]")
        shutil.rmtree(spread.folder / "stars", ignore_errors=True)
    step(spread.order, homes, "comps")
    step(spread.reps, parts, "order")
    step(spread.rep_info, homes, "reps")
    step(spread.verdicts, shard_homes, "rep_info")
    return {"exact_duplicates": exact, "candidate_pairs": candidates, "verified_pairs": verified, "index_documents_before": spread.seen}


def _start_or_resume(spread: Spread) -> None:
    """Keep the files of an earlier attempt at the same fit, else start from an empty folder."""
    c = spread.dedup.config
    identity = json.dumps({"sketches": [[p.name, p.stat().st_size] for p in spread.sketch_parts],
                           "index": [[p.name, p.stat().st_size] for p in spread.index_parts], "partitions": spread.partitions,
                           "dedup": {k: v for k, v in vars(c).items()}}, sort_keys=True, default=str)
    marker = spread.folder / "fit.json"
    if not (marker.is_file() and marker.read_text() == identity):
        shutil.rmtree(spread.folder, ignore_errors=True)
        spread.folder.mkdir(parents=True)
        _write_text(marker, identity)


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def partition_count(documents: int, configured: int) -> int:
    """`configured`, or one partition per DOCUMENTS_PER_PARTITION documents (at least 2)."""
    return configured or max(2, -(-documents // DOCUMENTS_PER_PARTITION))


def _runs(sorted_values: np.ndarray) -> Iterator[tuple[int, int]]:
    """[lo, hi) of each run of equal values."""
    starts = np.flatnonzero(np.concatenate([[True], sorted_values[1:] != sorted_values[:-1]])) if len(sorted_values) else np.empty(0, np.int64)
    return zip(starts.tolist(), np.append(starts[1:], len(sorted_values)).tolist())


def _id_partition(ids: Sequence[str], partitions: int) -> np.ndarray:
    return np.array([zlib.crc32(i.encode()) % partitions for i in ids], dtype=np.int64)


def _take(column: pa.ChunkedArray, order: np.ndarray) -> list:
    return column.take(order).to_pylist()


def _binary(signatures: np.ndarray) -> pa.Array:
    width = signatures.shape[1] * 4
    return pa.FixedSizeBinaryArray.from_buffers(pa.binary(width), len(signatures), [None, pa.py_buffer(np.ascontiguousarray(signatures).tobytes())])


_KEYS = pa.schema([("key", pa.binary(KEY_BYTES)), ("id", pa.string()), ("source", pa.string()), ("row", pa.int64()), ("length", pa.int64()),
                   ("gid", pa.int64())])
_GROUPS = pa.schema([("node", pa.int64()), ("gid", pa.int64()), ("id", pa.string()), ("row", pa.int64()), ("member_id", pa.string()),
                     ("member_source", pa.string()), ("length", pa.int64()), ("size", pa.int64()), ("first_gid", pa.int64()),
                     ("first_row", pa.int64()), ("first_source", pa.string())])
_MEMBERS = pa.schema([("node", pa.int64()), ("member_id", pa.string())])
_BANDS = pa.schema([("band", pa.int32()), ("key", pa.uint64()), ("gid", pa.int64())])
_PAIRS = pa.schema([("a", pa.int64()), ("b", pa.int64())])
_LEFT = pa.schema([("a", pa.int64()), ("b", pa.int64()), ("a_row", pa.int64()), ("a_signature", pa.binary()), ("a_shingles", pa.int64())])
_COMPS = pa.schema([("node", pa.int64()), ("comp", pa.int64())])
_ORDER = pa.schema([("comp", pa.int64()), ("node", pa.int64()), ("ids", pa.string()), ("length", pa.int64()), ("size", pa.int64())])
_REPS = pa.schema([("node", pa.int64()), ("rep", pa.int64()), ("size", pa.int64())])
_REP_INFO = pa.schema(list(_REPS) + [("rep_id", pa.string()), ("rep_source", pa.string()), ("rep_signature", pa.binary()), ("rep_shingles", pa.int64())])
_VERDICT_FIELDS = ("status", "reason", "cluster_id", "duplicate_of", "similarity", "cluster_size")
_VERDICTS = pa.schema([("gid", pa.int64()), ("failed", pa.bool_()), ("id", pa.string()), ("status", pa.string()), ("reason", pa.string()),
                       ("cluster_id", pa.string()), ("duplicate_of", pa.string()), ("similarity", pa.float64()), ("cluster_size", pa.int64()),
                       ("first_shard", pa.int64()), ("first_row", pa.int64()), ("first_source", pa.string())])
