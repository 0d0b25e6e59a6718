"""Clutter kept as body on real pages, each kind on a small page written here: the
credit for contributing reporters or a translator, a list of linked headlines, the
writer's byline at the top and the text of an overlay. Each page, or the test next to
it, also holds the look-alike that must stay."""

from __future__ import annotations

from tests.test_extract_repairs import STORY, extract, lines, page


def test_a_contributor_credit_at_the_end_goes() -> None:
    after = (
        "<p>Jane Roe contributed reporting from Kyiv.</p>"
        "<p>Additional reporting by John Doe; editing by Ann Lee</p>"
    )
    html = page().replace("</div></article>", f"{after}</div></article>")
    assert lines(html) == STORY


def test_a_translator_credit_at_the_end_goes() -> None:
    credit = "<p>Aus dem Englischen von Jan Doolan</p>"
    html = page().replace("</div></article>", f"{credit}</div></article>")
    assert lines(html) == STORY


def test_reporting_spoken_of_inside_the_story_stays() -> None:
    # Not at the edge: the same words in the middle of the story are the story.
    sentence = (
        "Two local journalists contributed reporting to the inquiry that the council "
        "commissioned last year."
    )
    more = [f"{line} The council will meet again in the autumn." for line in STORY[2:]]
    closing = "".join(f"<p>{line}</p>" for line in more)
    html = page(inside=f"<p>{sentence}</p>").replace(
        "</div></article>", f"{closing}</div></article>"
    )
    assert lines(html) == [*STORY[:2], sentence, *STORY[2:], *more]


HEADLINES = (
    "<ul>"
    '<li><strong>Trams:</strong> <a href="/a">The line to the harbour closes in June</a></li>'
    '<li><strong>Parking:</strong> <a href="/b">Fees rise again – good!</a></li>'
    '<li><strong>Cycling:</strong> <a href="/c">Three new lanes open downtown</a></li>'
    "</ul>"
)


def test_a_list_of_linked_headlines_goes_whole() -> None:
    assert lines(page(inside=HEADLINES)) == STORY


def test_a_list_of_points_with_a_link_stays() -> None:
    points = (
        "<ul>"
        "<li>Buses run every twenty minutes between midnight and five, "
        '<a href="/timetable">the timetable</a> shows.</li>'
        "<li>Tickets cost the same as during the day.</li>"
        "</ul>"
    )
    found = lines(page(inside=points))
    assert found[2:4] == [
        "- Buses run every twenty minutes between midnight and five, the timetable shows.",
        "- Tickets cost the same as during the day.",
    ]


AUTHOR = '<meta name="author" content="Anna Roe">'


def test_a_byline_at_the_top_of_the_body_goes() -> None:
    inside_top = '<div class="story-body"><p>Von Anna Roe, Frankfurt</p>'
    html = page(AUTHOR).replace('<div class="story-body">', inside_top)
    found = extract(html)
    assert found.text.split("\n") == STORY
    assert found.authors == ["Anna Roe"]


def test_a_bare_name_and_a_sentence_naming_the_writer_stay() -> None:
    # A name alone is kept (the sets disagree about it), and so is a first sentence
    # that merely mentions the writer.
    first = "Anna Roe, a reporter, rode the first night bus and found it full."
    inside_top = f'<div class="story-body"><p>Anna Roe</p><p>{first}</p>'
    html = page(AUTHOR).replace('<div class="story-body">', inside_top)
    assert lines(html) == ["Anna Roe", first, *STORY]


def test_the_text_of_an_overlay_a_button_opens_goes() -> None:
    toast = (
        '<div class="share-tools"><button>Copy link</button>'
        '<div class="toast-popup"><p>The link to the article has been copied.</p></div></div>'
        '<p class="Feedback">Found a mistake? Report it now.</p>'
    )
    html = page().replace("</div></article>", f"{toast}</div></article>")
    assert lines(html) == STORY
