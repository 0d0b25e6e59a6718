from __future__ import annotations

from pipelines.language import Guess, LangdetectDetector, base_code, decide_language
from tests.fixtures.sites import load_sites

SITES = load_sites()


def test_detects_every_fixture_article_and_is_deterministic() -> None:
    detector = LangdetectDetector()
    for site in SITES.values():
        for article in site.articles:
            first = detector.detect(article.text)
            assert first[0].language == site.language, article.slug
            assert detector.detect(article.text) == first


def test_codes_are_iso_639_1() -> None:
    assert base_code("iw") == "he"
    assert base_code("zh-cn") == "zh"
    assert base_code("fr-FR") == "fr"
    assert base_code("pt_BR") == "pt"


def test_short_text_follows_page_lang_within_declared_languages() -> None:
    guesses = [Guess("de", 0.99)]
    assert decide_language(guesses, "Kurz.", "fr-CA", ["en", "fr"]).language == "fr"
    assert decide_language(guesses, "Kurz.", "de", ["en", "fr"]).language == "en"


def test_ambiguous_guess_outside_declared_falls_back_to_source() -> None:
    long_text = "x" * 500
    assert decide_language([Guess("ko", 0.6)], long_text, None, ["zh"]).language == "zh"
    # A confident guess outside the declared set is believed (e.g. an English page).
    assert decide_language([Guess("en", 0.99)], long_text, None, ["fr"]).language == "en"
    assert decide_language([Guess("fr", 0.7)], long_text, None, ["fr"]) == Guess("fr", 0.7)
