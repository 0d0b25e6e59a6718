"""Meaning models for `bench.stories --meaning NAME`, measured on the same replays.

`minilm` is the shipped one (pipelines/stories/embedding.py), with window.py's own bars.
`wordllama` is the static word-embedding model the stories used before it: WordLlama's
256-dimension "l2_supercat" weights, which its wheel ships; its meaning of a text is the
average of its words. Install it with `.venv/bin/pip install -e '.[meaning-candidates]'`.

A model comes with its own bars: a model's cosines sit on its own scale (MiniLM's one
event in other words and two events of one beat both score higher than the static
model's), so the replay moves the meaning bars of pipelines/stories/window.py with it.
WordLlama's bars are those it was shipped with (docs/stories.md, "Meaning").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from pipelines.stories import embedding

_TOKENIZER = Path("tokenizers") / "l2_supercat_tokenizer_config.json"
_WEIGHTS = Path("weights") / "l2_supercat_256.safetensors"


@dataclass(frozen=True)
class Candidate:
    """A model to embed with, its width, and its own bars (none: window.py's)."""

    encoder: Callable[[list[str]], np.ndarray]
    width: int
    bars: dict[str, float] = field(default_factory=dict)


def remembering(encoder: Callable[[list[str]], np.ndarray]) -> Callable[[list[str]], np.ndarray]:
    """The encoder, remembering the vectors of texts it has read: a replay embeds each
    title more than once (its report, then the story's title)."""
    seen: dict[str, np.ndarray] = {}

    def encode(texts: list[str]) -> np.ndarray:
        new = [text for text in dict.fromkeys(texts) if text not in seen]
        if new:
            seen.update(zip(new, encoder(new), strict=True))
        return np.stack([seen[text] for text in texts])

    return encode


@lru_cache(maxsize=1)
def _wordllama() -> Any:
    """WordLlama 0.4.0's inference object, read from its package: its `load()` looks for
    the tokenizer under a folder the wheel does not have, then tries to download it."""
    try:
        import safetensors
        import wordllama
        from wordllama import WordLlama
        from wordllama.inference import WordLlamaInference
    except ImportError as missing:
        extra = ".venv/bin/pip install -e '.[meaning-candidates]'"
        raise SystemExit(f"--meaning wordllama needs {missing.name}: {extra}") from missing
    root = Path(wordllama.__file__).parent
    tokenizer = WordLlama.load_tokenizer(root / _TOKENIZER, use_local_if_exists=True)
    with safetensors.safe_open(root / _WEIGHTS, framework="np", device="cpu") as weights:
        table = weights.get_tensor("embedding.weight")
    return WordLlamaInference(table, tokenizer)


def wordllama(texts: list[str]) -> np.ndarray:
    """Length-1 rows: the average of each text's word vectors (a zero row for none)."""
    rows = np.asarray(_wordllama().embed(texts, norm=False), dtype=np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)


MODELS = {
    "minilm": Candidate(embedding.encode, embedding.DIMENSIONS),
    "wordllama": Candidate(
        wordllama, 256,
        {"MEANING_ALONE_MIN": 0.45, "MEANING_AGREES_MIN": 0.30, "REPORT_MEANING_MIN": 0.40,
         "THREAD_MEANING_MIN": 0.30},
    ),
}  # fmt: skip
