"""Language-identification benchmark: accuracy and speed of the detectors and the pipeline.

    .venv/bin/python -m bench.langid [--data FILE] [--json FILE] [--repeat N]

On the Tatoeba sample (short sentences in 23 languages, `text<TAB>iso` with a header row)
it runs lingua restricted to those 23 languages, langdetect (seeded), fastText's bundled
small model, and the pipeline's decision (`pipelines.language.detection.identify_language`: script,
detector, fallback) with no page or source priors, with each primary; then the pipeline
restricted to the languages of config/sources.yaml instead. An `und` answer counts as an
error. Speed is sentences per second in one thread, models already loaded (best of
--repeat passes). It then checks every fixture article (newsspiders/testing/sites.py), whose
whole texts must all be recognised, and prints the per-language accuracy and the
confusions behind every error.

Exits 1 if the pipeline (lingua) is below the target on the sample or misses a fixture
article. A benchmark, not a test: nothing in tests/ reads this data.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from newsspiders.sources.model import languages_of, load_sources
from newsspiders.testing.sites import load_sites
from pipelines.language.detection import build_detector, identify_language
from pipelines.language.fasttext_backend import FastTextDetector
from pipelines.language.guess import Detector, Guess
from pipelines.language.langdetect_backend import LangdetectDetector
from pipelines.language.lingua_backend import LinguaDetector

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = (ROOT / ".." / "shared" / "benchmarks" / "langid" / "tatoeba-23.tsv").resolve()
SOURCES = ROOT / "config" / "sources.yaml"
TARGET = 0.98
PIPELINE = "pipeline, lingua"

Identify = Callable[[str], str]


@dataclass
class Run:
    name: str
    correct: int = 0
    undetermined: int = 0
    total: int = 0
    seconds: float = float("inf")
    per_language: Counter[str] = field(default_factory=Counter)
    right_per_language: Counter[str] = field(default_factory=Counter)
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    fixture_correct: int = 0
    fixture_total: int = 0
    fixture_misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def per_second(self) -> float:
        return self.total / self.seconds if self.seconds else 0.0


def load_sample(path: Path) -> list[tuple[str, str]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        next(handle)  # header
        for line in handle:
            text, _, language = line.rstrip("\n").rpartition("\t")
            if text:
                rows.append((text, language))
    return rows


def top(detector: Detector) -> Identify:
    """A bare detector's best answer ('und' if it has none)."""

    def identify(text: str) -> str:
        found: list[Guess] = detector.detect(text)
        return found[0].language if found else "und"

    return identify


def pipeline(detector: Detector) -> Identify:
    """The pipeline's decision with no page lang and no declared languages."""
    return lambda text: identify_language(detector, text).language


def contenders(languages: list[str]) -> dict[str, Identify]:
    production = frozenset(languages_of(load_sources(str(SOURCES)))) | {"en"}
    return {
        f"lingua ({len(languages)} languages)": top(LinguaDetector(languages)),
        "langdetect (seeded)": top(LangdetectDetector()),
        "fasttext lite": top(FastTextDetector()),
        PIPELINE: pipeline(build_detector("lingua", languages)),
        "pipeline, langdetect": pipeline(build_detector("langdetect", languages)),
        f"pipeline, lingua, sources.yaml ({len(production)} languages)": pipeline(
            build_detector("lingua", production)
        ),
    }


def measure(name: str, identify: Identify, rows: list[tuple[str, str]], repeat: int) -> Run:
    for text, _ in rows[:50]:
        identify(text)  # load the models before the clock starts
    run = Run(name)
    answers: list[str] = []
    for _ in range(repeat):
        start = time.perf_counter()
        answers = [identify(text) for text, _ in rows]
        run.seconds = min(run.seconds, time.perf_counter() - start)
    for (_, truth), answer in zip(rows, answers, strict=True):
        run.total += 1
        run.per_language[truth] += 1
        if answer == truth:
            run.correct += 1
            run.right_per_language[truth] += 1
        else:
            run.confusions[(truth, answer)] += 1
            run.undetermined += answer == "und"
    for site in load_sites().values():
        for article in site.articles:
            run.fixture_total += 1
            answer = identify(article.text)
            if answer == site.language:
                run.fixture_correct += 1
            else:
                run.fixture_misses.append(f"{site.key}/{article.slug}: {answer}")
    return run


def report(rows: list[tuple[str, str]], runs: list[Run]) -> dict[str, object]:
    languages = sorted({language for _, language in rows})
    print(f"{len(rows)} sentences in {len(languages)} languages; und counts as an error\n")
    print(f"{'':48} {'accuracy':>8} {'und':>4} {'sent/s':>7} {'fixture articles':>17}")
    for run in runs:
        fixtures = f"{run.fixture_correct}/{run.fixture_total}"
        print(
            f"{run.name:48} {run.accuracy:8.2%} {run.undetermined:4} {run.per_second:7.0f}"
            f" {fixtures:>17}"
        )
    main = next(run for run in runs if run.name == PIPELINE)
    verdict = "ok" if main.accuracy >= TARGET else "below target"
    print(f"\n{PIPELINE}: {main.accuracy:.2%}, target {TARGET:.0%}: {verdict}")

    print("\nper language (accuracy)")
    header = "".join(f" {index + 1:>6}" for index in range(len(runs)))
    print(f"{'':6}{header}")
    for language in languages:
        cells = "".join(
            f" {run.right_per_language[language] / run.per_language[language]:6.0%}" for run in runs
        )
        print(f"{language:6}{cells}")
    print("columns: " + "; ".join(f"{index + 1} {run.name}" for index, run in enumerate(runs)))

    print("\nerrors (true -> answer x count)")
    for run in runs:
        confusions = ", ".join(
            f"{truth}->{answer} x{count}" for (truth, answer), count in _ranked(run.confusions)
        )
        print(f"{run.name}: {confusions or 'none'}")
        if run.fixture_misses:
            print(f"  fixture misses: {', '.join(run.fixture_misses)}")
    return {
        "sentences": len(rows),
        "target": TARGET,
        "runs": [
            {
                "name": run.name,
                "accuracy": round(run.accuracy, 4),
                "und": run.undetermined,
                "sentences_per_second": round(run.per_second),
                "fixture_articles": [run.fixture_correct, run.fixture_total],
                "confusions": {f"{t}->{a}": n for (t, a), n in _ranked(run.confusions)},
            }
            for run in runs
        ],
    }


def _ranked(confusions: Counter[tuple[str, str]]) -> list[tuple[tuple[str, str], int]]:
    return sorted(confusions.items(), key=lambda item: (-item[1], item[0]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the TSV sample")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--repeat", type=int, default=1, help="timing passes (best is kept)")
    args = parser.parse_args(argv)

    if not args.data.is_file():
        print(f"no sample at {args.data}", file=sys.stderr)
        return 2
    rows = load_sample(args.data)
    languages = sorted({language for _, language in rows})
    runs = [
        measure(name, identify, rows, max(1, args.repeat))
        for name, identify in contenders(languages).items()
    ]
    figures = report(rows, runs)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    main_run = next(run for run in runs if run.name == PIPELINE)
    return 0 if main_run.accuracy >= TARGET and not main_run.fixture_misses else 1


if __name__ == "__main__":
    sys.exit(main())
