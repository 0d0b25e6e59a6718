"""The body repairs of issue 18, each on a small page written here: the lead, labelled
boxes, fact boxes, paragraphs dropped for their links, bodies only in a script payload,
and the author clean-up. Each page also has the markup that must stay."""

from __future__ import annotations

import json

import lxml.html

from pipelines.extract.blocks import PageBlocks
from pipelines.extract.boxes import without_appeals
from pipelines.extract.worker import Extracted, extract_page

URL = "https://news.example.org/2024/03/05/story.html"
STORY = [
    "The city council voted on Tuesday to extend the night bus network to the northern "
    "suburbs, after two years of complaints from shift workers.",
    "The new lines start in May and will run every twenty minutes between midnight and "
    "five in the morning, the transport department said in a statement.",
    "Opposition members called the plan too modest but voted for it, saying the suburbs "
    "had waited long enough for any service at all.",
    "Bus drivers' representatives welcomed the decision and said more staff would be "
    "hired before the first night lines open in the spring.",
]
LEAD = "Night buses will reach the northern suburbs from May, after years of complaints."


def page(head: str = "", before: str = "", inside: str = "", after: str = "") -> str:
    body = (
        "".join(f"<p>{p}</p>" for p in STORY[:2])
        + inside
        + "".join(f"<p>{p}</p>" for p in STORY[2:])
    )
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Night buses</title>'
        f"{head}</head><body><nav><a href='/'>Home</a></nav><main><article>"
        f"<h1>Night buses reach the suburbs</h1>{before}"
        f'<div class="story-body">{body}</div>{after}</article></main>'
        "<footer><p>© Example Media</p></footer></body></html>"
    )


def extract(html: str) -> Extracted:
    found = extract_page(html, URL)
    assert found is not None
    return found


def lines(html: str) -> list[str]:
    return extract(html).text.split("\n")


def test_the_shown_standfirst_goes_first() -> None:
    head = f'<meta name="description" content="{LEAD}">'
    before = f'<header><p class="dek">{LEAD}</p></header>'  # trafilatura leaves headers out
    assert lines(page(head, before=before)) == [LEAD, *STORY]


def test_a_description_the_page_does_not_show_is_not_added() -> None:
    head = f'<meta name="description" content="{LEAD}">'
    assert lines(page(head)) == STORY


def test_a_lead_set_in_two_paragraphs_comes_whole() -> None:
    first, second = "Night buses will reach the northern suburbs.", "The first lines open in May."
    head = f'<meta property="og:description" content="{first} {second}">'
    before = f'<header class="lead"><p>{first}</p><p>{second}</p></header>'
    assert lines(page(head, before=before))[:3] == [first, second, STORY[0]]


def test_a_labelled_box_goes_with_its_headlines_and_summaries() -> None:
    box = (
        '<div class="more"><h3>Read also</h3>'
        '<h4><a href="/a">Tram line to close for repairs</a></h4>'
        "<p>The line will be shut for three weeks in the summer while the tracks are "
        "replaced, the operator said.</p></div>"
    )
    assert lines(page(inside=box)) == STORY


def test_a_label_alone_takes_the_linked_headlines_after_it() -> None:
    inside = (
        "<p>DON'T MISS</p>"
        '<p><a href="/a">Tram line to close for three weeks in summer</a></p>'
        '<p><a href="/b">Airport rail link delayed again, minister admits</a></p>'
    )
    assert lines(page(inside=inside)) == STORY


def test_a_fact_box_is_not_body_text() -> None:
    box = (
        '<div class="factbox"><h3>Facts about night buses</h3><p>Night buses ran in the '
        "city from 1962 to 1991 and were brought back on two lines in 2015.</p></div>"
    )
    assert lines(page(inside=box)) == STORY


def test_a_sentence_whose_words_are_a_link_stays_whole() -> None:
    """trafilatura's precision mode drops a wrapped paragraph for its link."""
    linked = (
        '<section class="group"><div class="inline"><p><a href="/report">A report by the '
        "transport department</a> found that one in five night workers has no way home "
        "after midnight, and most of them walk.</p></div></section>"
    )
    sentence = (
        "A report by the transport department found that one in five night workers has "
        "no way home after midnight, and most of them walk."
    )
    assert lines(page(inside=linked)) == [*STORY[:2], sentence, *STORY[2:]]


def test_a_body_only_in_a_script_payload_is_read_from_it() -> None:
    caption = '<div class="img-box"><img src="/a.jpg"><div class="caption"><p>Buses at night. Photo agency</p></div></div>'
    markup = caption + "$$ARTICLEAD$$" + "".join(f"<p>{p}</p>" for p in STORY)
    state = {"article": {"id": 7, "contentHtml": markup, "title": "Night buses"}}
    # Serialised twice, as React server payloads nest JSON in a string.
    script = f"<script>self.__next_f.push([1, {json.dumps(json.dumps(state))}])</script>"
    html = (
        '<!DOCTYPE html><html lang="en"><head><title>Night buses</title></head>'
        f'<body><div id="root"></div>{script}</body></html>'
    )
    found = extract(html)
    assert found.text.split("\n") == STORY and found.method == "script-payload"


def test_authors_are_people_not_outlets_slugs_or_prefixes() -> None:
    def authors(head: str = "", before: str = "") -> list[str]:
        site = '<meta property="og:site_name" content="Example News">'
        return extract(page(site + head, before=before)).authors

    assert authors('<meta name="author" content="sophie-foster">') == ["Sophie Foster"]
    byline = '<div class="byline">von <a href="/autoren/anna-roth">Anna Roth</a></div>'
    outlet = '<meta name="author" content="Example News">'
    assert authors(outlet, before=byline) == ["Anna Roth"]
    assert authors(outlet) == ["Example News"]  # nobody else is named
    assert authors('<meta name="author" content="신현주 기자">') == ["신현주"]
    assert authors('<meta name="author" content="Elena Oberholzer (obe)">') == ["Elena Oberholzer"]
    edition = '<meta name="author" content="Anna Roth, EXAMPLE THÜRINGEN">'  # news.example.org
    assert authors(edition) == ["Anna Roth"]


def test_a_subscription_appeal_boxed_at_the_end_goes() -> None:
    """On the lines trafilatura returned (it keeps such boxes on real pages, e.g. Taz,
    junge Welt, El País), the appeal's box goes and the body stays."""
    appeal = [
        "Independent journalism needs you",
        "Our reporting is free for everyone because readers like you pay for it.",
        "Please support us with a monthly contribution of your choice.",
    ]
    html = (
        "<html><body><article><div class='body'>"
        + "".join(f"<section><p>{p}</p></section>" for p in STORY)
        + "<section class='bottom'><h3>"
        + appeal[0]
        + "</h3>"
        + "".join(f"<p>{p}</p>" for p in appeal[1:])
        + "</section></div></article></body></html>"
    )
    page_blocks = PageBlocks(lxml.html.fromstring(html))
    traced = page_blocks.trace([*STORY, *appeal])
    container = page_blocks.tree.find(".//div")
    assert [line.text for line in without_appeals(traced, container)] == STORY


def test_a_story_about_subscriptions_keeps_its_last_lines() -> None:
    story = page(inside="<p>Subscribers to the night-bus pass will pay less from May.</p>")
    assert "Subscribers to the night-bus pass will pay less from May." in lines(story)


def test_ad_labels_and_agency_notes_are_not_body_text() -> None:
    inside = "<p>Advertisement</p>"
    after = "<p>SOURCE: News agencies</p>"
    html = page(inside=inside).replace(f"{STORY[-1]}</p>", f"{STORY[-1]}</p>{after}")
    assert lines(html) == STORY


def test_a_tag_list_after_the_body_goes() -> None:
    tags = "<p>Tags</p><p>night buses, city council, northern suburbs, public transport</p>"
    html = page().replace(f"{STORY[-1]}</p>", f"{STORY[-1]}</p>{tags}")
    assert lines(html) == STORY


def test_a_newsletter_plug_goes_a_story_about_newsletters_stays() -> None:
    """Mid-body, away from the edges where the older promo rule looks."""
    more = [
        "Night-shift nurses at the two hospitals in the north had asked for the service.",
        "The council will review the timetable after six months of running the lines.",
        "A trial on one line last winter carried about four hundred people a night.",
    ]
    rest = "".join(f"<p>{p}</p>" for p in more)
    plug = "<p>Sign up for our morning newsletter and get the day's news in your inbox.</p>"
    news = "<p>The newsletter platform said its writers earned more than last year.</p>"
    assert lines(page(inside=plug + rest)) == [*STORY[:2], *more, *STORY[2:]]
    kept = lines(page(inside=news + rest))
    assert "The newsletter platform said its writers earned more than last year." in kept


def test_an_arrow_led_link_goes_a_german_quote_stays() -> None:
    more = [
        "Night-shift nurses at the two hospitals in the north had asked for the service.",
        "The council will review the timetable after six months of running the lines.",
        "A trial on one line last winter carried about four hundred people a night.",
    ]
    rest = "".join(f"<p>{p}</p>" for p in more)
    pointer = '<p>&gt;&gt; Compare <a href="/deals">bus passes and prices</a> here</p>'
    quote = (
        '<p>»Wir fahren ab Mai«, sagte <a href="/people/roth">Anna Roth</a> vom Verkehrsamt.</p>'
    )
    assert lines(page(inside=pointer + rest)) == [*STORY[:2], *more, *STORY[2:]]
    click = '<p>Click here to <a href="/doc">read the full timetable</a> as a document</p>'
    assert lines(page(inside=click + rest)) == [*STORY[:2], *more, *STORY[2:]]
    assert "»Wir fahren ab Mai«, sagte Anna Roth vom Verkehrsamt." in lines(
        page(inside=quote + rest)
    )
