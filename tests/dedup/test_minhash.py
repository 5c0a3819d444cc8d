import numpy as np
from datasketch import LeanMinHash, MinHash

from pipeline.dedup.minhash import SCHEME, as_minhash, estimate_jaccard, shingles, signature


def test_shingles_are_word_ngrams_and_short_texts_are_one_shingle():
    assert shingles("a b c d", 3) == {b"a b c", b"b c d"}
    assert shingles("a b", 3) == {b"a b"}
    assert shingles("", 3) == set()


def test_signature_matches_datasketch_and_converts_to_lean_minhash():
    sh = shingles("the quick brown fox jumps over the lazy dog again and again", 3)
    ours = signature(sh, num_perm=64, seed=7)
    ref = MinHash(num_perm=64, seed=7, scheme=SCHEME)
    for s in sh:
        ref.update(s)
    assert np.array_equal(ours.hashvalues, ref.hashvalues)
    lean = LeanMinHash(as_minhash(ours.hashvalues, seed=7))
    assert lean.jaccard(LeanMinHash(ref)) == 1.0


def test_estimate_tracks_true_jaccard():
    a = {f"s{i}".encode() for i in range(200)}
    b = {f"s{i}".encode() for i in range(100, 300)}  # Jaccard 1/3
    est = estimate_jaccard(signature(a, 256, 1).hashvalues, signature(b, 256, 1).hashvalues)
    assert abs(est - 1 / 3) < 0.1
