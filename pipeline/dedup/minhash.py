"""MinHash signatures of word shingles, vectorized over batches of documents.

Broder, "On the resemblance and containment of documents", 1997. Signatures
equal datasketch's `MinHash(num_perm, seed, hashfunc=shingle_hash,
scheme="affine32")` fed the same shingles, so any row converts to a
datasketch `LeanMinHash` (see `as_minhash`). The shingle hash is a polynomial
rolling hash over 64-bit token hashes (themselves polynomial hashes of the
token's bytes, from prefix sums), so a whole batch of documents hashes in a
few numpy operations instead of one SHA-1 call per shingle.
"""
from __future__ import annotations

from collections.abc import Sequence
from importlib.metadata import version

import numpy as np

SCHEME = "affine32"
HASH_NAME = "polyhash32(utf-8 token bytes) + splitmix64, rolled over shingle tokens, folded to 32 bits"
_BASE = 0x01000193  # FNV-1 32-bit prime: odd, so invertible mod 2^32, which lets prefix sums give token hashes
_BASE_INVERSE = pow(_BASE, -1, 1 << 32)
_MASK32 = (1 << 32) - 1
_MULTIPLIER = 0x9E3779B97F4A7C15  # odd: the rolling step over tokens is a bijection
_MASK64 = (1 << 64) - 1
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
_ROWS_PER_CHUNK = 1 << 12  # shingle positions per permutation pass: 2 MB at 128 perms, stays in cache
_SPACE = 0x20


def token_hash(token: bytes) -> int:
    """64-bit hash of one token: sum of byte_i * BASE^i mod 2^32, spread by splitmix64's finalizer."""
    h, power = 0, 1
    for byte in token:
        h = (h + byte * power) & _MASK32
        power = (power * _BASE) & _MASK32
    return _splitmix(h)


def shingle_hash(shingle: bytes) -> int:
    """The 32-bit hash of one shingle (tokens joined by single spaces): datasketch's `hashfunc`."""
    h = 0
    for token in shingle.split(b" "):
        h = (h * _MULTIPLIER + token_hash(token)) & _MASK64
    return (h ^ (h >> 32)) & 0xFFFFFFFF


def _splitmix(h: int) -> int:
    h = ((h ^ (h >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    h = ((h ^ (h >> 27)) * 0x94D049BB133111EB) & _MASK64
    return h ^ (h >> 31)


def shingles(normalized_text: str, size: int) -> list[bytes]:
    """Word n-grams of a normalized text as datasketch input; a shorter text is one shingle."""
    tokens = [t for t in normalized_text.split(" ") if t]
    if len(tokens) <= size:
        return [" ".join(tokens).encode("utf-8")] if tokens else []
    return [" ".join(tokens[i : i + size]).encode("utf-8") for i in range(len(tokens) - size + 1)]


def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutation parameters (a odd, b) for this seed."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


class Signer:
    """Computes signatures for batches of normalized texts (single spaces between tokens)."""

    def __init__(self, num_perm: int, seed: int, shingle_size: int) -> None:
        self.num_perm, self.seed, self.shingle_size = num_perm, seed, shingle_size
        self.a, self.b = permutations(num_perm, seed)
        self._powers = np.ones(1, dtype=np.uint32)
        self._inverse_powers = np.ones(1, dtype=np.uint32)

    def token_hashes(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(`token_hash` of every token of every text, tokens per text), all at once with prefix sums."""
        encoded = [t.encode("utf-8") for t in texts]
        raw = np.frombuffer(b" ".join(encoded), dtype=np.uint8)
        powers, inverse = self._power_tables(len(raw) + 1)
        prefix = np.zeros(len(raw) + 1, dtype=np.uint32)
        np.cumsum(raw * powers[: len(raw)], out=prefix[1:], dtype=np.uint32)
        spaces = np.flatnonzero(raw == _SPACE)
        starts = np.concatenate(([0], spaces + 1))
        ends = np.concatenate((spaces, [len(raw)]))
        keep = ends > starts  # a token is a run of non-space bytes
        starts, ends = starts[keep], ends[keep]
        text_bounds = np.cumsum([0] + [len(e) + 1 for e in encoded])
        lengths = np.diff(np.searchsorted(starts, text_bounds)).astype(np.int64)
        return _splitmix_array(((prefix[ends] - prefix[starts]) * inverse[starts]).astype(np.uint64)), lengths

    def _rolled(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(shingle hashes, where each text's shingles start in them, shingles per text).

        The rolling hash runs over the whole batch at once; the shingles that cross
        two texts stay in the array but inside no text's range.
        """
        n = self.shingle_size
        hashes, lengths = self.token_hashes(texts)
        counts = np.where(lengths >= n, lengths - n + 1, np.minimum(lengths, 1))
        starts = np.cumsum(lengths) - lengths
        total = max(len(hashes) - n + 1, 0)
        rolled = np.zeros(total, dtype=np.uint64)
        for i in range(n if total else 0):
            rolled *= np.uint64(_MULTIPLIER)
            rolled += hashes[i : i + total]
        short = np.flatnonzero((lengths > 0) & (lengths < n))
        if len(short):  # a text shorter than a shingle is one shingle of all its tokens
            tail = np.empty(len(short), dtype=np.uint64)
            for k, d in enumerate(short):
                h = 0
                for value in hashes[starts[d] : starts[d] + lengths[d]].tolist():
                    h = (h * _MULTIPLIER + value) & _MASK64
                tail[k] = h
            starts[short] = len(rolled) + np.arange(len(short))
            rolled = np.concatenate([rolled, tail])
        return (rolled ^ (rolled >> np.uint64(32))).astype(np.uint32), starts, counts

    def shingle_hashes(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(32-bit hashes of every shingle of every text, shingles per text), texts in order.

        Equal to `shingle_hash` of each of `shingles(text)`.
        """
        rolled, starts, counts = self._rolled(texts)
        return rolled[np.repeat(starts, counts) + _ranges(counts)], counts

    def _power_tables(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """BASE^i and BASE^-i mod 2^32 for i < n (grown on demand, kept for later batches)."""
        if len(self._powers) < n:
            size = max(n, 2 * len(self._powers))
            self._powers = _geometric(_BASE, size)
            self._inverse_powers = _geometric(_BASE_INVERSE, size)
        return self._powers, self._inverse_powers

    def sign(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(signatures uint32 [len(texts), num_perm], shingles per text) for normalized texts.

        An empty text gets the all-max signature datasketch gives an empty MinHash.
        """
        rolled, starts, sizes = self._rolled(texts)
        out = np.full((len(texts), self.num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
        docs = np.flatnonzero(sizes)
        if not len(docs):
            return out, sizes
        mixed = _fmix32(rolled)
        docs = docs[np.argsort(starts[docs], kind="stable")]  # texts shorter than a shingle sit at the end
        ends = starts + sizes
        buffer = np.empty((self.num_perm, 2 * _ROWS_PER_CHUNK), dtype=np.uint32)
        big = sizes[docs] > _ROWS_PER_CHUNK
        for doc in docs[big]:  # one long text: its shingles in slices, keeping the running minimum
            for lo in range(starts[doc], ends[doc], _ROWS_PER_CHUNK):
                hi = min(lo + _ROWS_PER_CHUNK, ends[doc])
                np.minimum(out[doc], self._permuted(mixed[lo:hi], buffer).min(axis=1), out=out[doc])
        small = docs[~big]
        # Chunks of texts starting within the same _ROWS_PER_CHUNK positions: at most 2 * _ROWS_PER_CHUNK rows.
        cuts = np.flatnonzero(np.diff(starts[small] // _ROWS_PER_CHUNK)) + 1
        for chunk in np.split(small, cuts) if len(small) else []:
            lo, hi = starts[chunk[0]], ends[chunk[-1]]
            values = self._permuted(mixed[lo:hi], buffer)
            # Interleaved (start, end) bounds: every other reduction is one document's shingles.
            bounds = np.empty(2 * len(chunk) - 1, dtype=np.int64)
            bounds[0::2] = starts[chunk] - lo
            bounds[1::2] = ends[chunk[:-1]] - lo
            out[chunk] = np.minimum.reduceat(values, bounds, axis=1)[:, 0::2].T
        return out, sizes

    def _permuted(self, mixed: np.ndarray, buffer: np.ndarray) -> np.ndarray:
        """a * h + b mod 2^32 for every permutation [num_perm, rows] (rows contiguous: reductions along them are fast)."""
        values = buffer[:, : len(mixed)]
        np.multiply(self.a[:, None], mixed[None, :], out=values)
        values += self.b[:, None]
        return values

    def params(self) -> dict:
        return {
            "scheme": SCHEME,
            "num_perm": self.num_perm,
            "seed": self.seed,
            "shingle_size": self.shingle_size,
            "hash": HASH_NAME,
            "datasketch": version("datasketch"),
        }


def _geometric(ratio: int, n: int) -> np.ndarray:
    """[1, r, r^2, ...] mod 2^32 (uint32 arithmetic wraps)."""
    out = np.full(n, ratio, dtype=np.uint32)
    out[0] = 1
    return np.cumprod(out, dtype=np.uint32)


def _splitmix_array(h: np.ndarray) -> np.ndarray:
    h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


def _ranges(counts: np.ndarray) -> np.ndarray:
    """Concatenated aranges: [0..c0-1, 0..c1-1, ...]."""
    total = int(counts.sum())
    return np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)


def _fmix32(h: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = _FMIX32
    h = h ^ (h >> s1)
    h *= m1
    h ^= h >> s2
    h *= m2
    return h ^ (h >> s3)


def as_minhash(signature: np.ndarray, seed: int):
    """A datasketch MinHash holding one signature row (for LSH queries or a user's own use)."""
    from datasketch import MinHash  # here: importing datasketch imports SciPy's integrate, which a run never needs

    return MinHash(seed=seed, hashvalues=signature, scheme=SCHEME, hashfunc=shingle_hash)


def estimate_jaccard(a: np.ndarray, b: np.ndarray) -> np.ndarray | float:
    """Share of equal positions: the MinHash estimate of Jaccard similarity (row-wise for 2-D input)."""
    return np.mean(a == b, axis=-1)
