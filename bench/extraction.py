"""Extraction benchmark: the extract stage against hand-checked bodies and metadata.

    .venv/bin/python -m bench.extraction [--set zyte|fundus|all] [--json FILE] [--worst N]
                                         [--repeat N] [--crawl] [--misses]

On each shared set (`bench/extraction_sets.py`) it runs `pipelines.extract.worker.extract_page`
(what the pipeline calls) and plain `trafilatura.extract` with its defaults, alternating page
by page, and prints: body precision / recall / F1 for both, per language where the set
says and (ours) on each half of the publishers (of the hosts where the set names none);
the metadata fields (title exact after whitespace normalisation, published day, author
set) for ours and for trafilatura's
`bare_extraction`, also on each half of the publishers (sorted names, even / odd
positions: a rule tuned on one half shows on the other whether it generalises), and with
`--misses` every title and author miss; the share of pages the pipeline would store
(`pipelines.extract.keep.drop_reason`) and why the rest would go; the cost ratio (our
time / trafilatura's); and the worst pages with the text they miss and the text they add.
With `--crawl`, each set is also served as a local site and crawled as a brand-new source
added by YAML only (`newsspiders/testing/new_source.py`), and the body F1 and stored share
through the crawl, where every dropped page counts, are printed next to those of
extraction alone.

The metric is the sets' (see their README.md, which follow the Zyte article-extraction
benchmark): tokens are runs of word characters (`\\w+`, Unicode, case kept), except that
each Chinese, Japanese, Korean or Thai character is a token of its own; a text's shingles
are the bag of its overlapping 4-token n-grams (a text shorter than 4 tokens is one shorter
shingle); per page, true positives are the shingles both bags share (counted with
multiplicity), precision = tp / |predicted|, recall = tp / |true|; precision and recall are
each averaged over the pages where they are defined (precision is undefined for an empty
prediction, which still scores recall 0), and F1 is taken from the two means.

A benchmark, not a test: nothing in tests/ reads this data.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from statistics import mean
from typing import Any
from urllib.parse import urlsplit

import trafilatura

from bench.extraction_sets import SET_DIRS, Page, load_set
from newsspiders.settings import NEWS_MIN_TEXT_CHARS
from newsspiders.testing.new_source import crawl
from pipelines.extract.keep import drop_reason
from pipelines.extract.text import normalise
from pipelines.extract.worker import extract_page

SHINGLE = 4
TARGET_F1 = {"zyte": 0.98, "fundus": 0.975}
MAX_COST_RATIO = 1.1
WARM_UP = 30  # pages run untimed first (enough to reach the date parser's one-time set-up)

# One token per character in the scripts written without spaces between words.
_DENSE = "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_TOKEN = re.compile(f"[{_DENSE}]|[^\\W{_DENSE}]+")


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
class Output:
    """One extractor's answer for one page."""

    text: str
    method: str = ""
    title: str = ""
    published_day: str = ""
    authors: list[str] = field(default_factory=list)
    kept: str | None = None  # the drop reason, or None when the pipeline would store it


def ours(page: Page) -> Output:
    found = extract_page(page.html, page.url)
    if found is None:
        return Output("", "none", kept="extraction_failed")
    return Output(
        found.text,
        found.method,
        found.title,
        (found.published or "")[:10],
        found.authors,
        drop_reason(found, NEWS_MIN_TEXT_CHARS),
    )


def trafilatura_defaults(page: Page) -> Output:
    return Output(trafilatura.extract(page.html) or "", "default")


def trafilatura_metadata(page: Page) -> Output:
    """trafilatura's own metadata (untimed: not what the cost ratio compares)."""
    doc = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True)
    if doc is None:
        return Output("")
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    return Output("", title=doc.title or "", published_day=(doc.date or "")[:10], authors=authors)


Extractor = Callable[[Page], Output]
TIMED: dict[str, Extractor] = {"ours": ours, "trafilatura": trafilatura_defaults}
LABELS = {"ours": "extract_page (ours)", "trafilatura": "trafilatura.extract defaults"}


@dataclass
class Run:
    outputs: list[Output] = field(default_factory=list)
    seconds: float = 0.0


def run(pages: list[Page], repeat: int) -> dict[str, Run]:
    """Each timed extractor's output per page and its total seconds.

    The two run alternately page by page, so drift in machine load hits both alike; with
    `repeat` > 1 each page's fastest time counts.
    """
    # Warm-up: imports, regex compilation and parser caches happen once per worker
    # process in the pipeline, so they are not part of the per-page cost.
    for extract in TIMED.values():
        for page in pages[:WARM_UP]:
            extract(page)
    runs = {name: Run() for name in TIMED}
    for page in pages:
        for name, extract in TIMED.items():
            best = float("inf")
            output = Output("")
            for _ in range(repeat):
                started = time.perf_counter()
                output = extract(page)
                best = min(best, time.perf_counter() - started)
            runs[name].outputs.append(output)
            runs[name].seconds += best
    return runs


# --- metadata -------------------------------------------------------------------


def metadata_scores(pages: list[Page], outputs: list[Output]) -> dict[str, dict[str, float]]:
    """Share right of each field, over the pages whose truth has it."""
    checks: dict[str, list[bool]] = {"title": [], "published_day": [], "authors": []}
    for page, out in zip(pages, outputs, strict=True):
        if page.title is not None:
            checks["title"].append(_visible(out.title) == _visible(page.title))
        if page.published_day is not None:
            checks["published_day"].append(out.published_day == page.published_day)
        if page.authors is not None:
            checks["authors"].append(_name_set(out.authors) == _name_set(page.authors))
    return {
        name: {"right": round(mean(found), 3), "pages": len(found)}
        for name, found in checks.items()
        if found
    }


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u00ad\ufeff"))


def _visible(text: str) -> str:
    """Whitespace normalised, and the characters a reader cannot see (zero-width space,
    soft hyphen) left out: a title that differs only there is the same title."""
    return normalise(text.translate(_INVISIBLE))


def _name_set(names: list[str]) -> set[str]:
    return {normalise(name).casefold() for name in names}


def metadata_misses(pages: list[Page], outputs: list[Output]) -> list[dict[str, Any]]:
    """Each title and author set that is not right: the page, ours, the truth."""
    misses: list[dict[str, Any]] = []
    for page, out in zip(pages, outputs, strict=True):
        if page.title is not None and _visible(out.title) != _visible(page.title):
            misses.append(_miss(page, "title", out.title, page.title))
        if page.authors is not None and _name_set(out.authors) != _name_set(page.authors):
            misses.append(_miss(page, "authors", out.authors, page.authors))
    return misses


def _miss(page: Page, field_name: str, ours: object, truth: object) -> dict[str, Any]:
    return {"id": page.page_id, "field": field_name, "ours": ours, "truth": truth}


def publisher_halves(pages: list[Page]) -> dict[str, list[int]]:
    """Page indexes split by publisher (or host): sorted names, even and odd positions.

    Rules tuned while looking at one half show on the other whether they generalise.
    """
    names = [_publisher(p) for p in pages]
    position = {name: i for i, name in enumerate(sorted({n for n in names if n}))}
    halves: dict[str, list[int]] = {"even": [], "odd": []}
    for index, name in enumerate(names):
        if name:
            halves["odd" if position[name] % 2 else "even"].append(index)
    return halves if halves["even"] and halves["odd"] else {}


def _publisher(page: Page) -> str:
    """The set's publisher name; where the set has none (zyte), the URL's host, so that
    a site's several pages fall in the same half."""
    if page.publisher:
        return page.publisher
    host = urlsplit(page.url).hostname or ""
    return host.removeprefix("www.")


# --- reporting -----------------------------------------------------------------


def body_scores(pages: list[Page], outputs: list[Output]) -> list[PageScore]:
    return [
        score_page(p.page_id, p.url, p.body, out.text)
        for p, out in zip(pages, outputs, strict=True)
    ]


def report_set(
    name: str, pages: list[Page], repeat: int, worst: int, show_misses: bool = False
) -> dict[str, Any]:
    runs = run(pages, repeat)
    scores = {who: body_scores(pages, r.outputs) for who, r in runs.items()}
    summaries = {who: summarise(s) for who, s in scores.items()}
    rates = {who: len(pages) / r.seconds for who, r in runs.items()}
    ratio = runs["ours"].seconds / runs["trafilatura"].seconds
    ours_out = runs["ours"].outputs
    methods = Counter(out.method for out in ours_out)
    drops = Counter(out.kept for out in ours_out if out.kept)
    stored = 1 - sum(drops.values()) / len(pages)

    print(f"== {name}: {len(pages)} pages ({SET_DIRS[name]})\n")
    print(f"{'':30} {'precision':>9} {'recall':>7} {'F1':>7} {'pages/s':>8}")
    for who, summary in summaries.items():
        empty = f"   ({summary.empty_predictions} empty)" if summary.empty_predictions else ""
        print(
            f"{LABELS[who]:30} {summary.precision:9.3f} {summary.recall:7.3f} "
            f"{summary.f1:7.3f} {rates[who]:8.1f}{empty}"
        )
    target = TARGET_F1[name]
    f1_ok = "ok" if summaries["ours"].f1 >= target else "below target"
    cost_ok = "ok" if ratio <= MAX_COST_RATIO else "over budget"
    print(f"\nF1 {summaries['ours'].f1:.3f}, target {target}: {f1_ok}")
    print(
        f"cost ratio (our time / trafilatura's): {ratio:.2f}x, budget {MAX_COST_RATIO}x: {cost_ok}"
    )
    dropped = ", ".join(f"{reason} {n}" for reason, n in drops.most_common()) or "none"
    print(f"stored share {stored:.3f} (dropped: {dropped})")
    print("bodies by method: " + ", ".join(f"{m} {n}" for m, n in methods.most_common()))

    halves = _body_by_half(pages, scores["ours"])
    languages = _by_language(pages, scores)
    if len(languages) > 1:
        print(f"\n{'language':8} {'pages':>5} {'F1 ours':>8} {'F1 traf.':>8}")
        for lang, row in languages.items():
            print(f"{lang:8} {row['pages']:5d} {row['ours']:8.3f} {row['trafilatura']:8.3f}")

    metadata: dict[str, Any] = {}
    if any(p.title is not None for p in pages):
        peer = [trafilatura_metadata(p) for p in pages]
        metadata = {
            "ours": metadata_scores(pages, ours_out),
            "trafilatura": metadata_scores(pages, peer),
        }
        print(f"\n{'metadata (share right)':30} {'ours':>6} {'traf.':>6} {'pages':>6}")
        for field_name, figure in metadata["ours"].items():
            peer_figure = metadata["trafilatura"].get(field_name, {}).get("right", 0.0)
            print(f"{field_name:30} {figure['right']:6.3f} {peer_figure:6.3f} {figure['pages']:6d}")
        metadata["halves"] = _metadata_by_half(pages, ours_out, peer)
        metadata["misses"] = metadata_misses(pages, ours_out)
        if show_misses:
            _print_misses(metadata["misses"])

    ranked = sorted(zip(scores["ours"], ours_out, strict=True), key=lambda s: s[0].f1)[:worst]
    if ranked:
        print(f"\n{len(ranked)} worst pages (ours)")
    for s, out in ranked:
        dropped_note = f"  [{out.kept}]" if out.kept else ""
        print(
            f"\n{s.page_id[:40]}  P {_fmt(s.precision)}  R {_fmt(s.recall)}  F1 {s.f1:.3f}"
            f"  {out.method}{dropped_note}  {s.url}"
        )
        _print_snippets("missing", s.missing)
        _print_snippets("extra", s.extra)
    print()

    return {
        "pages": len(pages),
        "metric": {"shingle": SHINGLE, "tokens": _TOKEN.pattern},
        **{who: {**asdict(summaries[who]), "pages_per_s": round(rates[who], 2)} for who in runs},
        "cost_ratio": round(ratio, 3),
        "stored_share": round(stored, 4),
        "dropped": dict(drops),
        "languages": languages,
        "halves": halves,
        "metadata": metadata,
        "methods": dict(methods),
        "page_f1": {s.page_id: round(s.f1, 4) for s in scores["ours"]},
        "worst": [
            {
                "id": s.page_id,
                "url": s.url,
                "f1": round(s.f1, 4),
                "missing": s.missing,
                "extra": s.extra,
            }
            for s, _ in ranked
        ],
    }


def report_crawl(name: str, pages: list[Page], direct: dict[str, Any]) -> dict[str, Any]:
    """The set crawled as a new source: F1 over every page (a dropped page scores as an
    empty prediction) and the stored share, next to the figures of extraction alone."""
    languages = sorted({p.lang for p in pages if p.lang}) or ["en"]
    result = crawl({p.page_id: p.html for p in pages}, languages)
    outputs = [Output(result.texts.get(p.page_id, "")) for p in pages]
    summary = summarise(body_scores(pages, outputs))
    stored = len(result.texts) / len(pages)
    dropped = ", ".join(f"{r} {n}" for r, n in result.dropped.most_common()) or "none"
    print(f"== {name} crawled as a new source ({len(pages)} pages, {result.seconds:.0f} s)\n")
    print(f"{'':30} {'F1':>7} {'stored':>7}")
    print(f"{'extraction alone':30} {direct['ours']['f1']:7.3f} {direct['stored_share']:7.3f}")
    print(f"{'through the crawl':30} {summary.f1:7.3f} {stored:7.3f}")
    print(f"dropped by the crawl: {dropped}\n")
    return {
        "f1": summary.f1,
        "precision": summary.precision,
        "recall": summary.recall,
        "stored_share": round(stored, 4),
        "dropped": dict(result.dropped),
        "seconds": round(result.seconds, 1),
    }


def _by_language(
    pages: list[Page], scores: dict[str, list[PageScore]]
) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[int]] = {}
    for index, page in enumerate(pages):
        groups.setdefault(page.lang or "?", []).append(index)
    table: dict[str, dict[str, Any]] = {}
    for lang, indexes in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        row: dict[str, Any] = {"pages": len(indexes)}
        for who, page_scores in scores.items():
            row[who] = summarise([page_scores[i] for i in indexes]).f1
        table[lang] = row
    return table


def _body_by_half(pages: list[Page], scores: list[PageScore]) -> dict[str, dict[str, Any]]:
    """Body P / R / F1 on each half of the publishers (see `publisher_halves`)."""
    table: dict[str, dict[str, Any]] = {}
    for half, indexes in publisher_halves(pages).items():
        table[half] = asdict(summarise([scores[i] for i in indexes]))
    if table:
        figures = ", ".join(
            f"{half} {row['f1']:.3f} (P {row['precision']:.3f} / R {row['recall']:.3f}, "
            f"{row['pages']} pages)"
            for half, row in table.items()
        )
        print(f"body F1 by publisher half (sorted names, even / odd positions): {figures}")
    return table


def _metadata_by_half(
    pages: list[Page], ours_out: list[Output], peer: list[Output]
) -> dict[str, Any]:
    halves = publisher_halves(pages)
    if not halves:
        return {}
    print("by publisher half (sorted names, even / odd positions): ours (traf.)")
    table: dict[str, Any] = {}
    for half, indexes in halves.items():
        chosen = [pages[i] for i in indexes]
        table[half] = {
            "ours": metadata_scores(chosen, [ours_out[i] for i in indexes]),
            "trafilatura": metadata_scores(chosen, [peer[i] for i in indexes]),
        }
        figures = ", ".join(
            f"{field_name} {figure['right']:.3f} "
            f"({table[half]['trafilatura'].get(field_name, {}).get('right', 0.0):.3f})"
            for field_name, figure in table[half]["ours"].items()
        )
        print(f"  {half:4} {len(indexes):3d} pages: {figures}")
    return table


def _print_misses(misses: list[dict[str, Any]]) -> None:
    print(f"\n{len(misses)} metadata misses (ours / truth)")
    for miss in misses:
        print(f"  {miss['field']:7} {miss['id'][:40]}")
        print(f"          ours  {miss['ours']!r}\n          truth {miss['truth']!r}")


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def _print_snippets(label: str, snippets: Iterable[str]) -> None:
    for snippet in snippets:
        print(f"  {label:8} {snippet}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=["zyte", "fundus", "all"], default="all")
    parser.add_argument("--data", type=Path, help="another directory laid out like the set")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--worst", type=int, default=10, help="worst pages to show per set")
    parser.add_argument("--repeat", type=int, default=1, help="timing runs per page (min)")
    parser.add_argument(
        "--misses", action="store_true", help="print every title and author miss (ours / truth)"
    )
    parser.add_argument(
        "--crawl",
        action="store_true",
        help="also serve each set as a local site and crawl it as a new source",
    )
    args = parser.parse_args(argv)

    names = ["zyte", "fundus"] if args.set == "all" else [args.set]
    if args.data and len(names) > 1:
        print("--data needs --set zyte or --set fundus (the layout to read)", file=sys.stderr)
        return 2
    figures: dict[str, Any] = {}
    for name in names:
        pages = load_set(name, args.data)
        if not pages:
            print(f"no pages under {args.data or SET_DIRS[name]}", file=sys.stderr)
            return 2
        figures[name] = report_set(name, pages, max(1, args.repeat), args.worst, args.misses)
        if args.crawl:
            figures[name]["crawl"] = report_crawl(name, pages, figures[name])
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
