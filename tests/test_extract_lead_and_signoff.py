"""The standfirst in its other shapes (after a dateline, set in spans, reworded for the
meta description), the writer's sign-off at the body's end, the placeholder of an embed
awaiting consent, the timed headings of a live blog's entries and the container of
deeply wrapped paragraphs, each on a small page written here, with the text that must
stay next to what must go."""

from __future__ import annotations

import lxml.html

from pipelines.extract.blocks import PageBlocks, body_container
from pipelines.extract.gaps import with_dropped_paragraphs
from tests.test_extract_repairs import LEAD, STORY, extract, lines, page

DESCRIBED = f'<meta name="description" content="{LEAD}">'
AUTHOR = '<meta name="author" content="Jane Doe">'


def test_a_standfirst_after_a_dateline_is_the_lead() -> None:
    before = f'<header><p class="dek">Berlin. {LEAD}</p></header>'
    assert lines(page(DESCRIBED, before=before)) == [f"Berlin. {LEAD}", *STORY]


def test_a_dated_teaser_in_a_list_is_not_the_lead() -> None:
    before = f'<header><ul class="latest"><li>Berlin. {LEAD}</li></ul></header>'
    assert lines(page(DESCRIBED, before=before)) == STORY


def test_a_standfirst_set_in_spans_is_the_lead() -> None:
    before = (
        '<header><div class="dek"><span class="place">Berlin.</span> '
        f'<span class="text">{LEAD}</span></div></header>'
    )
    assert lines(page(DESCRIBED, before=before)) == [f"Berlin. {LEAD}", *STORY]


def test_a_reworded_standfirst_is_the_lead() -> None:
    reworded = (
        "Night buses will reach the northern suburbs in May, after years of complaints by workers."
    )
    head = f'<meta name="description" content="{reworded}">'
    before = f'<header><p class="dek">{LEAD}</p></header>'
    assert lines(page(head, before=before)) == [LEAD, *STORY]


def test_a_teaser_sharing_a_few_words_is_not_the_lead() -> None:
    teaser = "Read how the council spent the winter arguing about new tram lines and parking."
    before = f'<header><p class="dek">{teaser}</p></header>'
    assert lines(page(DESCRIBED, before=before)) == STORY


def test_the_lead_goes_before_a_headline_repeated_in_the_body() -> None:
    before = f'<header><p class="dek">{LEAD}</p></header>'
    inside = "<h2>Night buses reach the suburbs</h2>"
    found = lines(page(DESCRIBED, before=before, inside=inside))
    assert found[0] == LEAD
    assert found[1:] == [*STORY[:2], "Night buses reach the suburbs", *STORY[2:]]


def test_the_writers_name_alone_at_the_end_goes_and_stays_the_author() -> None:
    found = extract(page(AUTHOR, after="<p>Jane Doe</p>"))
    assert found.text.split("\n") == STORY
    assert found.authors == ["Jane Doe"]


def test_an_italic_note_about_the_writer_goes() -> None:
    note = "<p><em>Jane Doe is the paper's transport correspondent in the capital.</em></p>"
    assert lines(page(AUTHOR, after=note)) == STORY


def test_a_last_sentence_naming_the_writer_stays() -> None:
    plain = "Jane Doe contributed reporting from the depot, where the drivers met on Monday."
    assert lines(page(AUTHOR, after=f"<p>{plain}</p>")) == [*STORY, plain]
    late = "Correction: an earlier version of this story misspelt the name of Jane Doe."
    assert lines(page(AUTHOR, after=f"<p><em>{late}</em></p>")) == [*STORY, late]


def test_the_placeholder_of_an_embed_not_agreed_to_goes() -> None:
    placeholder = (
        '<div class="b4"><div class="nb"><p class="nw">Recommended editorial content</p>'
        "<p>Here you will find external content chosen by our editors, which adds to the "
        "article. You can show or hide it with one click.</p>"
        '<input id="agree" type="checkbox" class="visually-hidden">'
        '<label for="agree">Show external content</label>'
        "<p>I agree that external content is shown to me. Personal data may be passed to "
        "third parties; you can change or withdraw your consent in the data protection "
        "settings at any time.</p></div></div>"
    )
    assert lines(page(inside=placeholder)) == STORY


def test_a_story_about_consent_and_a_box_with_a_button_stay() -> None:
    about = (
        "Regulators said the cookie consent banners on council websites asked for more "
        "data than the law allows, and ordered them changed by June."
    )
    poll = (
        '<div class="poll"><p>Residents were asked in a survey whether night buses should '
        "run every night of the week or only at weekends.</p><button>Vote</button></div>"
    )
    found = lines(page(inside=f"<p>{about}</p>{poll}"))
    assert about in found
    assert any(line.startswith("Residents were asked in a survey") for line in found)


ENTRIES = [
    ("11.04 Uhr: Drivers ask for a shelter at the last stop", STORY[3]),
    ("09.30 Uhr: The council publishes the first timetable", STORY[1]),
    ("07.15 Uhr: The vote is confirmed in the morning session", STORY[2]),
]


def dropped_headings(headings: list[str]) -> list[str]:
    """A live blog whose entry headings trafilatura dropped (as precision mode does on
    long live pages), run through the step that puts dropped body blocks back."""
    entries = "".join(
        f'<h5 class="time"><span>{heading}</span></h5><p>{text}</p>'
        for heading, (_, text) in zip(headings, ENTRIES, strict=True)
    )
    tree = lxml.html.fromstring(f'<html><body><div class="live">{entries}</div></body></html>')
    blocks = PageBlocks(tree)
    kept = blocks.trace([text for _, text in ENTRIES])  # the paragraphs only
    container = tree.find(".//div")
    return [line.text for line in with_dropped_paragraphs(kept, blocks, container)]


def test_a_live_blog_gets_the_timed_headings_of_its_entries_back() -> None:
    headings = [heading for heading, _ in ENTRIES]
    found = dropped_headings(headings)
    # Between the first and the last kept paragraph: the second and third headings.
    assert found == [ENTRIES[0][1], headings[1], ENTRIES[1][1], headings[2], ENTRIES[2][1]]


def test_headings_without_a_time_are_not_put_back() -> None:
    untimed = ["Drivers ask for a shelter", "The first timetable", "The vote is confirmed"]
    assert dropped_headings(untimed) == [text for _, text in ENTRIES]


def test_paragraphs_wrapped_four_deep_each_still_share_a_container() -> None:
    wrapped = "".join(
        f'<div class="row"><div class="cell"><div><div><p>{text}</p></div></div></div></div>'
        for text in STORY
    )
    tree = lxml.html.fromstring(f'<html><body><main id="story">{wrapped}</main></body></html>')
    traced = PageBlocks(tree).trace(STORY)
    container = body_container(traced)
    assert container is not None and container.get("id") == "story"


def test_sibling_paragraphs_keep_their_own_parent_as_the_container() -> None:
    siblings = "".join(f"<p>{text}</p>" for text in STORY)
    page_html = (
        f'<html><body><main><div><div class="body">{siblings}</div></div></main></body></html>'
    )
    tree = lxml.html.fromstring(page_html)
    container = body_container(PageBlocks(tree).trace(STORY))
    assert container is not None and container.get("class") == "body"
