"""Dedup's identities: text hash and trusted canonical URL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pipelines.dedup.fingerprints import content_hash
from pipelines.dedup.stage import trusted_canonical

ROOT = Path(__file__).resolve().parents[1]


def test_content_hash_ignores_case_spacing_and_punctuation() -> None:
    assert content_hash("Le maire, a dit :\n« Oui. »") == content_hash("le maire a dit oui")
    assert content_hash("Le maire a dit oui") != content_hash("Le maire a dit non")


def test_canonical_url_is_trusted_only_on_the_same_host_and_not_the_home_page() -> None:
    assert trusted_canonical("https://x.org/a/story", "https://x.org/amp/a/story")
    assert not trusted_canonical("https://x.org/", "https://x.org/a/story")
    assert not trusted_canonical("https://other.org/a/story", "https://x.org/a/story")


def test_fingerprints_use_datasketch_minhash_without_loading_scipy() -> None:
    # In a fresh interpreter, as in an extraction worker.
    script = (
        "import sys\n"
        "from pipelines.dedup.fingerprints import fingerprint\n"
        "text = ' '.join(f'word{i}' for i in range(300))\n"
        "bands = fingerprint(text).bands\n"
        "assert 'scipy' not in sys.modules, 'scipy was imported'\n"
        "import datasketch\n"
        "from pipelines.dedup.fingerprints import PERMUTATIONS, _template\n"
        "full = datasketch.MinHash(num_perm=PERMUTATIONS, seed=1)\n"
        "assert _template().__class__ is datasketch.MinHash\n"
        "assert (_template().permutations == full.permutations).all()\n"
        "print(len(bands))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "32"
