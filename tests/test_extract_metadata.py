"""Metadata the app shows, field by field, on small pages written here.

Pages in several languages and scripts (Latin, Cyrillic, Arabic, Japanese, Korean), each with
just the markup the case is about. The last section checks the body repairs the same way.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from pipelines.extract.options import ExtractOptions
from pipelines.extract.worker import Extracted, extract_page

NO_SEARCH = ExtractOptions(search_date=False)

URL = "https://news.example.org/2024/03/05/story.html"

PARAGRAPHS = {
    "en": [
        "The city council voted on Tuesday to extend the night bus network to the "
        "northern suburbs, after two years of complaints from shift workers.",
        "The new lines start in May and will run every twenty minutes between midnight "
        "and five in the morning, the transport department said in a statement.",
        "Opposition members called the plan too modest but voted for it, saying the "
        "suburbs had waited long enough for any service at all.",
    ],
    "de": [
        "Der Stadtrat hat am Dienstag beschlossen, das Nachtbusnetz bis in die nördlichen "
        "Vororte zu verlängern, nachdem Schichtarbeiter sich zwei Jahre lang beschwert hatten.",
        "Die neuen Linien starten im Mai und fahren zwischen Mitternacht und fünf Uhr "
        "morgens alle zwanzig Minuten, teilte das Verkehrsamt in einer Erklärung mit.",
        "Die Opposition nannte den Plan zu bescheiden, stimmte aber zu: Die Vororte hätten "
        "lange genug auf überhaupt irgendeine Verbindung gewartet.",
    ],
    "sv": [
        "Kommunfullmäktige beslutade på tisdagen att förlänga nattbussnätet till de norra "
        "förorterna, efter två år av klagomål från skiftarbetare.",
        "De nya linjerna startar i maj och går var tjugonde minut mellan midnatt och fem "
        "på morgonen, meddelade trafikförvaltningen i ett uttalande.",
        "Oppositionen kallade planen för blygsam men röstade för den, eftersom förorterna "
        "hade väntat länge nog på någon trafik alls.",
    ],
    "ru": [
        "Городской совет во вторник проголосовал за продление сети ночных автобусов "
        "до северных пригородов после двух лет жалоб работников ночных смен.",
        "Новые маршруты начнут работать в мае и будут ходить каждые двадцать минут с "
        "полуночи до пяти утра, сообщил транспортный департамент.",
        "Депутаты оппозиции назвали план слишком скромным, но поддержали его, заявив, "
        "что пригороды и так слишком долго ждали хоть какого-то сообщения.",
    ],
    "ar": [
        "صوّت مجلس المدينة يوم الثلاثاء على توسيع شبكة الحافلات الليلية لتشمل الضواحي "
        "الشمالية بعد عامين من شكاوى العاملين في المناوبات الليلية.",
        "وقالت إدارة النقل في بيان إن الخطوط الجديدة ستبدأ في مايو وستعمل كل عشرين "
        "دقيقة بين منتصف الليل والخامسة صباحاً.",
        "ووصف أعضاء المعارضة الخطة بأنها متواضعة لكنهم صوتوا لصالحها، قائلين إن "
        "الضواحي انتظرت طويلاً أي خدمة على الإطلاق.",
    ],
    "ja": [
        "市議会は火曜日、深夜バス網を北部の郊外まで延長する案を可決した。夜勤で働く"
        "人々からの苦情が二年間続いていた。",
        "交通局の発表によると、新路線は五月に運行を始め、午前零時から午前五時まで二十分"
        "ごとに運行する。",
        "野党議員は計画が控えめすぎると批判したが、郊外の住民は長く待ちすぎたとして"
        "賛成票を投じた。",
    ],
}


def page(
    lang: str = "en",
    head: str = "",
    before: str = "",
    after: str = "",
    paragraphs: list[str] | None = None,
    title: str = "Page",
) -> str:
    """A small article page: `head` extras, then the story between `before` and `after`."""
    body = "\n".join(f"<p>{p}</p>" for p in (paragraphs or PARAGRAPHS[lang]))
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title>{head}</head><body>"
        '<nav><a href="/">Home</a> <a href="/world">World</a></nav>'
        f'<main><article>{before}<div class="story-body">{body}</div>{after}</article></main>'
        "<footer><p>© Example Media</p></footer></body></html>"
    )


def json_ld(data: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


def extract(html: str, url: str = URL) -> Extracted:
    found = extract_page(html, url)
    assert found is not None
    return found


# --- title ---------------------------------------------------------------------


def test_title_is_the_visible_headline_when_declared_titles_agree() -> None:
    head = (
        '<meta property="og:title" content="Night buses reach the suburbs | Daily Planet">'
        '<meta property="og:site_name" content="Daily Planet">'
    )
    found = extract(page(head=head, before="<h1>Night buses reach the suburbs</h1>"))
    assert found.title == "Night buses reach the suburbs"


def test_title_takes_the_declared_spelling_of_a_headline_typeset_otherwise() -> None:
    # The <h1> sets curly quotes, the JSON-LD headline straight ones: the same words,
    # and the page's data carries the canonical text.
    declared = "Mayor calls night buses 'overdue' as suburbs wait"
    head = json_ld({"@type": "NewsArticle", "headline": declared}) + (
        '<meta property="og:title" content="Mayor calls night buses ‘overdue’ as suburbs wait">'
    )
    shown = "<h1>Mayor calls night buses ‘overdue’ as suburbs wait</h1>"
    assert extract(page(head=head, before=shown)).title == declared
    # Other words are another headline: the shown one stays.
    other = "<h1>Mayor calls night buses overdue</h1>"
    assert extract(page(head=head, before=other)).title != declared


def test_title_drops_the_site_name_from_a_russian_document_title() -> None:
    head = '<meta property="og:site_name" content="Вестник">'
    found = extract(page("ru", head=head, title="Ночные автобусы дойдут до пригородов — Вестник"))
    assert found.title == "Ночные автобусы дойдут до пригородов"


def test_title_picks_the_headline_among_several_arabic_h1() -> None:
    headline = "الحافلات الليلية تصل إلى الضواحي"
    head = json_ld({"@type": "NewsArticle", "headline": headline})
    html = page("ar", head=head, before=f"<h1>{headline}</h1>")
    html = html.replace("<nav>", "<nav><h1>جريدة المدينة</h1>")  # the logo is an h1 too
    assert extract(html).title == headline


def test_title_drops_a_japanese_site_name_after_a_full_width_bar() -> None:
    head = (
        '<meta property="og:title" content="深夜バス、郊外へ延伸｜ニチニチ新聞">'
        '<meta property="og:site_name" content="ニチニチ新聞">'
    )
    assert extract(page("ja", head=head)).title == "深夜バス、郊外へ延伸"


def test_title_is_the_headline_an_h1_and_og_title_share_after_different_kickers() -> None:
    headline = "«Die Busse fahren bald die ganze Nacht durch»"
    head = f'<meta property="og:title" content="Nachtverkehr in der Stadt: {headline}">'
    found = extract(page("de", head=head, before=f"<h1>Neue Linien ab Mai - {headline}</h1>"))
    assert found.title == headline


def test_title_agreed_by_every_declared_title_beats_a_document_title_repeating_the_h1() -> None:
    declared = "Nattbussar når förorterna"
    shown = "Nattbussarna når äntligen de norra förorterna i maj"
    head = (
        f'<meta property="og:title" content="{declared}">'
        f'<meta name="twitter:title" content="{declared}">'
        + json_ld({"@type": "NewsArticle", "headline": declared})
    )
    found = extract(page("sv", head=head, title=shown, before=f"<h1>{shown}</h1>"))
    assert found.title == declared


def test_title_keeps_the_break_an_h1_lost_between_its_kicker_and_headline() -> None:
    declared = "Nachtverkehr / Busse fahren ab Mai bis in die Vororte"
    head = f'<meta property="og:title" content="{declared}">' + json_ld(
        {"@type": "NewsArticle", "headline": "Busse fahren ab Mai bis in die Vororte"}
    )
    before = "<h1><span>Nachtverkehr</span>Busse fahren ab Mai bis in die Vororte</h1>"
    assert extract(page("de", head=head, before=before)).title == declared
    # An <h1> that a declared title repeats as it is keeps its own form.
    shown = "Nachtverkehr: Busse fahren ab Mai bis in die Vororte"
    head = f'<meta property="og:title" content="{declared}">' + json_ld(
        {"@type": "NewsArticle", "headline": shown}
    )
    assert extract(page("de", head=head, before=f"<h1>{shown}</h1>")).title == shown


def test_title_skips_an_h1_in_the_breadcrumb_trail_for_the_header_heading() -> None:
    # The trail's last crumb is an <h1> holding og:title; the reader reads the <h2>.
    shown = "Busse fahren ab Mai bis in die Vororte"
    head = '<meta property="og:title" content="Stadt verlängert die Nachtbuslinien">' + json_ld(
        {"@type": "NewsArticle", "headline": shown}
    )
    trail = (
        '<ol class="breadcrumbs"><li><a href="/">Start</a></li>'
        "<li><h1>Stadt verlängert die Nachtbuslinien</h1></li></ol>"
    )
    before = f"{trail}<header><h2>{shown}</h2></header>"
    assert extract(page("de", head=head, before=before)).title == shown
    # The same in a <nav>, the header heading holding a kicker element before og:title
    head = '<meta property="og:title" content="Busse fahren bis in die Vororte">' + json_ld(
        {"@type": "NewsArticle", "headline": "Nachtverkehr: Busse fahren ab Mai weiter"}
    )
    before = (
        "<nav><h1>Nachtverkehr: Busse fahren ab Mai weiter</h1></nav>"
        "<header><h2><span>Nachtverkehr</span> Busse fahren bis in die Vororte</h2></header>"
    )
    assert extract(page("de", head=head, before=before)).title == "Busse fahren bis in die Vororte"


def test_title_h1_counts_on_a_page_whose_layout_class_names_breadcrumbs() -> None:
    shown = "Busse fahren ab Mai bis in die Vororte"
    head = '<meta property="og:title" content="Nachtbus: Stadt gibt nach">' + json_ld(
        {"@type": "NewsArticle", "headline": shown}
    )
    html = page("de", head=head, before=f"<h1>{shown}</h1>")
    html = html.replace("<main>", '<main class="layout has-breadcrumbs">')
    assert extract(html).title == shown


def test_title_header_h2_does_not_outvote_og_and_json_ld_that_agree() -> None:
    declared = "Busse fahren ab Mai bis in die Vororte"
    head = (
        f'<meta property="og:title" content="{declared}">'
        '<meta name="twitter:title" content="Endlich: Nachtbus für alle">'
        + json_ld({"@type": "NewsArticle", "headline": declared})
    )
    before = f"<nav><h1>{declared}</h1></nav><h2>Endlich: Nachtbus für alle</h2>"
    assert extract(page("de", head=head, before=before)).title == declared


def test_title_kicker_element_goes_when_og_title_gives_the_headline_alone() -> None:
    # JSON-LD joins kicker and headline; og:title, the site's shared name, has no kicker.
    headline = "Busse fahren ab Mai bis in die Vororte"
    head = f'<meta property="og:title" content="{headline}">' + json_ld(
        {"@type": "NewsArticle", "headline": f"Nachtverkehr: {headline}"}
    )
    before = f"<h1><span>Nachtverkehr</span>{headline}</h1>"
    assert extract(page("de", head=head, before=before)).title == headline


def test_title_is_the_declared_title_the_document_title_repeats_when_no_heading_decides() -> None:
    social = "Night buses: the city finally listens"
    headline = "Night buses to reach the northern suburbs in May"
    head = (
        f'<meta property="og:title" content="{social}">'
        f'<meta name="twitter:title" content="{social}">'
        '<meta property="og:site_name" content="Daily Planet">'
        + json_ld({"@type": "NewsArticle", "headline": headline})
    )
    before = "<h1>Live: council votes on the transport plan</h1>"
    html = page(head=head, title=f"{headline} - Daily Planet", before=before)
    assert extract(html).title == headline


def test_title_reads_a_document_title_that_chains_section_and_site() -> None:
    headline = "Night buses to reach the northern suburbs in May"
    head = (
        '<meta property="og:title" content="Night buses: the city finally listens">'
        '<meta property="og:site_name" content="Planet">'
        + json_ld({"@type": "NewsArticle", "headline": headline})
    )
    html = page(head=head, title=f"{headline} | City News | Planet Online")
    assert extract(html).title == headline


def test_title_drops_a_korean_site_name_and_the_section_glued_before_it() -> None:
    head = (
        '<meta property="og:title" content="심야버스, 북부 교외까지 연장-사회ㅣ매일소식">'
        '<meta property="og:site_name" content="매일소식">'
        '<meta name="content_category" content="사회">'
    )
    paragraphs = [
        "시의회는 화요일 심야버스 노선을 북부 교외까지 연장하는 안을 통과시켰다. " * 4
    ] * 3
    assert (
        extract(page("ko", head=head, paragraphs=paragraphs)).title
        == "심야버스, 북부 교외까지 연장"
    )


def test_title_keeps_a_hyphenated_word_that_is_no_section() -> None:
    head = (
        '<meta property="og:title" content="Stadt plant neue Nachtbus-Linien">'
        '<meta property="article:section" content="Linien">'
    )
    assert extract(page("de", head=head)).title == "Stadt plant neue Nachtbus-Linien"


# --- published date --------------------------------------------------------------


def test_published_keeps_the_declared_time_zone() -> None:
    head = json_ld({"@type": "NewsArticle", "datePublished": "2024-03-05T09:30:00+03:00"})
    assert extract(page("ru", head=head)).published == "2024-03-05T09:30:00+03:00"


def test_published_without_a_zone_is_taken_as_utc() -> None:
    head = '<meta property="article:published_time" content="2023-07-01 08:15:00">'
    assert extract(page("ar", head=head)).published == "2023-07-01T08:15:00+00:00"


def test_published_reads_rfc_2822_dates() -> None:
    head = '<meta name="date" content="Tue, 05 Mar 2024 09:30:00 GMT">'
    assert extract(page(head=head)).published == "2024-03-05T09:30:00+00:00"


def test_published_skips_a_date_in_the_future() -> None:
    future = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    head = json_ld({"@type": "NewsArticle", "datePublished": future}) + (
        '<meta property="article:published_time" content="2021-11-02T07:00:00+09:00">'
    )
    assert extract(page("ja", head=head)).published == "2021-11-02T07:00:00+09:00"


def test_published_is_none_when_every_date_is_in_the_future() -> None:
    future = (datetime.now(UTC) + timedelta(days=400)).isoformat()
    head = json_ld({"@type": "NewsArticle", "datePublished": future})
    assert extract(page(head=head), url="https://example.org/story").published is None


def test_published_falls_back_to_htmldate_and_is_still_zone_aware() -> None:
    found = extract(page("ja"), url="https://news.example.jp/2022/05/17/bus.html")
    assert found.published is not None
    published = datetime.fromisoformat(found.published)
    assert published.tzinfo is not None
    assert published.date().isoformat() == "2022-05-17"


def test_no_date_search_when_the_feed_gave_one() -> None:
    # The pipeline passes search_date=False when the feed dated the item: the page's own
    # declared date still wins, but htmldate does not search the page for one.
    undated = extract_page(page("ja"), "https://news.example.jp/2022/05/17/bus.html", NO_SEARCH)
    assert undated is not None and undated.published is None
    dated = page(
        "ja", head='<meta property="article:published_time" content="2022-05-17T08:00:00+09:00">'
    )
    found = extract_page(dated, "https://news.example.jp/2022/05/17/bus.html", NO_SEARCH)
    assert found is not None and found.published == "2022-05-17T08:00:00+09:00"


# --- authors -----------------------------------------------------------------------


def test_authors_come_from_json_ld_people_in_order() -> None:
    head = json_ld(
        {
            "@type": "NewsArticle",
            "author": [
                {"@type": "Person", "name": "ليلى حسن"},
                {"@type": "Person", "name": "عمر خالد"},
            ],
        }
    )
    assert extract(page("ar", head=head)).authors == ["ليلى حسن", "عمر خالد"]


def test_authors_split_one_string_of_several_names() -> None:
    head = json_ld({"@type": "NewsArticle", "author": "Иван Петров и Мария Сидорова"})
    assert extract(page("ru", head=head)).authors == ["Иван Петров", "Мария Сидорова"]


def test_authors_drop_by_credentials_and_outlet() -> None:
    head = '<meta name="author" content="By Jane Roe, MS, RD | Daily Planet">'
    assert extract(page(head=head)).authors == ["Jane Roe"]


def test_authors_fall_back_to_the_byline() -> None:
    before = '<div class="byline"><span class="byline__by">文：</span><span class="author">山田太郎</span> 2024年3月5日</div>'
    assert extract(page("ja", before=before)).authors == ["山田太郎"]


def test_comment_authors_are_not_article_authors() -> None:
    after = '<section class="comments"><span class="comment-author">Troll 42</span><p>First!</p></section>'
    assert extract(page(after=after)).authors == []


def test_an_organisation_is_the_author_when_no_person_is_named() -> None:
    head = json_ld(
        {"@type": "NewsArticle", "author": {"@type": "NewsMediaOrganization", "name": "Reuters"}}
    )
    assert extract(page(head=head)).authors == ["Reuters"]


def test_the_outlet_as_it_names_itself_is_the_author_when_no_person_is_named() -> None:
    # Digits and domain names rule a string out as a person's name, not as the outlet's.
    head = '<meta property="og:site_name" content="welle24.example">' + json_ld(
        {"@type": "NewsArticle", "author": {"@type": "Organization", "name": "welle24.example"}}
    )
    assert extract(page("de", head=head)).authors == ["welle24.example"]
    head = '<meta property="og:site_name" content="Welle24">' + json_ld(
        {"@type": "NewsArticle", "author": {"@type": "Person", "name": "Welle24 Redaktion"}}
    )
    assert extract(page("de", head=head)).authors == ["Welle24 Redaktion"]


def test_byline_skips_hidden_labels_and_follow_buttons() -> None:
    before = (
        '<div class="authors"><span class="author-brand">'
        '<span class="visually-hidden">partnermagazin</span></span>'
        '<span>von</span> <a href="/autoren/jana-muster">Jana Muster</a>'
        '<button class="author-subscribe">Abonnieren</button></div>'
    )
    assert extract(page("de", before=before)).authors == ["Jana Muster"]


def test_byline_inside_a_hidden_box_is_no_byline() -> None:
    before = (
        '<div style="display: none"><a class="author-topics" href="/profil">Themen ändern</a>'
        '</div><div class="byline">Von Jana Muster</div>'
    )
    assert extract(page("de", before=before)).authors == ["Jana Muster"]


def test_byline_drops_the_place_of_the_dateline_but_keeps_an_agency() -> None:
    before = '<div class="byline">Von Anna Beispiel, Frankfurt</div>'
    assert extract(page("de", before=before)).authors == ["Anna Beispiel"]
    before = '<div class="byline">Von Anna Beispiel, dpa</div>'
    assert extract(page("de", before=before)).authors == ["Anna Beispiel", "dpa"]


def test_an_agency_credited_next_to_the_writer_is_an_author_the_outlet_is_not() -> None:
    head = '<meta property="og:site_name" content="Tagesblatt">' + json_ld(
        {
            "@type": "NewsArticle",
            "author": [
                {"@type": "Person", "name": "Paula Muster"},
                {"@type": "Organization", "name": "SDA"},
                {"@type": "Organization", "name": "Tagesblatt"},
            ],
        }
    )
    assert extract(page("de", head=head)).authors == ["Paula Muster", "SDA"]


def test_a_name_signed_in_bold_at_the_storys_end_is_the_author() -> None:
    paragraphs = [*PARAGRAPHS["ru"], "<strong>Анна Петрова</strong>"]
    head = json_ld({"@type": "NewsArticle", "author": {"@type": "Organization", "name": "Вестник"}})
    head += '<meta property="og:site_name" content="Вестник">'
    assert extract(page("ru", head=head, paragraphs=paragraphs)).authors == ["Анна Петрова"]


def test_a_bold_label_or_subheading_at_the_storys_end_is_no_author() -> None:
    for last in ("<strong>Contributing: Jane Roe</strong>", "<b>Background</b>"):
        paragraphs = [*PARAGRAPHS["en"], last]
        assert extract(page(paragraphs=paragraphs)).authors == []


# --- lead image ----------------------------------------------------------------------


def test_image_is_the_declared_share_image_made_absolute() -> None:
    head = '<meta property="og:image" content="/media/bus.jpg">'
    assert extract(page("ru", head=head)).image_url == "https://news.example.org/media/bus.jpg"


def test_image_falls_back_to_json_ld_image_object() -> None:
    head = json_ld(
        {
            "@type": "NewsArticle",
            "image": {"@type": "ImageObject", "url": "https://cdn.example.jp/bus.jpg"},
        }
    )
    assert extract(page("ja", head=head)).image_url == "https://cdn.example.jp/bus.jpg"


def test_image_falls_back_to_twitter_card() -> None:
    head = '<meta name="twitter:image" content="https://cdn.example.org/ar/bus.png">'
    assert extract(page("ar", head=head)).image_url == "https://cdn.example.org/ar/bus.png"


def test_no_image_when_none_is_declared() -> None:
    assert extract(page()).image_url is None


# --- section ---------------------------------------------------------------------------


def test_section_from_json_ld_article_section() -> None:
    head = json_ld({"@type": "NewsArticle", "articleSection": ["Общество", "Москва"]})
    assert extract(page("ru", head=head)).section == "Общество"


def test_section_from_meta_tag() -> None:
    head = '<meta property="article:section" content="محليات">'
    assert extract(page("ar", head=head)).section == "محليات"


def test_section_from_breadcrumbs() -> None:
    crumbs = ["ホーム", "社会", "深夜バス、郊外へ延伸"]
    head = json_ld(
        {
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": i + 1, "name": name}
                for i, name in enumerate(crumbs)
            ],
        }
    )
    assert extract(page("ja", head=head)).section == "社会"


def test_the_articles_own_breadcrumb_is_not_a_section() -> None:
    head = json_ld(
        {
            "@type": "BreadcrumbList",
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": 1,
                    "name": "الرئيسية",
                    "item": "https://news.example.org/",
                },
                {"@type": "ListItem", "position": 2, "name": "الحافلات الليلية", "item": URL},
            ],
        }
    )
    assert extract(page("ar", head=head)).section is None


def test_no_section_when_none_is_declared() -> None:
    assert extract(page()).section is None


# --- body repairs (the same small pages) --------------------------------------------------


def test_body_drops_newsletter_and_follow_prompts_in_any_language() -> None:
    for lang, prompt in [
        ("en", "Sign up for our newsletter and follow us on Facebook and Twitter."),
        ("ru", "Подписывайтесь на нашу рассылку и на наш канал в Telegram."),
        ("ar", "تابعونا على فيسبوك و تويتر للمزيد من الأخبار."),
    ]:
        text = extract(page(lang, after=f"<p>{prompt}</p>")).text
        assert text == "\n".join(PARAGRAPHS[lang]), lang


def test_body_keeps_a_story_line_that_merely_names_networks() -> None:
    story = [
        *PARAGRAPHS["en"],
        "Facebook and Instagram were down for six hours on the same night, the city said.",
    ]
    assert extract(page(paragraphs=story)).text == "\n".join(story)


def test_body_drops_read_also_links_and_image_credits() -> None:
    story = PARAGRAPHS["ru"]
    paragraphs = [
        story[0],
        'Читайте также: <a href="/2024/03/04/other.html">Метро закроют на ремонт</a>',
        story[1],
        "Фото: © Иван Петров",
        story[2],
    ]
    assert extract(page("ru", paragraphs=paragraphs)).text == "\n".join(story)


def test_body_split_by_an_ad_row_is_found_whole() -> None:
    first, second = (
        PARAGRAPHS["en"][:2],
        PARAGRAPHS["en"][2:]
        + [
            "Service on the existing central lines will not change, the department added, "
            "and fares stay at the daytime price for every passenger on every night route."
        ],
    )
    # trafilatura takes the first element its body selectors match, i.e. the first chunk
    chunk = '<div class="grid"><div class="article-body">{}</div></div>'
    html = page(
        paragraphs=["x"],
        before=chunk.format("".join(f"<p>{p}</p>" for p in first))
        + '<div class="ad-row"><span>Advertisement</span></div>'
        + chunk.format("".join(f"<p>{p}</p>" for p in second)),
    ).replace('<div class="story-body"><p>x</p></div>', "")
    assert extract(html).text == "\n".join(first + second)


def test_body_keeps_an_embedded_post_quoted_in_the_story() -> None:
    tweet = "We have waited two years for this bus. Finally! — Night Shift Union (@nightunion)"
    story = PARAGRAPHS["en"]
    html = page(paragraphs=story[:2]).replace(
        "</div></article>",
        f'<div class="social-embed"><blockquote class="twitter-tweet"><p>{tweet}</p>'
        f"</blockquote></div><p>{story[2]}</p></div></article>",
    )
    text = extract(html).text
    assert tweet in text and text.index(tweet) < text.index(story[2][:30])


def _misleading_page(declared_body: list[str]) -> str:
    """The story sits where trafilatura doesn't look; a long 'about us' box draws it."""
    about = "".join(f"<p>{p}</p>" for p in PARAGRAPHS["en"])
    head = json_ld({"@type": "NewsArticle", "articleBody": "\n\n".join(declared_body)})
    html = page("ru", head=head, after=f'<div class="about-us">{about}</div>')
    return html.replace('class="story-body"', 'class="comments"')


def test_body_from_json_ld_when_the_page_shows_it_and_trafilatura_missed_it() -> None:
    found = extract(_misleading_page(PARAGRAPHS["ru"]))
    assert found.text == "\n".join(PARAGRAPHS["ru"])  # paragraphs taken from the page
    assert found.method == "json-ld"


def test_json_ld_body_that_the_page_does_not_show_is_ignored() -> None:
    found = extract(_misleading_page(PARAGRAPHS["ar"]))
    assert found.method != "json-ld" and PARAGRAPHS["ar"][0] not in found.text
