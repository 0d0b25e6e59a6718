"""The extract stage's page function on every fixture page."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pytest

from newsspiders.testing.sites import load_sites, render, render_article, render_tag, render_video
from pipelines.extract.keep import drop_reason, reading_length
from pipelines.extract.options import ExtractOptions
from pipelines.extract.worker import extract_page, is_article

BASE = "http://127.0.0.1:8000"
SITES = load_sites()
ARTICLES = [(site, a) for site in SITES.values() for a in site.articles]


@pytest.mark.parametrize(("site", "article"), ARTICLES, ids=[a.slug for _, a in ARTICLES])
def test_every_fixture_article_comes_out_whole_and_clean(site, article) -> None:
    found = extract_page(render_article(site, article, BASE), BASE + article.path)
    assert found is not None
    assert found.title == article.title
    assert found.text == article.text  # no cookie banner, menu, comments, related links
    assert found.authors == [article.author]
    assert found.section == article.section
    assert found.canonical_url == BASE + article.path
    assert found.image_url == f"{BASE}/media/{article.slug}.jpg"
    assert is_article(found.page_types)


def test_legacy_encoded_page_decodes_from_its_meta_charset() -> None:
    site = SITES["vestnik"]
    page = render(site, BASE, site.articles[0].path, {})
    assert page is not None and "charset" not in page.content_type
    with pytest.raises(UnicodeDecodeError):
        page.body.decode("utf-8")  # the fixture really is windows-1251


@pytest.mark.parametrize("renderer", [render_video, render_tag])
def test_video_and_tag_pages_are_not_articles(renderer) -> None:
    for site in SITES.values():
        found = extract_page(renderer(site, BASE), BASE + "/x/")
        assert found is not None and not is_article(found.page_types)


def test_body_selector_hint_overrides_trafilatura_choice() -> None:
    site = SITES["dailyherald"]
    article = site.articles[0]
    page = render_article(site, article, BASE)
    found = extract_page(page, BASE + article.path, ExtractOptions(body_css="section.comments"))
    assert found is not None
    assert article.comments[0]["text"] in found.text and article.paragraphs[0] not in found.text


def test_article_type_wins_and_generic_types_decide_nothing() -> None:
    assert is_article(["webpage", "newsarticle"])
    assert not is_article(["collectionpage"]) and not is_article(["video.other"])
    # og:type=website / WebPage sit on every page of many CMSs: the length gate decides
    assert is_article(["website"]) and is_article(["website", "webpage"])
    assert is_article([])


@dataclass
class _Found:
    text: str
    page_types: list[str] = field(default_factory=list)
    paywalled: bool = False


def test_a_long_body_on_a_website_typed_page_is_kept_a_short_one_is_not() -> None:
    body = "Der Minister sagte am Montag, die Reform komme im Herbst. " * 10
    assert drop_reason(_Found(body, ["website"]), 400) is None
    assert drop_reason(_Found(body[:200], ["website"]), 400) == "too_short"
    assert drop_reason(_Found(body, ["collectionpage", "website"]), 400) == "not_article"


@pytest.mark.parametrize(
    ("sentence", "kept_at"),
    [
        ("政府は月曜日、新しい経済対策を発表した。", 8),  # Japanese: 20 characters
        ("国务院总理周一宣布了新的经济刺激计划。", 8),  # Chinese: 19 characters
        ("정부는 월요일 새로운 경제 대책을 발표했다.", 8),  # Korean: 24 characters
        ("The government announced a new economic package on Monday.", 7),
    ],
)
def test_shortness_is_fair_to_every_script(sentence: str, kept_at: int) -> None:
    """The same news in any script passes or fails the 400 gate at a similar length:
    a character count alone would need three times as many sentences of Chinese."""
    assert reading_length(sentence * kept_at) >= 400 > reading_length(sentence * (kept_at - 3))
    assert drop_reason(_Found(sentence * kept_at), 400) is None
    assert drop_reason(_Found(sentence * (kept_at - 3)), 400) == "too_short"


@pytest.mark.parametrize("site", list(SITES.values()), ids=list(SITES))
def test_linked_words_inside_a_paragraph_are_body_text(site) -> None:
    """Each fixture article links the opening words of its second paragraph; the
    sentence must come out whole, not starting after the link."""
    article = site.articles[0]
    page = render_article(site, article, BASE)
    second = article.paragraphs[1]
    linked = second.split(" ")[:3] if len(second.split(" ")) > 6 else [second[:6]]
    assert f">{html.escape(' '.join(linked))}</a>" in page  # the fixture really links them
    found = extract_page(page, BASE + article.path)
    assert found is not None
    assert second in found.text.split("\n")
