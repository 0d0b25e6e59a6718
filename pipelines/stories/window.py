"""The stories of one time window in memory, and the rule that places an article in one.

An article joins the story whose centroid it is closest to when (docs/stories.md):

- it is within the window of the story's first report: a story's span is its event's,
  fixed by its first report, never stretched by later ones (Story.covers);
- for a full report, both signals agree: its terms are close to the story's (TF-IDF
  cosine >= TERMS_MIN), the same kind of event told with the same words, and its
  entities are (cosine of idf-weighted names and numbers >= ENTITIES_MIN), the same
  places, people and figures; and its meaning does not tell another event (title and
  lead, >= REPORT_MEANING_MIN); a headline alone is judged on its terms
  and its meaning, since its capitals do not tell names from headline case: its
  meaning close (embedding cosine >= MEANING_ALONE_MIN, one event in other words), or
  agreeing (>= MEANING_AGREES_MIN) with a word in common;
- both likenesses count less the later the article comes in the story's span (fading
  to FADE_TO at its end);
- a full report's title shares a name with the titles of the story's reports, or
  the two sides' texts name each other's headline names (the town, the country); and
  it is not about people the story never names (two or more names in its title and
  text that none of the story's reports gives: a follow-on event, another candidate);
- a full report's title shares a word with the story's titles, or the two sides' texts
  tell each other's headlines (title_words_meet): a digest or a feature that shares an
  event's names, words and lead headlines something else.

After the round, a stored story that took reports in it may merge into a larger story
of the same event that it now meets (consolidate), older or founded within TWIN_HOURS
after it: the first reports of an event can found two stories before either has
formed, in one run or in two half an hour apart.

Either signal alone merges too much (see docs/stories.md): two parliaments voting on
the same day share terms, and a local paper's stories share its town's names.
Otherwise the article founds a story of its own.

Only stories sharing a name or number with the article (or, for a headline alone, one
of its terms, or a close meaning) are scored, found through an inverted index (and one
matrix product for the meaning), so an article costs the same however large the
archive is, and little more in a busy window.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta

from pipelines.stories.features import Features
from pipelines.stories.meanings import NearInMeaning, cosine, direction
from pipelines.stories.representative import KeptTitleMeaning, Representatives
from pipelines.stories.story import Story, StoryArticle
from pipelines.stories.vectors import Idf, Vector

TERMS_MIN = 0.19
# Outlets tell one event by different names (the band or its members, the patient
# unnamed): 0.25 keeps reports of one event sharing a quarter of their weighted names.
# The meaning's bar (REPORT_MEANING_MIN) now parts what a higher bar did: the dated
# one-off events stay alone as often at 0.25 as at 0.30 (docs/stories.md).
ENTITIES_MIN = 0.25
# Names carried by this many stories of the window ("President", "Minister") find no
# candidates: they would cost time and cannot reach ENTITIES_MIN on their own.
MAX_POSTING = 300
TERM_KEY = "~"  # terms and names share the inverted index: "~flood" is a term
TERMS_INDEXED = 12  # a report's strongest terms that file its story in the index
TERMS_ALONE_MIN = 0.15
FADE_TO = 0.6
MAX_CANDIDATES = 40
# Merging two stored stories (consolidate): the one that took reports in the round holds
# no more reports than the one it merges into, and began within that one's window;
# their centroids meet by the joining rule with terms at least MERGE_TERMS_MIN; and at
# least MERGE_AGREE of the reports it took in the round would have joined the other too:
# the two compete for the same coverage.
MERGE_TERMS_MIN = 0.20
MERGE_AGREE = 0.5
# The story merged into is the older one, or its twin: founded at most TWIN_HOURS after
# it. Run every 30 minutes, one event's first headlines found two stories in two runs
# and both grow; once the younger is the larger, the older (no larger) could merge into
# nothing, and the two stayed apart for good (headlines, 30 days, every 30 min: B³ F1
# 0.872 against 0.896 a day at a time). A story begun longer before is more likely an
# earlier event of the beat (docs/stories.md, "Merging young stories").
TWIN_HOURS = 6.0
# Meaning (embedding.py): a headline alone also joins a story whose meaning is this
# close (cosine of its title's embedding with the story's, faded like the others): one
# event told in other words. The stories closest in meaning are its candidates too,
# MEANING_CANDIDATES of them, since they may share no indexed term. MiniLM's scale:
# from 0.45 to 0.55 the headlines' B³ F1 stays flat (docs/stories.md, "The model:
# MiniLM").
MEANING_ALONE_MIN = 0.50
MEANING_CANDIDATES = 20
# A headline's few words make a noisy cosine (one shared word, "villages", can reach
# TERMS_ALONE_MIN across two events; two wordings of one event may share one common
# word); its meaning averages all its words. So a single headline joins on its words
# only when its meaning agrees (>= MEANING_AGREES_MIN), and then any word in common to
# speak of will do (>= TERMS_MEANT_MIN). A story of several standing as one (second
# look, merges) keeps the words-only rule: its angles on one event may differ in
# meaning. Sweep in docs/stories.md: 0.25 lets other events of a dense beat in, 0.35
# parts one event's headlines.
MEANING_AGREES_MIN = 0.30
TERMS_MEANT_MIN = 0.06
# A full report must agree in meaning too: one leader's or one country's other events
# share its names and words, and only the meaning of its title and lead tells them
# apart. On MiniLM's scale 0.40 lets a follow-on event and a real day's wrong pair in,
# 0.50 parts one of the fixture's events (docs/stories.md, "The model: MiniLM"; the
# signal's history under "A full report's meaning agrees").
REPORT_MEANING_MIN = 0.45
# A full report about people the story never names (names in its title and its text,
# in none of the story's reports) is another event: the loser's leadership bid after an
# election, the other candidate's win in the same state. One such name is allowed: a
# local angle headlines its own country or town ("France sends rescuers"). 99: off.
NEW_SUBJECTS_MAX = 1
# A full report whose title shares no word with the story's titles joins only when the
# two sides' texts tell this share of each other's headline words (title_words_meet):
# the fixture stream's "tear gas against demonstrators" beside the fuel protests' other
# reports does; the real day's digest, feature and gift guide beside an event do not
# (docs/stories.md, rule 4).
TITLE_TOLD = 0.75
# The second look merges a new story standing as one (its centroid) into another. A
# centroid of many headlines says the beat more than the event: at dense paces two
# stories of one beat (the markets, a festival) meet centroid to centroid though few of
# their headlines meet the other story, and their merges made most wrong pairs of the
# replays. A new story of more than SECOND_LOOK_FREE reports merges only when at least
# SECOND_LOOK_AGREE of them would join the other story on their own.
SECOND_LOOK_FREE = 10
SECOND_LOOK_AGREE = 0.3


class StoryWindow:
    def __init__(
        self, stories: list[Story], batch: list[Features], window: timedelta,
        kept_title_meaning: KeptTitleMeaning | None = None,
    ) -> None:  # fmt: skip
        # One idf for the round, over the window's stories and the articles to place.
        self.idf_terms = Idf([*(s.terms for s in stories), *(f.terms for f in batch)])
        self.idf_entities = Idf([*(s.entities for s in stories), *(f.entities for f in batch)])
        self.window = window
        self.stories: list[Story] = []
        # Each story's idf norms, worked out when it is first scored: most of a large
        # window's stories are never a candidate in a round.
        self._norms: list[tuple[float, float] | None] = []
        # Terms file stories in the index only when a headline alone will look them up.
        self._by_terms = any(features.headline_only for features in batch)
        self._postings: defaultdict[str, list[int]] = defaultdict(list)
        self._indexed: list[set[str]] = []  # each story's keys in the postings
        self._founded: dict[int, list[StoryArticle]] = {}  # this round's stories: members
        self._gone: set[int] = set()  # this round's stories merged into another
        self._grown: defaultdict[int, list[StoryArticle]] = defaultdict(list)  # stored: new members
        self._near = NearInMeaning(stories, batch, MEANING_ALONE_MIN, MEANING_CANDIDATES)
        self._representatives = Representatives(kept_title_meaning)
        for story in stories:
            self._add(story)

    def place(self, article: StoryArticle) -> tuple[Story, bool]:
        """The story the article joins, and whether that story is new."""
        found = self.best_match(article)
        if found is None:
            story = Story.founded_by(article)
            # Its founder stands for it: offering it only keeps the title's embedding.
            self._representatives.offer(story, article.title, article.id, article.title_meaning)
            self._founded[len(self.stories)] = [article]
            self._add(story)
            self._near.move(len(self.stories) - 1, story)
            return story, True
        self._join(*found, article)
        return found[1], False

    def second_look(self) -> None:
        """Give the round's new stories a second chance, smallest first, now that the
        round's other stories have grown: two angles on one event (a local one, a
        background one), or its first few headlines, may share too little with each
        other to meet, yet each meets the main coverage that came after them. A new
        story whose centroid meets another story by the same rule merges into it; one of
        more than SECOND_LOOK_FREE reports only if SECOND_LOOK_AGREE of them would join
        it on their own. Stories stored by earlier rounds are left to consolidate."""
        for index in sorted(self._founded, key=lambda i: (len(self._founded[i]), i)):
            members = self._founded[index]
            story = self.stories[index]
            self._gone.add(index)
            found = self.best_match(_as_article(story, members), members=members, back=index)
            if found is None:
                self._gone.discard(index)
                continue
            target, into = found
            if len(members) > SECOND_LOOK_FREE:
                agree = sum(self._would_join(article, target) for article in members)
                if agree < SECOND_LOOK_AGREE * len(members):
                    self._gone.discard(index)
                    continue
            for article in members:
                self._join(target, into, article)

    def consolidate(self) -> list[tuple[Story, Story]]:
        """Merge stored stories that grew this round into a larger story of their event,
        smallest first; the (merged, kept) pairs. The first reports of an event may found
        two stories (two wordings, neither story formed yet, in one run or in two), and
        each grows in later runs on its side. Once their centroids meet by the joining
        rule (terms >= MERGE_TERMS_MIN) and most of the round's reports of the grown one
        would have joined the other as well (MERGE_AGREE), the grown one (no larger)
        merges into the other, older or its twin (TWIN_HOURS), which keeps its id. A
        story in a thread is never merged (its thread points at it)."""
        merges = []
        grown = [i for i in self._grown if i not in self._gone and not self.stories[i].in_thread]
        for index in sorted(grown, key=lambda i: (self.stories[i].article_count, i)):
            story = self.stories[index]
            self._gone.add(index)
            found = self.best_match(
                _story_as_article(story), merging=story, members=self._grown[index]
            )
            if found is None:
                self._gone.discard(index)
                continue
            target, kept = found
            members = self._grown[index]
            agree = sum(self._would_join(article, target) for article in members)
            if agree < MERGE_AGREE * len(members):
                self._gone.discard(index)
                continue
            self._grown[target].extend(members)
            kept.merge(story)
            self._representatives.offer(kept, story.title, story.article_id)
            self._near.move(target, kept)
            self._reindex(target, self._keys(story.entities, story.terms))
            merges.append((story, kept))
        return merges

    def changed(self) -> list[Story]:
        """The stories this round founded or added to."""
        return [s for i, s in enumerate(self.stories) if s.joined and i not in self._gone]

    def _join(self, index: int, story: Story, article: StoryArticle) -> None:
        story.absorb(article)
        self._representatives.offer(story, article.title, article.id, article.title_meaning)
        self._near.move(index, story)
        if index in self._founded:  # a new story's members move with it if it merges
            self._founded[index].append(article)
        else:
            self._grown[index].append(article)
        self._reindex(index, self._keys(article.features.entities, article.features.terms))

    def best_match(
        self,
        article: StoryArticle,
        merging: Story | None = None,
        members: list[StoryArticle] | None = None,
        back: int | None = None,
    ) -> tuple[int, Story] | None:
        """The closest story the article joins by the rule; with `merging`, the article
        stands for that stored story, and only a stored story it may merge into
        counts (consolidate). A story standing as one article names its `members` of
        this round, whose nearest stories in meaning are its candidates too. `back`: the
        article stands for that story of this round (second look), which also meets a
        candidate that would have joined it, had the candidate come second."""
        # The article's side of each cosine, idf applied twice: its own weighting, and
        # the centroid's (stored without idf) for the same key.
        terms = self.idf_terms.twice(article.features.terms)
        entities = self.idf_entities.twice(article.features.entities)
        best: tuple[int, Story] | None = None
        best_score = 0.0
        # A full report must share names to join (ENTITIES_MIN), so its names find its
        # candidates; a headline alone is judged on its terms, so they find them.
        headline_only = article.features.headline_only
        single = merging is None and (members is None or len(members) == 1)
        lookup = terms if headline_only else {}
        near: list[int] = []
        if headline_only:
            asking = [m.features for m in members or [article]]
            near = self._near.near(asking, article.features.meaning, self.stories)
        for index in self._candidates(entities, lookup, near):
            story = self.stories[index]
            if merging is not None and not _may_merge(merging, story):
                continue
            score = self._likeness(article, index, terms, entities)
            if score is None:
                continue
            if not self._meets(article, story, score, single) and (
                back is None or not self._meets_back(index, back, score)
            ):
                continue
            if merging is not None and score[0] < MERGE_TERMS_MIN:
                continue
            if back is not None and self._strangers(back, index):
                continue
            if sum(score) > best_score:  # the meaning ranks too: seed 8 even P +0.07 at 7 days
                best, best_score = (index, story), sum(score)
        return best

    def _closeness(
        self, article: StoryArticle, index: int, terms: Vector, entities: Vector, single: bool
    ) -> tuple[float, float, float] | None:
        """The article's faded terms, entities and meaning cosines with the story, if it
        joins it by the rule (`terms`, `entities`: the article's vectors, see
        best_match; meaning 0 when either side has none). `single`: the article is one
        report, not a story standing as one."""
        likeness = self._likeness(article, index, terms, entities)
        if likeness is None or not self._meets(article, self.stories[index], likeness, single):
            return None
        return likeness

    def _likeness(
        self, article: StoryArticle, index: int, terms: Vector, entities: Vector
    ) -> tuple[float, float, float] | None:
        """The article's faded terms, entities and meaning cosines with the story; None
        outside the story's window. The same either way round: a story standing as one
        article is its centroid, and the fading counts the time between first reports."""
        story = self.stories[index]
        if not story.covers(article.seen_at, self.window):
            return None
        terms_norm, entities_norm = self._norm(index)
        fading = _fading(article.seen_at - story.span_start, self.window)
        close_terms = _cosine(terms, story.terms, terms_norm) * fading
        close_entities = _cosine(entities, story.entities, entities_norm) * fading
        close_meaning = cosine(article.features.meaning, story) * fading
        return close_terms, close_entities, close_meaning

    def _meets(
        self, article: StoryArticle, story: Story, likeness: tuple[float, float, float],
        single: bool,
    ) -> bool:  # fmt: skip
        """Whether the article, this alike, joins the story by the rule."""
        close_terms, close_entities, close_meaning = likeness
        # Without a meaning on both sides (stories stored before it), words decide alone.
        # A story of headlines standing as one keeps its words-only rule (joins).
        known = article.features.meaning is not None and story.meaning is not None
        judged = known and (single or not article.features.headline_only)
        headline_only = article.features.headline_only
        if not joins(close_terms, close_entities, headline_only, close_meaning, judged):
            return False
        return _titles_agree(article.features, story)

    def _meets_back(self, candidate: int, index: int, likeness: tuple[float, float, float]) -> bool:
        """Whether the candidate story, standing as one report, would join the story at
        `index`, as alike: whether one event's two first reports meet must not hang on
        which came first (the rules on title names and words read one side's title
        against the other's texts, and a single headline has a rule of its own). The
        rule on new people is read both ways by best_match (_strangers)."""
        other, story = self.stories[candidate], self.stories[index]
        members = self._founded.get(candidate)
        # The rule first, from what the stories hold: most candidates fail it here.
        headline_only = other.full_reports == 0
        known = other.meaning is not None and story.meaning is not None
        judged = known and (other.article_count == 1 or not headline_only)
        if not joins(likeness[0], likeness[1], headline_only, likeness[2], judged):
            return False
        article = _as_article(other, members) if members else _story_as_article(other)
        return _titles_agree(article.features, story)

    def _strangers(self, new: int, other: int) -> bool:
        """Whether a story the round founded (`new`, in the second look) and another are
        about different people: its reports are about people the other's reports never
        name, or the other, founded this round too, is about people its reports never
        name (new_subjects). Placing reads one report against a story; the second look
        sets two stories side by side, either way round, and a later event's report
        names the earlier event's people as its background (Warren's endorsement of
        Biden recalls Sanders's), so read one way only it let the follow-ons the rule
        parts back in. Both ways, the two stay apart whichever came first and in
        whichever run. A stored story's people are not read here: its titles name many,
        and a first report of its event would name few of them."""
        pairs = [(new, other)] + ([(other, new)] if other in self._founded else [])
        for about, named_by in pairs:
            features = _as_article(self.stories[about], self._founded[about]).features
            if features.headline_only:
                continue
            if len(new_subjects(features, self.stories[named_by].entities)) > NEW_SUBJECTS_MAX:
                return True
        return False

    def _would_join(self, article: StoryArticle, index: int) -> bool:
        """Whether the article meets the story by the joining rule."""
        terms = self.idf_terms.twice(article.features.terms)
        entities = self.idf_entities.twice(article.features.entities)
        return self._closeness(article, index, terms, entities, single=True) is not None

    def _candidates(self, entities: Vector, terms: Vector, near: list[int]) -> list[int]:
        """The stories sharing the most weight of the article's names and terms, and
        those closest to it in meaning (which may share no word with it)."""
        shared: dict[int, float] = {}
        for vector, prefix in ((entities, ""), (terms, TERM_KEY)):
            for key, weight in vector.items():
                posting = self._postings.get(prefix + key, ())
                if len(posting) <= MAX_POSTING:
                    for index in posting:
                        shared[index] = shared.get(index, 0.0) + weight
        for index in self._gone:
            shared.pop(index, None)
        found = heapq.nlargest(MAX_CANDIDATES, shared, key=shared.__getitem__)
        return found + [i for i in near if i not in shared and i not in self._gone]

    def _add(self, story: Story) -> None:
        # A window's 20,000 stories are filed at once: no key is filed yet, so no check.
        index = len(self.stories)
        keys = set(self._keys(story.entities, story.terms))
        self.stories.append(story)
        self._norms.append(None)
        self._indexed.append(keys)
        postings = self._postings
        for key in keys:
            postings[key].append(index)

    def _norm(self, index: int) -> tuple[float, float]:
        norms = self._norms[index]
        if norms is None:
            story = self.stories[index]
            norms = (self.idf_terms.norm(story.terms), self.idf_entities.norm(story.entities))
            self._norms[index] = norms
        return norms

    def _keys(self, entities: Vector, terms: Vector) -> Iterator[str]:
        """What the inverted index files a story under: every name of its reports, and
        each report's strongest terms (a headline alone is looked up by its terms)."""
        yield from entities
        if self._by_terms:
            for term in heapq.nlargest(TERMS_INDEXED, terms, key=terms.__getitem__):
                yield TERM_KEY + term

    def _reindex(self, index: int, keys: Iterator[str]) -> None:
        self._norms[index] = None  # the story changed
        indexed = self._indexed[index]
        for key in keys:
            if key not in indexed:
                indexed.add(key)
                self._postings[key].append(index)


def _as_article(story: Story, members: list[StoryArticle]) -> StoryArticle:
    """A story of this round, as one article to match: its centroid, its first report."""
    first = members[0]
    headline_only = all(member.features.headline_only for member in members)
    meaning = direction(story.meaning)
    subjects = frozenset().union(*(member.features.subjects for member in members))
    return StoryArticle(first.id, first.country, story.title, story.first_seen,
                        Features(story.terms, story.entities, headline_only,
                                 frozenset(story.title_names), meaning, subjects,
                                 frozenset(story.title_terms)))  # fmt: skip


def _story_as_article(story: Story) -> StoryArticle:
    """A stored story, as one article to match: its centroid; a headline alone if none of
    its reports has a text. Whom it is about: its titles' names (which of them its
    reports' texts named is not stored)."""
    meaning = direction(story.meaning)
    subjects = frozenset(name for name in story.title_names if name[0] == "@")
    return StoryArticle(story.article_id, "", story.title, story.first_seen,
                        Features(story.terms, story.entities, story.full_reports == 0,
                                 frozenset(story.title_names), meaning, subjects,
                                 frozenset(story.title_terms)))  # fmt: skip


def _may_merge(story: Story, other: Story) -> bool:
    """Whether `story` (a stored story that took reports in the round) may merge into
    `other` (consolidate): another stored story with at least as many reports, older or
    its twin (best_match checks that it began within the other one's window)."""
    return (
        other is not story
        and other.id is not None
        and other.first_seen - story.first_seen <= timedelta(hours=TWIN_HOURS)
        and other.article_count >= story.article_count
    )


def joins(
    terms: float,
    entities: float,
    headline_only: bool,
    meaning: float = 0.0,
    meaning_judges: bool = False,
) -> bool:
    """The rule: both signals agree; a headline alone, whose capitals do not tell names
    from headline case, is judged on its terms, or on its meaning: one event told in
    other words ("nurses walk out over pay" / "medical staff strike for wages") shares
    no term. When `meaning_judges` (a single headline, both meanings known), its words
    join only where its meaning agrees (MEANING_AGREES_MIN), and then any word in common
    will do (TERMS_MEANT_MIN); otherwise (a story standing as one, a side with no
    meaning) its terms alone may (TERMS_ALONE_MIN). A full report (or a story of them
    standing as one) needs its words and its names, and, with both meanings known,
    its meaning to agree as well (REPORT_MEANING_MIN): on a busy day one leader's or
    one country's other events share its names and enough of its words, not what its
    title and lead say."""
    if headline_only:
        if meaning >= MEANING_ALONE_MIN:
            return True
        if meaning_judges:
            return terms >= TERMS_MEANT_MIN and meaning >= MEANING_AGREES_MIN
        return terms >= TERMS_ALONE_MIN
    if meaning_judges and meaning < REPORT_MEANING_MIN:
        return False  # one beat's other event: same names and words, another story
    return terms >= TERMS_MIN and entities >= ENTITIES_MIN


def _fading(age: timedelta, window: timedelta) -> float:
    """How much an article's likeness to a story counts, by its distance from the story's
    first report: fully at first, FADE_TO at the end of the window."""
    share = min(abs(age) / window, 1.0)
    return 1.0 - (1.0 - FADE_TO) * share


def _titles_agree(article: Features, story: Story) -> bool:
    """A full report whose title names someone or somewhere must share one such name
    with the titles of the story's reports: a headline names the event's protagonist,
    so two events on one beat the same day ("Sanders wins Nevada", "Trump wins Nevada
    delegates") part there even when their texts share most names. Or, since outlets
    headline one event by different names, each side's texts name the other's
    headline names (docs/stories.md, rule 3). Never when the report is about people
    the story never names (new_subjects): a follow-on event shares the story's names
    and words but has a protagonist of its own. Nor when its headline's words do not
    meet the story's titles (title_words_meet, rule 4). A title naming only figures
    names no one: its texts decide."""
    if article.headline_only:
        return True
    if len(new_subjects(article, story.entities)) > NEW_SUBJECTS_MAX:
        return False
    if not title_words_meet(article, story):
        return False
    if not any(name[0] == "@" for name in article.title_names) or not story.title_names:
        return True
    if not article.title_names.isdisjoint(story.title_names):
        return True
    # Outlets headline one event by different names (the country or the town, the
    # person or the party): the titles still agree when the story's reports tell of
    # every name in the article's title, and the article tells of the names most of
    # the story's titles carry. A name only one side mentions in passing (the next
    # round's opponent) does not do.
    main = _most_carried(story.title_names)
    return all(name in story.entities for name in article.title_names) and all(
        name in article.entities for name in main
    )


def title_words_meet(article: Features, story: Story) -> bool:
    """A full report's title shares a word (a stemmed term, names included) with the
    titles of the story's reports: a headline says what the news is, and two outlets'
    headlines of one event share its key word, the name or the thing. Reports that
    only share the story's names, words and meaning (a digest that leads with the
    event, a feature on the same programme, a gift guide beside another, a column on
    the same hearings) headline something else. Or, since an outlet may headline one
    event in other words ("tear gas against demonstrators" beside "protests over fuel
    prices"), the texts say each other's headlines: the story's reports give
    TITLE_TOLD of the article's title terms, and the article gives as many of the terms
    most of the story's titles carry (docs/stories.md, rule 4)."""
    if article.headline_only or not article.title_terms or not story.title_terms:
        return True  # a headline is judged on its meaning; an older story kept none
    if not article.title_terms.isdisjoint(story.title_terms):
        return True
    told = sum(term in story.terms for term in article.title_terms)
    main = _most_carried(story.title_terms)
    back = sum(term in article.terms for term in main)
    return told >= TITLE_TOLD * len(article.title_terms) and back >= TITLE_TOLD * len(main)


def _most_carried(counts: dict[str, float]) -> list[str]:
    """The names or terms carried by the most of a story's titles."""
    most = max(counts.values())
    return [key for key, count in counts.items() if count >= most]


def new_subjects(article: Features, entities: Vector) -> list[str]:
    """The names the article is about (its title's names that its text names too) that
    a story's reports, whose names are `entities`, never name."""
    return [name for name in article.subjects if name not in entities]


def _cosine(article: Vector, centroid: Vector, centroid_norm: float) -> float:
    """Cosine between an article (idf applied twice, see best_match) and a raw centroid."""
    if not centroid_norm:
        return 0.0
    return sum(value * centroid.get(key, 0.0) for key, value in article.items()) / centroid_norm
