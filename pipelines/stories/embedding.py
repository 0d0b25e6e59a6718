"""A headline's meaning as a vector: a small static word-embedding model (WordLlama's
256-dimension "l2_supercat" weights, 32k tokens) that the `wordllama` wheel ships, so
it runs offline and on CPU (docs/stories.md, "Meaning").

The model is loaded once per process, on first use. `WordLlama.load()` is not used:
in 0.4.0 it looks for the tokenizer under a folder the wheel does not have and then
tries to download it; the files are read from the installed package instead, so
nothing here ever reaches the network.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from wordllama.inference import WordLlamaInference

DIMENSIONS = 256
# Words of an article's text read with its title: the lead says what happened; a whole
# text's average drifts to its beat's general words.
LEAD_WORDS = 40
_TOKENIZER = Path("tokenizers") / "l2_supercat_tokenizer_config.json"
_WEIGHTS = Path("weights") / "l2_supercat_256.safetensors"
# Another encoder in place of the shipped model, and its width: set only by
# `bench.stories --meaning` to measure a candidate model on the same replays.
Encoder = Callable[[list[str]], np.ndarray]
_candidate: tuple[Encoder, int] | None = None


def set_encoder(encoder: Encoder | None, width: int = DIMENSIONS) -> None:
    """Embed with `encoder` (length-1 rows of `width`) from now on; None: the shipped
    model again."""
    global _candidate
    _candidate = None if encoder is None else (encoder, width)


def dimensions() -> int:
    """The width of the meanings worked out now."""
    return DIMENSIONS if _candidate is None else _candidate[1]


@lru_cache(maxsize=1)
def model() -> WordLlamaInference:
    import safetensors
    import wordllama
    from wordllama import WordLlama
    from wordllama.inference import WordLlamaInference

    root = Path(wordllama.__file__).parent
    tokenizer = WordLlama.load_tokenizer(root / _TOKENIZER, use_local_if_exists=True)
    with safetensors.safe_open(root / _WEIGHTS, framework="np", device="cpu") as weights:
        table = weights.get_tensor("embedding.weight")
    return WordLlamaInference(table, tokenizer)


def embed(texts: list[str]) -> np.ndarray:
    """One length-1 float32 row per text (a text with no known token: a zero row)."""
    if not texts:
        return np.zeros((0, dimensions()), dtype=np.float32)
    if _candidate is not None:
        return _candidate[0](texts)
    rows = np.asarray(model().embed(texts, norm=False), dtype=np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)


def of_articles(articles: list[tuple[str, str]]) -> np.ndarray:
    """Each (English title, text)'s meaning: its title and the lead of its text."""
    return embed([" ".join([title, *text.split()[:LEAD_WORDS]]) for title, text in articles])


def pack(vector: np.ndarray) -> str:
    """A story's embedding as stored in its centroid JSON: float16 bytes in base64
    (684 characters), a tenth of the JSON list and fast to read back."""
    return base64.b64encode(vector.astype("<f2").tobytes()).decode("ascii")


def unpack(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<f2").astype(np.float32)


def stored(centroid: dict[str, object]) -> np.ndarray | None:
    """The meaning a stored centroid (a story's or a thread's) keeps: the sum of its
    members' meanings; None for one stored before meanings were kept, or by a model of
    another width (its vector says nothing in this model's space)."""
    packed = centroid.get("meaning")
    if not isinstance(packed, str) or not packed:
        return None
    vector = unpack(packed)
    return vector if len(vector) == dimensions() else None
