"""Article-body extraction benchmark: the extract stage against human-annotated bodies.

    .venv/bin/python -m bench.extraction [--data DIR] [--json FILE] [--worst N] [--repeat N]

Runs `pipelines.extract.worker.extract_page` (what the pipeline calls) and plain
`trafilatura.extract` with its defaults over every page of the sample, and prints
precision / recall / F1, pages per second for both, the cost ratio, and the worst pages
with the text they miss and the text they add.

The metric is the sample's (see its README.md, which follows the Zyte article-extraction
benchmark): tokens are runs of word characters (`\\w+`, Unicode, case kept); a text's
shingles are the bag of its overlapping 4-token n-grams (a text shorter than 4 tokens is one
shorter shingle); per page, true positives are the shingles both bags share (counted with
multiplicity), precision = tp / |predicted|, recall = tp / |true|; precision and recall are
each averaged over the pages where they are defined (precision is undefined for an empty
prediction, which still scores recall 0), and F1 is taken from the two means.

A benchmark, not a test: nothing in tests/ reads this data.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from statistics import mean

import trafilatura

from pipelines.extract.worker import extract_page

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = (ROOT / ".." / "shared" / "benchmarks" / "extraction").resolve()
SHINGLE = 4
TARGET_F1 = 0.972
MAX_COST_RATIO = 1.2
WARM_UP = 10  # pages run untimed first

_TOKEN = re.compile(r"\w+")


# --- the metric ---------------------------------------------------------------


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(words: list[str], n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    """The bag of overlapping n-grams; a short non-empty text is a single shorter one."""
    if not words:
        return Counter()
    if len(words) < n:
        return Counter([tuple(words)])
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


@dataclass
class PageScore:
    page_id: str
    url: str
    tp: int
    fp: int
    fn: int
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float:
        p, r = self.precision or 0.0, self.recall or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


def score_page(page_id: str, url: str, true: str, predicted: str) -> PageScore:
    true_bag = shingles(tokens(true))
    pred_bag = shingles(tokens(predicted))
    tp = sum((true_bag & pred_bag).values())
    score = PageScore(page_id, url, tp, pred_bag.total() - tp, true_bag.total() - tp)
    score.missing = unmatched_snippets(true, set(pred_bag))
    score.extra = unmatched_snippets(predicted, set(true_bag))
    return score


@dataclass
class Summary:
    precision: float
    recall: float
    f1: float
    pages: int
    empty_predictions: int


def summarise(scores: list[PageScore]) -> Summary:
    precisions = [s.precision for s in scores if s.precision is not None]
    recalls = [s.recall for s in scores if s.recall is not None]
    p = mean(precisions) if precisions else 0.0
    r = mean(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    empty = sum(1 for s in scores if s.precision is None)
    return Summary(round(p, 4), round(r, 4), round(f1, 4), len(scores), empty)


# --- reading failures ---------------------------------------------------------


def unmatched_snippets(text: str, other: set[tuple[str, ...]], limit: int = 3) -> list[str]:
    """The longest runs of `text` that share no shingle with the other side."""
    spans = [m.span() for m in _TOKEN.finditer(text or "")]
    words = [text[a:b] for a, b in spans]
    if not words:
        return []
    covered = [False] * len(words)
    if len(words) < SHINGLE:
        covered = [tuple(words) in other] * len(words)
    else:
        for i in range(len(words) - SHINGLE + 1):
            if tuple(words[i : i + SHINGLE]) in other:
                covered[i : i + SHINGLE] = [True] * SHINGLE
    runs: list[tuple[int, int]] = []  # (first token, last token) of each uncovered run
    start = None
    for i, hit in enumerate([*covered, True]):
        if not hit and start is None:
            start = i
        elif hit and start is not None:
            runs.append((start, i - 1))
            start = None
    runs.sort(key=lambda run: run[0] - run[1])  # longest first
    return [_clip(text[spans[a][0] : spans[b][1]], b - a + 1) for a, b in runs[:limit]]


def _clip(snippet: str, n_tokens: int, width: int = 150) -> str:
    flat = " ".join(snippet.split())
    if len(flat) > width:
        flat = flat[: width // 2 - 2] + " … " + flat[-(width // 2 - 2) :]
    return f"[{n_tokens} tokens] {flat}"


# --- running ------------------------------------------------------------------


@dataclass
class Page:
    page_id: str
    url: str
    html: str
    body: str


def load_pages(data: Path) -> list[Page]:
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for path in sorted((data / "html").glob("*.html.gz")):
        page_id = path.name.split(".")[0]
        if page_id not in truth:
            continue
        html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        entry = truth[page_id]
        pages.append(Page(page_id, entry.get("url") or "", html, entry.get("articleBody") or ""))
    return pages


def ours(page: Page) -> tuple[str, str]:
    found = extract_page(page.html, page.url)
    return (found.text, found.method) if found is not None else ("", "none")


def trafilatura_defaults(page: Page) -> tuple[str, str]:
    return trafilatura.extract(page.html) or "", "default"


Extractor = Callable[[Page], tuple[str, str]]
EXTRACTORS: dict[str, Extractor] = {"ours": ours, "trafilatura": trafilatura_defaults}
LABELS = {"ours": "extract_page (ours)", "trafilatura": "trafilatura.extract defaults"}


@dataclass
class Run:
    texts: list[str] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    seconds: float = 0.0


def run(pages: list[Page], repeat: int) -> dict[str, Run]:
    """Each extractor's output per page and its total seconds.

    The two run alternately page by page, so drift in machine load hits both alike; with
    `repeat` > 1 each page's fastest time counts.
    """
    # Warm-up: imports, regex compilation and parser caches happen once per worker
    # process in the pipeline, so they are not part of the per-page cost.
    for extract in EXTRACTORS.values():
        for page in pages[:WARM_UP]:
            extract(page)
    runs = {name: Run() for name in EXTRACTORS}
    for page in pages:
        for name, extract in EXTRACTORS.items():
            best = float("inf")
            for _ in range(repeat):
                started = time.perf_counter()
                text, method = extract(page)
                best = min(best, time.perf_counter() - started)
            runs[name].texts.append(text)
            runs[name].methods.append(method)
            runs[name].seconds += best
    return runs


def report(pages: list[Page], runs: dict[str, Run], worst: int) -> dict[str, object]:
    scores = {
        name: [
            score_page(p.page_id, p.url, p.body, text)
            for p, text in zip(pages, result.texts, strict=True)
        ]
        for name, result in runs.items()
    }
    summaries = {name: summarise(s) for name, s in scores.items()}
    rates = {name: len(pages) / result.seconds for name, result in runs.items()}
    ratio = runs["ours"].seconds / runs["trafilatura"].seconds
    methods = Counter(runs["ours"].methods)

    print(f"{len(pages)} pages\n")
    print(f"{'':30} {'precision':>9} {'recall':>7} {'F1':>7} {'pages/s':>8}")
    for name, summary in summaries.items():
        empty = f"   ({summary.empty_predictions} empty)" if summary.empty_predictions else ""
        print(
            f"{LABELS[name]:30} {summary.precision:9.3f} {summary.recall:7.3f} "
            f"{summary.f1:7.3f} {rates[name]:8.1f}{empty}"
        )
    f1_ok = "ok" if summaries["ours"].f1 >= TARGET_F1 else "below target"
    cost_ok = "ok" if ratio <= MAX_COST_RATIO else "over budget"
    print(f"\nF1 {summaries['ours'].f1:.3f}, target {TARGET_F1}: {f1_ok}")
    print(
        f"speed ratio (our time / trafilatura's): {ratio:.2f}x, budget {MAX_COST_RATIO}x: {cost_ok}"
    )
    print("bodies by method: " + ", ".join(f"{m} {n}" for m, n in methods.most_common()))

    ranked = sorted(scores["ours"], key=lambda s: s.f1)[:worst]
    if ranked:
        print(f"\n{len(ranked)} worst pages (ours)")
    for s in ranked:
        print(
            f"\n{s.page_id[:12]}  P {_fmt(s.precision)}  R {_fmt(s.recall)}  F1 {s.f1:.3f}  {s.url}"
        )
        _print_snippets("missing", s.missing)
        _print_snippets("extra", s.extra)

    return {
        "pages": len(pages),
        "metric": {"shingle": SHINGLE, "tokens": _TOKEN.pattern},
        **{
            name: {**asdict(summaries[name]), "pages_per_s": round(rates[name], 2)} for name in runs
        },
        "cost_ratio": round(ratio, 3),
        "methods": dict(methods),
        "worst": [
            {
                "id": s.page_id,
                "url": s.url,
                "precision": s.precision,
                "recall": s.recall,
                "f1": round(s.f1, 4),
                "missing": s.missing,
                "extra": s.extra,
            }
            for s in ranked
        ],
    }


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def _print_snippets(label: str, snippets: Iterable[str]) -> None:
    for snippet in snippets:
        print(f"  {label:8} {snippet}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the sample directory")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--worst", type=int, default=10, help="worst pages to show")
    parser.add_argument("--repeat", type=int, default=1, help="timing runs per page (min)")
    args = parser.parse_args(argv)

    pages = load_pages(args.data)
    if not pages:
        print(f"no pages under {args.data}", file=sys.stderr)
        return 2
    figures = report(pages, run(pages, max(1, args.repeat)), args.worst)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
