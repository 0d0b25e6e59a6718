"""The extract stage's page function on every fixture page."""

from __future__ import annotations

import pytest

from newsspiders.testing.sites import load_sites, render, render_article, render_tag, render_video
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


def test_article_type_wins_over_generic_webpage_type() -> None:
    assert is_article(["webpage", "newsarticle"])
    assert not is_article(["website"])
    assert is_article([])  # no declaration: the length gate decides
