"""Sparse vectors (term -> weight dicts) and the inverse document frequency they are
weighted with."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import chain

Vector = dict[str, float]


def normalised(vector: Mapping[str, float]) -> Vector:
    norm = math.sqrt(sum(value * value for value in vector.values()))
    return {key: value / norm for key, value in vector.items()} if norm else {}


def add_into(total: Vector, vector: Mapping[str, float]) -> None:
    for key, value in vector.items():
        total[key] = total.get(key, 0.0) + value


def strongest(vector: Mapping[str, float], keep: int) -> Vector:
    """The `keep` heaviest entries, rounded: what a story stores of its centroid."""
    top = sorted(vector.items(), key=lambda item: (-item[1], item[0]))[:keep]
    return {key: round(value, 4) for key, value in top}


class Idf:
    """Smoothed inverse document frequency over a fixed set of documents (vectors).

    Fixed for a whole matching round, so that the outcome does not depend on the order
    in which that round's articles are compared.
    """

    def __init__(self, documents: Iterable[Mapping[str, float]]):
        # Each document's keys are unique (vectors), so one count over them all is the
        # document frequency: a single pass in C, which a window of 20,000 stories needs.
        counted = list(documents)
        self.df: Counter[str] = Counter(chain.from_iterable(counted))
        self.documents = len(counted)
        self._known: dict[str, float] = {}

    def __call__(self, key: str) -> float:
        value = self._known.get(key)
        if value is None:
            value = math.log((self.documents + 1) / (self.df.get(key, 0) + 1)) + 1.0
            self._known[key] = value
        return value

    def weighted(self, vector: Mapping[str, float]) -> Vector:
        """The vector weighted by idf and scaled to length 1."""
        return normalised({key: value * self(key) for key, value in vector.items()})

    def twice(self, vector: Mapping[str, float]) -> Vector:
        """The vector as an article's side of a cosine with a centroid stored without
        idf: weighted to length 1, and weighted again for the centroid's side."""
        return {key: value * self(key) for key, value in self.weighted(vector).items()}

    def norm(self, vector: Mapping[str, float]) -> float:
        return math.sqrt(sum((value * self(key)) ** 2 for key, value in vector.items()))


def dot(small: Mapping[str, float], large: Mapping[str, float]) -> float:
    if len(small) > len(large):
        small, large = large, small
    return sum(value * large.get(key, 0.0) for key, value in small.items())
