"""Signature speed, shingling included, on ~3 KB documents with 128 permutations.

    python benchmarks/dedup_signatures.py [--docs 4000]

Baselines in the same run: datasketch's `MinHash.update_batch` per document (the
named baseline), and, when the `rensa` package is installed (`pip install
'.[bench]'`), the numpy rolling shingle hashes fed to rensa's Rust MinHash.
"""
from __future__ import annotations

import argparse
import hashlib

import numpy as np
from common import print_table, synthetic_docs, timed

from datasketch import MinHash
from pipeline.dedup.minhash import SCHEME, Signer, shingles

NUM_PERM, SEED, SHINGLE = 128, 1, 5
BATCH = 1000


def ours(docs: list[str]) -> np.ndarray:
    signer = Signer(NUM_PERM, SEED, SHINGLE)
    return np.concatenate([signer.sign(docs[i : i + BATCH])[0] for i in range(0, len(docs), BATCH)])


def datasketch_update_batch(docs: list[str]) -> None:
    for doc in docs:
        m = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
        m.update_batch(shingles(doc, SHINGLE))


def rensa_path(docs: list[str]):
    """The usual rensa recipe: per-document numpy rolling hashes over cached token hashes, then rensa's digests."""
    import rensa

    cache = TokenCache()
    out = []
    for i in range(0, len(docs), BATCH):
        rows, offsets = [], [0]
        for doc in docs[i : i + BATCH]:
            tokens = np.fromiter(map(cache.__getitem__, doc.split()), dtype=np.uint64)
            count = max(len(tokens) - SHINGLE + 1, 1)
            rolled = np.zeros(count, dtype=np.uint64)
            for k in range(min(SHINGLE, len(tokens))):
                rolled = rolled * np.uint64(0x100000001B3) + tokens[k : k + count]
            rows.append(rolled)
            offsets.append(offsets[-1] + count)
        flat = np.concatenate(rows)
        out.append(rensa.RMinHash.digest_matrix_from_flat_token_hashes(flat, np.array(offsets, dtype=np.uint64), NUM_PERM, SEED))
    return out


def our_hashes_rensa(docs: list[str]):
    """Our batched shingle hashing fed to rensa: shows what the permutation step costs in numpy."""
    import rensa

    signer = Signer(NUM_PERM, SEED, SHINGLE)
    out = []
    for i in range(0, len(docs), BATCH):
        hashes, counts = signer.shingle_hashes(docs[i : i + BATCH])
        offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.uint64)
        out.append(rensa.RMinHash.digest_matrix_from_flat_token_hashes(hashes.astype(np.uint64), offsets, NUM_PERM, SEED))
    return out


class TokenCache(dict):
    def __missing__(self, token: str) -> int:
        value = self[token] = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "little")
        return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=4000)
    args = parser.parse_args()
    docs = synthetic_docs(args.docs)
    sample = docs[: max(200, args.docs // 10)]
    base_s, _ = timed(datasketch_update_batch, sample, repeat=1)
    base = len(sample) / base_s
    rows = [["datasketch MinHash.update_batch (baseline)", len(sample), base, 1.0]]
    ours_s, _ = timed(ours, docs)
    rows.append(["pipeline Signer (numpy)", len(docs), len(docs) / ours_s, len(docs) / ours_s / base])
    for name, fn in (("numpy rolling hashes + rensa (reference path)", rensa_path), ("pipeline's batched hashing + rensa", our_hashes_rensa)):
        try:
            took, _ = timed(fn, docs)
            rows.append([name, len(docs), len(docs) / took, len(docs) / took / base])
        except ImportError:
            rows.append([name, "rensa not installed", "-", "-"])
    mean_chars = sum(map(len, docs)) / len(docs)
    print_table(f"MinHash signatures, {NUM_PERM} permutations, {SHINGLE}-word shingles, {mean_chars:,.0f}-char documents (best of 3)",
                ["method", "docs", "docs/s", "x datasketch"], rows)


if __name__ == "__main__":
    main()
