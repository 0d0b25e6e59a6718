"""Dedup's identities: text hash and trusted canonical URL."""

from __future__ import annotations

from pipelines.dedup import trusted_canonical
from pipelines.neardup import content_hash


def test_content_hash_ignores_case_spacing_and_punctuation() -> None:
    assert content_hash("Le maire, a dit :\n« Oui. »") == content_hash("le maire a dit oui")
    assert content_hash("Le maire a dit oui") != content_hash("Le maire a dit non")


def test_canonical_url_is_trusted_only_on_the_same_host_and_not_the_home_page() -> None:
    assert trusted_canonical("https://x.org/a/story", "https://x.org/amp/a/story")
    assert not trusted_canonical("https://x.org/", "https://x.org/a/story")
    assert not trusted_canonical("https://other.org/a/story", "https://x.org/a/story")
