"""The translation guard's error rates (`pipelines.translate.guard`).

    .venv/bin/python -m bench.translation_guard [--sample FILE]

The guard judges an answer that should be English. Here each sentence of the language-ID
sample (../shared/benchmarks/langid/, short sentences, median 27 characters: as hard as
a headline) is handed to it as if a provider had answered it for a source in another
language: English sentences must pass (a false alarm would leave a good translation
pending), the others must be caught. It also runs the fixtures' English titles and
paragraphs, and a list of names and numbers, which must all pass.
The detector covers every language of config/sources.yaml, as in a crawl.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path

from newsspiders.sources.model import languages_of, load_sources
from newsspiders.testing.sites import load_sites
from pipelines.language.detection import DEFAULT_DETECTOR
from pipelines.translate.guard import MIN_LETTERS, AnswerGuard

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT.parent / "shared" / "benchmarks" / "langid" / "tatoeba-23.tsv"
NAMES = [
    "Emmanuel Macron", "Vladimir Putin", "2024", "COVID-19", "Tokyo", "Xi Jinping",
    "Olaf Scholz and Giorgia Meloni", "Erdoğan", "Real Madrid", "Bundesliga", "Kyiv",
    "Jean-Luc Mélenchon", "São Paulo", "FC Barcelona vs. Bayern München", "Oslo Børs",
    "Nguyễn Xuân Phúc", "iPhone 15 Pro Max", "El Niño", "Sri Lanka", "3-1",
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=Path, default=SAMPLE)
    args = parser.parse_args()
    languages = languages_of(load_sources(ROOT / "config" / "sources.yaml"))
    guard = AnswerGuard(DEFAULT_DETECTOR, languages)
    with args.sample.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))[1:]
    # The answer is compared with a different input: only the language is judged here.
    counts: Counter[tuple[str, str]] = Counter()
    for text, language in rows:
        source = "fr" if language == "en" else language
        caught = guard.check(["-"], [text], source, "en") is not None
        judged = sum(char.isalpha() for char in text) >= MIN_LETTERS
        group = "english" if language == "en" else "other"
        counts[group, "caught" if caught else "passed"] += 1
        if judged:
            counts[group, "judged"] += 1
            counts[group, "judged caught"] += caught
    english = counts["english", "caught"] + counts["english", "passed"]
    other = counts["other", "caught"] + counts["other", "passed"]
    print(
        f"sample: {args.sample.name}, {len(rows)} sentences;"
        f" answers under {MIN_LETTERS} letters are not judged"
    )
    print(f"English sentences flagged (false alarms): {counts['english', 'caught']} / {english}")
    print(
        f"non-English sentences caught: {counts['other', 'caught']} / {other}"
        f" ({counts['other', 'caught'] / max(other, 1):.1%}); of those long enough to judge:"
        f" {counts['other', 'judged caught']} / {counts['other', 'judged']}"
        f" ({counts['other', 'judged caught'] / max(counts['other', 'judged'], 1):.1%})"
    )
    fixtures = [
        text
        for site in load_sites().values()
        for article in site.articles
        for text in [
            article.title_en,
            *article.paragraphs_en,
            article.title_en + "\n" + "\n".join(article.paragraphs_en),
        ]
    ]
    flagged = [text for text in fixtures if guard.check(["-"], [text], "fr", "en")]
    print(
        f"fixture English titles, paragraphs and articles flagged: {len(flagged)} / {len(fixtures)}"
    )
    names = [name for name in NAMES if guard.check([name], [name], "fr", "en")]
    print(f"names and numbers (echoed) flagged: {len(names)} / {len(NAMES)} {names or ''}")


if __name__ == "__main__":
    main()
