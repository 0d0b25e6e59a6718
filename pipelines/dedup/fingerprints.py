"""Text fingerprints: the exact-copy content hash, and for near-duplicates MinHash over
word shingles, cut into LSH bands.

The band hashes are stored per article (`article_bands`), so any process finds an
earlier copy with one indexed lookup; candidates are then confirmed on their text.

Tuned on the fixture wire story (an identical copy, a re-headlined copy missing its
last paragraph, a copy with an extra local paragraph) against two different stories
on the same event: copies share most 5-token shingles, independent stories almost none.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import re
import sys
import types
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

SHINGLE = 5  # tokens per shingle
PERMUTATIONS = 128
BANDS = 32  # 32 bands x 4 rows: a pair with resemblance 0.5 is a candidate 87% of the time
ROWS = PERMUTATIONS // BANDS
# Share of the shorter text's shingles found in the other: a trimmed copy or one with an
# added paragraph stays near 1, a different story on the same event stays under 0.1.
SAME_STORY = 0.6
MIN_SHINGLES = 20  # too little text to tell copies from coincidences

if TYPE_CHECKING:
    from datasketch import MinHash

# Scripts written without spaces are tokenised per character.
_TOKEN = re.compile(
    r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]"
    r"|[^\W\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+"
)


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def content_hash(text: str) -> str:
    """The exact-copy key: a hash of the text with case, punctuation and spacing folded
    away."""
    folded = _NON_WORD.sub(" ", text.casefold()).strip()
    return hashlib.sha1(folded.encode("utf-8")).hexdigest()


def tokens(text: str) -> list[str]:
    """Words, with scripts written without spaces cut into single characters."""
    return _TOKEN.findall(text)


def shingles(text: str) -> set[str]:
    tokens = _TOKEN.findall(text.casefold())
    if len(tokens) < SHINGLE:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)}


@dataclass(frozen=True)
class Fingerprint:
    bands: list[int]  # one signed 64-bit hash per LSH band (fits BIGINT)


@cache
def _template() -> MinHash:
    """The fixed permutations (seed 1), made once per process rather than per text."""
    return _minhash_class()(num_perm=PERMUTATIONS, seed=1)


def _minhash_class() -> type[MinHash]:
    """datasketch's MinHash, without the rest of datasketch.

    The package's __init__ imports every sketch it offers, and its LSH classes import
    SciPy: ~70 MB and 0.3 s in each extraction worker, for classes we never use. So the
    minhash module is imported under a bare stand-in for the package, which is removed
    again at once: a later `import datasketch` elsewhere still gets the real package
    (and reuses the module loaded here).
    """
    loaded = sys.modules.get("datasketch.minhash")
    if loaded is None:
        spec = importlib.util.find_spec("datasketch")
        if spec is None or spec.submodule_search_locations is None:
            raise ImportError("datasketch is not installed")
        stand_in = types.ModuleType("datasketch")
        stand_in.__path__ = list(spec.submodule_search_locations)
        real = sys.modules.setdefault("datasketch", stand_in)
        try:
            loaded = importlib.import_module("datasketch.minhash")
        finally:
            if real is stand_in:
                del sys.modules["datasketch"]
    minhash: type[MinHash] = loaded.MinHash
    return minhash


def fingerprint(text: str) -> Fingerprint | None:
    """The article's band hashes, or None when the text is too short to compare."""
    grams = shingles(text)
    if len(grams) < MIN_SHINGLES:
        return None
    template = _template()
    minhash = type(template)(
        num_perm=PERMUTATIONS, permutations=template.permutations, scheme=template.scheme
    )
    minhash.update_batch([gram.encode("utf-8") for gram in grams])
    values = minhash.hashvalues
    bands = []
    for band in range(BANDS):
        chunk = values[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
        bands.append(int.from_bytes(digest, "big", signed=True))
    return Fingerprint(bands)


def containment(a: str, b: str) -> float:
    """Share of the shorter text's shingles that also occur in the longer one."""
    first, second = shingles(a), shingles(b)
    if not first or not second:
        return 0.0
    return len(first & second) / min(len(first), len(second))


def same_story(a: str, b: str) -> bool:
    return containment(a, b) >= SAME_STORY
