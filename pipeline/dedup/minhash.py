"""MinHash signatures of word shingles (datasketch, scheme `affine32`).

Broder, "On the resemblance and containment of documents", 1997. Shingles are
runs of `size` words of the normalized text, UTF-8 encoded, so a signature
row can be rebuilt as a datasketch `MinHash` from the same shingles.
"""
from __future__ import annotations

from importlib.metadata import version

import numpy as np
from datasketch import MinHash

SCHEME = "affine32"


def shingles(normalized_text: str, size: int) -> set[bytes]:
    """Word n-grams of a normalized text; a text shorter than `size` words is one shingle."""
    tokens = normalized_text.split()
    if len(tokens) <= size:
        return {" ".join(tokens).encode("utf-8")} if tokens else set()
    return {" ".join(tokens[i : i + size]).encode("utf-8") for i in range(len(tokens) - size + 1)}


def signature(shingle_set: set[bytes], num_perm: int, seed: int) -> MinHash:
    m = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME)
    m.update_batch(sorted(shingle_set))
    return m


def as_minhash(hashvalues: np.ndarray, seed: int) -> MinHash:
    """A datasketch MinHash holding a signature row (for LSH queries or a user's own use)."""
    return MinHash(seed=seed, hashvalues=hashvalues, scheme=SCHEME)


def estimate_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Share of equal signature positions: the MinHash estimate of Jaccard similarity."""
    return float(np.mean(a == b))


def params(num_perm: int, seed: int, shingle_size: int) -> dict:
    return {
        "scheme": SCHEME,
        "num_perm": num_perm,
        "seed": seed,
        "shingle_size": shingle_size,
        "hash": "datasketch sha1_hash32 of UTF-8 shingles",
        "datasketch": version("datasketch"),
    }
