import numpy as np
import pytest
from datasketch import LeanMinHash, MinHash

from pipeline.dedup.minhash import SCHEME, Signer, as_minhash, estimate_jaccard, shingle_hash, shingles, token_hash

TEXTS = [
    "the quick brown fox jumps over the lazy dog again and again until the dog wakes up",
    "",
    "two words",
    "exactly five words here now",
    "grüße aus köln und 東京 with unicode tokens in between the plain ascii ones",
    "the quick brown fox jumps over the lazy dog again and again",
]


def _datasketch(text: str, num_perm: int, seed: int, size: int) -> MinHash:
    m = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME, hashfunc=shingle_hash)
    m.update_batch(shingles(text, size))
    return m


@pytest.mark.parametrize("num_perm, seed, size", [(128, 1, 5), (64, 42, 3), (256, 7, 1)])
def test_signatures_equal_datasketch_minhash_on_the_same_shingles(num_perm, seed, size):
    signatures, counts = Signer(num_perm, seed, size).sign(TEXTS)
    for text, row, count in zip(TEXTS, signatures, counts):
        ref = _datasketch(text, num_perm, seed, size)
        assert np.array_equal(row, ref.hashvalues), text
        assert count == len(shingles(text, size))


def test_a_row_converts_to_a_lean_minhash():
    signatures, _ = Signer(128, 1, 5).sign(TEXTS[:1])
    lean = LeanMinHash(as_minhash(signatures[0], seed=1))
    assert lean.jaccard(LeanMinHash(_datasketch(TEXTS[0], 128, 1, 5))) == 1.0


def test_batches_give_the_same_rows_as_single_texts():
    signer = Signer(64, 3, 4)
    together, _ = signer.sign(TEXTS)
    alone = np.concatenate([signer.sign([t])[0] for t in TEXTS])
    assert np.array_equal(together, alone)


def test_shingles_and_hashes():
    assert shingles("a b c d", 3) == [b"a b c", b"b c d"]
    assert shingles("a b", 3) == [b"a b"]
    assert shingles("", 3) == []
    assert token_hash(b"a") != token_hash(b"b") and 0 <= shingle_hash(b"a b c") < 2**32


def test_estimate_tracks_true_jaccard():
    words = [f"w{i}" for i in range(400)]
    a, b = " ".join(words[:300]), " ".join(words[100:])  # 1-shingles: Jaccard 200/400
    signatures, _ = Signer(256, 1, 1).sign([a, b])
    assert abs(estimate_jaccard(signatures[0], signatures[1]) - 0.5) < 0.1


def test_a_text_longer_than_a_chunk_signs_like_datasketch():
    long_text = " ".join(f"w{i % 9000}" for i in range(20000))
    signatures, _ = Signer(32, 5, 5).sign([TEXTS[0], long_text, TEXTS[2]])
    for text, row in zip([TEXTS[0], long_text, TEXTS[2]], signatures):
        assert np.array_equal(row, _datasketch(text, 32, 5, 5).hashvalues)
