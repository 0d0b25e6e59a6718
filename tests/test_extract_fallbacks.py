"""The last sources a lookup tries, on small pages written here.

Dates and lead images are read lazily, declared values first: the page's markup
(`itemprop`, `<time datetime>`, `<link rel="image_src">`) is searched only when nothing
before it will do. These pages declare nothing else, so only the last source can answer;
and where both are there, the declared value must still win.
"""

from __future__ import annotations

from pipelines.extract.options import ExtractOptions
from pipelines.extract.text import word_ngrams
from pipelines.extract.worker import Extracted, extract_page

NO_SEARCH = ExtractOptions(search_date=False)  # no htmldate: only declared dates count
URL = "https://news.example.org/story"
STORY = (
    "<p>The harbour authority opened the new ferry terminal on Monday after three years "
    "of building work and two delays caused by flooding.</p>"
    "<p>Boats to the islands now leave every half hour, and the old quay will become a "
    "park with a market hall, the mayor said at the opening.</p>"
)


def page(head: str = "", before: str = "") -> str:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Ferry</title>'
        f"{head}</head><body><article>{before}<div class='story'>{STORY}</div>"
        "</article></body></html>"
    )


def extract(html: str) -> Extracted:
    found = extract_page(html, URL, NO_SEARCH)
    assert found is not None
    return found


def test_published_from_microdata_when_nothing_is_declared_in_the_head() -> None:
    before = '<span itemprop="datePublished" content="2024-06-03T08:00:00+02:00">3 June</span>'
    assert extract(page(before=before)).published == "2024-06-03T08:00:00+02:00"


def test_published_from_a_time_element_when_nothing_else_dates_the_page() -> None:
    before = '<time datetime="2023-01-09T17:45:00Z">9 January</time>'
    assert extract(page(before=before)).published == "2023-01-09T17:45:00+00:00"


def test_a_declared_date_wins_over_the_time_element() -> None:
    head = '<meta property="article:published_time" content="2023-01-08T06:00:00+00:00">'
    before = '<time datetime="2023-01-09T17:45:00Z">9 January</time>'
    assert extract(page(head, before)).published == "2023-01-08T06:00:00+00:00"


def test_image_from_the_image_src_link_when_none_is_declared() -> None:
    head = '<link rel="image_src" href="/media/ferry.jpg">'
    assert extract(page(head)).image_url == "https://news.example.org/media/ferry.jpg"


def test_a_declared_image_wins_over_the_image_src_link() -> None:
    head = (
        '<meta property="og:image" content="https://cdn.example.org/ferry-share.jpg">'
        '<link rel="image_src" href="/media/ferry.jpg">'
    )
    assert extract(page(head)).image_url == "https://cdn.example.org/ferry-share.jpg"


def test_word_ngrams_are_every_run_of_four_words_in_order() -> None:
    assert word_ngrams("One two, three four five!") == {
        ("one", "two", "three", "four"),
        ("two", "three", "four", "five"),
    }
    assert word_ngrams("Just three words") == {("just", "three", "words")}
    assert word_ngrams("…") == set()
