"""Does a report's wording tell a follow-on event from another report of the same event?

On the fixture stream (newsspiders/testing/story_stream.yaml), each later report of an
event is compared with the reports of its event that came before it, and each report
of a follow-on event with all the reports of the event it follows. Printed for both
groups: the terms cosine, the entities cosine and the cosine of the terms that are no
one's names (what happened), each idf-weighted over the stream's reports, and how
many of the title's non-name terms (alone, and with the lead sentence) the earlier
reports' titles (and leads) hold; and how many of the names the report is about (its
title's names that its text names too) the earlier reports never name, the signal the
matcher uses (window.new_subjects); and how well the earlier reports already say the
report's lead: each of its title and first two sentences against its closest sentence
of theirs, by the stories' sentence encoder, the least of the three (a follow-on
should say something new at the top). A signal that separates the two groups could
keep follow-on events apart (docs/stories.md, "The fixture stream").

    .venv/bin/python -m bench.follow_ons
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bench.meaning_models import remembering
from newsspiders.testing.story_stream import Report, load_stream
from pipelines.stories import embedding
from pipelines.stories.features import Features, features, name_terms
from pipelines.stories.vectors import Idf, Vector, add_into, dot, normalised
from pipelines.stories.window import new_subjects


def main() -> None:
    events = load_stream()
    by_key = {event.key: event for event in events}
    found = {r.key: features(r.title_en, r.text_en) for e in events for r in e.reports}
    idf_terms = Idf(f.terms for f in found.values())
    idf_entities = Idf(f.entities for f in found.values())

    def signals(report: Report, earlier: list[Report]) -> tuple[float, ...]:
        mine = found[report.key]
        terms = _centroid(found[r.key].terms for r in earlier)
        entities = _centroid(found[r.key].entities for r in earlier)
        names = name_terms(mine.entities) | name_terms(entities)
        return (
            dot(idf_terms.weighted(mine.terms), idf_terms.weighted(terms)),
            dot(idf_entities.weighted(mine.entities), idf_entities.weighted(entities)),
            dot(
                idf_terms.weighted(_without(mine.terms, names)),
                idf_terms.weighted(_without(terms, names)),
            ),  # fmt: skip
            _title_overlap(report, earlier, lead=False),
            _title_overlap(report, earlier, lead=True),
            float(len(new_subjects(mine, entities))),
            _lead_covered(report, earlier),
        )

    same, follow = [], []
    for event in events:
        reports = sorted(event.reports, key=lambda r: r.published)
        same += [signals(r, reports[:n]) for n, r in enumerate(reports[1:], 1)]
        for before in event.follows:
            follow += [signals(r, list(by_key[before].reports)) for r in reports]
    names = ("terms", "entities", "non-name terms", "title terms held", "title+lead held",
             "new subjects", "lead said before")  # fmt: skip
    for n, name in enumerate(names):
        print(f"{name}:")
        for group, rows in (("same event", same), ("follow-on", follow)):
            values = sorted(row[n] for row in rows)
            print(f"  {group:10} ({len(values)}): " + " ".join(f"{v:.2g}" for v in values))


def _centroid(vectors: Iterable[Vector]) -> Vector:
    total: Vector = {}
    for vector in vectors:
        add_into(total, normalised(vector))
    return total


def _without(vector: Vector, names: set[str]) -> Vector:
    return {key: value for key, value in vector.items() if key not in names}


def _headline_terms(report: Report, lead: bool) -> set[str]:
    """The non-name terms of the title (and of the text's first sentence)."""
    words = report.title_en + (" " + report.text_en.split(". ")[0] if lead else "")
    names = name_terms(_features(report).entities)
    return set(features(words, "").terms) - names


def _features(report: Report) -> Features:
    return features(report.title_en, report.text_en)


def _title_overlap(report: Report, earlier: list[Report], lead: bool) -> float:
    held = set().union(*(_headline_terms(r, lead) for r in earlier))
    return float(len(_headline_terms(report, lead) & held))


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_meaning_rows = remembering(embedding.encode)  # a report's sentences are read many times


def _told(report: Report) -> list[str]:
    """The report's title and its text's sentences, in order."""
    return [report.title_en, *filter(None, _SENTENCE_END.split(report.text_en.strip()))]


def _lead_covered(report: Report, earlier: list[Report]) -> float:
    """The least, over the title and the first two sentences, of the cosine with the
    closest sentence the earlier reports hold."""
    theirs = _meaning_rows([text for r in earlier for text in _told(r)])
    return float((_meaning_rows(_told(report)[:3]) @ theirs.T).max(axis=1).min())


if __name__ == "__main__":
    main()
