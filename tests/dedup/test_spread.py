"""The spread fit (`pipeline.dedup.spread`) gives the in-process fit's output, and its pieces the in-process pieces."""
import hashlib
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import Config, run
from pipeline.config import DedupConfig
from pipeline.dedup import DedupStage
from pipeline.dedup.lsh import MAX_ALL_PAIRS_RUN, candidate_pairs
from pipeline.dedup.sketch import sketch_schema
from pipeline.routes import read
from pipeline.dedup.spread import Spread
from pipeline.engine import LocalEngine
from tests.test_engine import assert_same_output, mixed_input
from tests.test_reliability import corpus

SPREAD = {"dedup.spread_above": "0"}  # always spread, components in star rounds too


def hard_input(root: Path) -> Path:
    """Mixed input (a contained copy, near and exact duplicates, every reader) and 80 one-word variants of one article,
    so that band keys are shared by more than MAX_ALL_PAIRS_RUN documents."""
    raw = mixed_input(root)
    words = " ".join(f"word{i} of the long story number {i % 17}" for i in range(120))
    for k in range(80):
        (raw / f"variant{k:02d}.txt").write_text(words.replace(f"word{k} ", f"changed{k} ") + "\n")
    return raw


@pytest.mark.parametrize("partitions, representative", [("2", "longest"), ("7", "first")])
def test_the_spread_fit_gives_the_in_process_output(tmp_path, partitions, representative):
    raw = hard_input(tmp_path / "raw")
    settings = {"output.shard_size": "9", "dedup.representative": representative}
    run([raw], tmp_path / "driver", Config().override(settings))
    stats = run([raw], tmp_path / "spread", Config().override(settings | SPREAD | {"dedup.partitions": partitions, "output.workers": "2"}))
    assert_same_output(tmp_path / "driver", tmp_path / "spread")
    assert stats["output"]["statuses"]["duplicate"] >= 80
    assert not (tmp_path / "spread" / ".run" / "spread").exists()  # the fit's files go once the index is written


def test_the_spread_fit_with_an_index_of_earlier_runs(tmp_path):
    raw = hard_input(tmp_path / "raw")
    more = tmp_path / "more"
    corpus(more, pages=12)  # some of its pages repeat the first input's
    for kind, extra in (("driver", {}), ("spread", SPREAD | {"dedup.partitions": "3"})):
        config = Config().override({"output.shard_size": "7", "dedup.index": str(tmp_path / f"index-{kind}")} | extra)
        run([raw], tmp_path / f"{kind}-1", config)
        run([more, raw], tmp_path / f"{kind}-2", config)
    for n in (1, 2):
        assert_same_output(tmp_path / f"driver-{n}", tmp_path / f"spread-{n}")
    index = [pq.read_table(tmp_path / f"index-{kind}").sort_by("id") for kind in ("driver", "spread")]
    assert index[0].equals(index[1]) and index[0].num_rows > 100
    rejected = pq.read_table(tmp_path / "spread-2" / "rejected").to_pylist()
    assert sum("seen in an earlier run" in (r["reason"] or "") for r in rejected) > 80


def test_the_spread_candidate_pairs_are_the_in_process_ones_in_both_bandings(tmp_path):
    rng = np.random.default_rng(3)
    num_perm, documents = 32, 400
    signatures = rng.integers(0, 2**32, size=(documents, num_perm), dtype=np.uint32)
    signatures[100:200, :4] = 7  # one band key shared by 100 documents in both bandings
    for k in range(200, 400, 4):  # groups of four with most values in common
        signatures[k + 1 : k + 4, : num_perm - 3] = signatures[k, : num_perm - 3]
    dedup = DedupStage(DedupConfig(num_perm=num_perm))
    assert dedup.containment_bands and dedup.containment_bands != dedup.bands
    parts = []
    for shard, rows in enumerate(np.array_split(np.arange(documents), 3)):
        parts.append(tmp_path / f"sketch-{shard}.parquet")
        pq.write_table(_sketch(signatures[rows], num_perm), parts[-1])
    spread = Spread(dedup, tmp_path / "spread", [], parts, partitions=5, texts=None)
    engine = LocalEngine(1)
    for step, destinations in ((spread.keys, spread.homes), (spread.groups, range(5)), (spread.bands, spread.homes), (spread.pairs, range(5))):
        list(engine.map(step, ((d,) for d in destinations)))
    found = sum(spread.left(h) for h in spread.homes)
    expected = np.unique(np.concatenate([candidate_pairs(signatures, *dedup.bands), candidate_pairs(signatures, *dedup.containment_bands)]), axis=0)
    sent = pa.concat_tables([read(f) for f in sorted((tmp_path / "spread" / "left").rglob("*.arrow"))])
    assert found == len(expected) > 100 + MAX_ALL_PAIRS_RUN
    assert sorted(zip(sent["a"].to_pylist(), sent["b"].to_pylist())) == [tuple(p) for p in expected.tolist()]


def _sketch(signatures: np.ndarray, num_perm: int) -> pa.Table:
    n = len(signatures)
    ids = [hashlib.sha1(s.tobytes()).hexdigest() for s in signatures]
    return pa.table({"id": ids, "source": ids, "row": np.arange(n, dtype=np.int32), "length": np.full(n, 500),
                     "key": [hashlib.blake2b(s.tobytes(), digest_size=16).digest() for s in signatures],
                     "signature": [s.tobytes() for s in signatures], "shingles": np.full(n, 100), "status": [None] * n, "reason": [None] * n},
                    schema=sketch_schema(num_perm))


class _Counting:
    """A local engine that counts its steps and dies at step `dies_at` (as a killed run would)."""

    workers, in_process = 1, True

    def __init__(self, dies_at: int | None = None) -> None:
        self.steps, self.dies_at = 0, dies_at

    def map(self, job, items, light=False):
        self.steps += 1
        if self.steps == self.dies_at:
            raise KeyboardInterrupt("killed")
        return LocalEngine(1).map(job, items)


def test_a_killed_spread_fit_resumes_at_its_first_unfinished_step(tmp_path):
    from pipeline.dedup.spread import fit

    rng = np.random.default_rng(4)
    signatures = rng.integers(0, 2**32, size=(300, 32), dtype=np.uint32)
    for k in range(0, 300, 3):  # groups of three near-copies, some exact
        signatures[k + 1, :30] = signatures[k, :30]
        signatures[k + 2] = signatures[k] if k % 2 else signatures[k + 2]
    dedup = DedupStage(DedupConfig(num_perm=32, containment_threshold=0, spread_above=0))
    parts = []
    for shard, rows in enumerate(np.array_split(np.arange(300), 4)):
        parts.append(tmp_path / f"sketch-{shard}.parquet")
        pq.write_table(_sketch(signatures[rows], 32), parts[-1])

    def verdicts(folder: str, engine) -> tuple[dict, list]:
        spread = Spread(dedup, tmp_path / folder, [], parts, partitions=3, texts=None)
        return fit(spread, engine), [spread.of_shard(s).to_pylist() for s in range(4)]

    clean = _Counting()
    expected = verdicts("clean", clean)
    assert expected[0]["verified_pairs"] >= 100 and expected[0]["exact_duplicates"] >= 40
    with pytest.raises(KeyboardInterrupt):
        verdicts("killed", _Counting(dies_at=7))  # in the verification
    resumed = _Counting()
    assert verdicts("killed", resumed) == expected
    assert resumed.steps < clean.steps - 4  # the six steps done before were not run again
