"""What a crawl of a brand-new source (added by YAML only) keeps, end to end: a real
`scrapy crawl` of a local site (`newsspiders.testing.new_source`, which the benchmark's
`--crawl` mode uses too)."""

from __future__ import annotations

from newsspiders.testing.new_source import crawl

ENGLISH = [
    "The regional parliament approved the new water plan on Thursday after a debate "
    "that lasted late into the night.",
    "Farmers' groups had asked for a larger share of the reservoirs in dry summers, "
    "while the cities wanted guarantees for drinking water.",
    "The compromise keeps the current shares but adds a reserve that the government "
    "can release in a drought.",
    "Environmental groups said the reserve was too small and that rivers would still "
    "run low in the hottest weeks of the year.",
    "The plan now goes to the national water agency, which has three months to approve "
    "it or send it back with changes.",
]
CHINESE = [
    "市政府周二宣布，将把夜间公交线路延伸到北部郊区。这项决定是在倒班工人连续两年投诉之后作出的。",
    "交通部门在声明中说，新线路将于五月开通，从午夜到凌晨五点每二十分钟一班。",
    "反对派议员批评该计划过于保守，但仍投了赞成票，称郊区居民已经等待太久。",
    "司机代表对此表示欢迎，并说在首批夜间线路开通之前将招聘更多员工。",
]


def article(page_id: str, body: list[str], og_type: str, lang: str) -> tuple[str, str]:
    paragraphs = "".join(f"<p>{paragraph}</p>" for paragraph in body)
    html = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>Story {page_id}</title>"
        f'<meta property="og:type" content="{og_type}"></head><body>'
        f"<main><article><h1>Story {page_id}</h1>{paragraphs}</article></main></body></html>"
    )
    return page_id, html


def test_a_crawl_keeps_long_website_typed_and_short_cjk_articles_and_counts_drops() -> None:
    assert 120 < len("".join(CHINESE)) < 400  # a full article, under 400 characters
    pages = dict(
        [
            article("website", ENGLISH, "website", "en"),  # og:type=website, a long body
            article("chinese", CHINESE, "article", "zh"),
            article("video", [p.replace("water", "river") for p in ENGLISH], "video.other", "en"),
            article("teaser", ["Read the full story in our app."], "article", "en"),
        ]
    )
    result = crawl(pages, ["en", "zh"])
    assert set(result.texts) == {"website", "chinese"}
    assert result.texts["chinese"].startswith("市政府周二宣布")
    assert result.dropped == {"not_article": 1, "too_short": 1}
