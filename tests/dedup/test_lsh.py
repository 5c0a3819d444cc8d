import numpy as np

from pipeline.dedup.lsh import MAX_ALL_PAIRS_RUN, candidate_pairs, optimal_bands


def test_optimal_bands_come_from_datasketch():
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    assert optimal_bands(0.8, 128) == (lsh.b, lsh.r)


def test_rows_sharing_a_band_are_candidates():
    rng = np.random.default_rng(0)
    sigs = rng.integers(0, 2**32, size=(6, 12), dtype=np.uint32)
    sigs[3, :4] = sigs[1, :4]  # band 0 equal
    sigs[5, 8:] = sigs[0, 8:]  # band 2 equal
    pairs = candidate_pairs(sigs, bands=3, rows=4)
    assert pairs.tolist() == [[0, 5], [1, 3]]


def test_large_runs_give_a_chain_not_all_pairs():
    n = MAX_ALL_PAIRS_RUN * 3
    sigs = np.zeros((n, 4), dtype=np.uint32)
    pairs = candidate_pairs(sigs, bands=1, rows=4)
    assert len(pairs) < n * 2
    # still one connected group
    from pipeline.dedup.clusters import components

    assert len(set(components(n, pairs).tolist())) == 1
