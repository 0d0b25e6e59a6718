"""What the story matcher reads from an article's English title and text.

Two bags per article, compared separately (see `window.py`):

- terms: content words, lower-cased, stop words dropped, stemmed. They say what
  the article is about (an earthquake, a vote, a cup final).
- entities: capitalised words and telling numbers (Korvala, Vancu, 7.1, 4300). They say
  which earthquake: two stories on the same topic share terms but not entities, while
  a local angle on an event abroad shares its entities but few of its terms.

Title words count twice: a headline names the event.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import snowballstemmer
from anyascii import anyascii

TITLE_WEIGHT = 2
# Fewer words of text than this: judged as a headline alone (a feed's title and teaser).
HEADLINE_ONLY_WORDS = 40
# A title whose words of 4 letters or more start with a capital, at least 3 of them and
# 3 in 4 of them, is in title case (docs/stories.md).
TITLE_CASE_LETTERS = 4
TITLE_CASE_SHARE = 0.75

# A dotted abbreviation kept whole (U.S., N.A.A.C.P.), letters (with an inner apostrophe:
# don't, Maren's) or a number (4,300 / 7.1).
_TOKEN = re.compile(r"[^\W\d_](?:\.[^\W\d_])+\.?|[^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:[.,]\d+)*")
_ABBREVIATION = re.compile(r"^[^\W\d_](?:\.[^\W\d_])+\.?$|^[^\W\d_]{2,6}$")
# Where a sentence ends, so that its first word is known to be capitalised by position.
# Not after an initial or a title ("N.A.A.C.P. sues", "Gov. Hale Merrin"), whose dot
# ends no sentence.
_SENTENCE_END = re.compile(
    r"(?<!\b[A-Z])(?<!\bGov)(?<!\bSen)(?<!\bRep)(?<!\bGen)(?<!\bMr)(?<!\bMrs)(?<!\bMs)"
    r"(?<!\bDr)(?<!\bSt)[.!?:;]['\"”’)\]]*\s+|\n"
)
_POSSESSIVE = re.compile(r"['’]s$")
_STEMMER = snowballstemmer.stemmer("english")
_YEAR = re.compile(r"^(?:19|20)\d\d$")

_STOP_WORDS = """
    a about above across after afterwards again against ago all almost along already also
    although always am among an and another any anyone anything are around as at away back
    be became because become been before being below beside besides between both but by
    can cannot could did do does doing done down during each either else enough even ever
    every few for former from further get gets got had has have having he her here hers
    herself him himself his how however i if in including instead into is it its itself
    just last least less like made make makes many may me meanwhile might more most mostly
    much must my myself near nearly neither never next no nobody none nor not nothing now
    of off often on once one only onto or other others otherwise our ours ourselves out over
    own per perhaps put rather really same says said say she should since so some someone
    something still such than that the their theirs them themselves then there thereby
    therefore these they this those though through throughout thus to together too toward
    towards under until up upon us very via was we well were what whatever when whenever
    where whereas whether which while who whoever whole whom whose why will with within
    without would yet you your yours yourself yourselves
    mr mrs ms dr told according added
    monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

# Capitalised words that name a kind of institution, office or group, not which one:
# every story on a beat has them ("House", "Senate", "Democrats", "Gov"), so as names
# they would tie unrelated events on that beat together. They stay terms.
_COMMON_TITLES = """
    house senate congress parliament government gov govt cabinet ministry minister
    president prime premier chancellor king queen prince princess senator sen rep
    representative governor mayor council court supreme judge police army military navy
    democrat democrats democratic republican republicans gop party labour conservative
    conservatives liberal liberals federal state states national central bank
    department agency office committee commission union league cup club team university
    city county province region north south east west northern southern eastern western
    new update breaking live video photos watch report reports review exclusive
    inc corp ltd co group company plc chief ceo official officials spokesman
"""
COMMON_TITLES = frozenset(_COMMON_TITLES.split())


@dataclass(frozen=True)
class Features:
    terms: dict[str, float]
    entities: dict[str, float]
    # A title with little or no text: too few words for its capitals to tell names
    # from headline case, so the matcher judges it on its terms (window.joins).
    headline_only: bool = False
    # The names in the title: who or where the event is, by the outlet's own choice.
    title_names: frozenset[str] = frozenset()
    # What the title (and lead) mean, length 1 (embedding.py); None: not worked out,
    # and the matcher judges on words alone.
    meaning: np.ndarray | None = field(default=None, compare=False)
    # Whom the article is about: the title's names (not figures) that its text names
    # too. A name only the headline gives is a setting ("scores freely in Germany").
    subjects: frozenset[str] = frozenset()
    # The title's own terms (stemmed words, names among them): what the outlet says
    # the news is (window.title_words_meet).
    title_terms: frozenset[str] = frozenset()


def features(title: str, text: str, meaning: np.ndarray | None = None) -> Features:
    # Each part is cut into sentences and tokens once: the terms, the names and what
    # tells names from headline case all read the same tokens (a third of a run's cost).
    title_sentences, text_sentences = _sentences(title), _sentences(text)
    terms: Counter[str] = Counter()
    title_terms: set[str] = set()
    for sentences, weight in ((title_sentences, TITLE_WEIGHT), (text_sentences, 1)):
        for sentence in sentences:
            for token in sentence:
                word = _fold(token.replace(".", "") if "." in token[:2] else token)
                if word[0].isdigit() or len(word) < 3 or word in STOP_WORDS:
                    continue
                stem = _stem(word)
                terms[stem] += weight
                if weight == TITLE_WEIGHT:
                    title_terms.add(stem)
    headline_only = len(text.split()) < HEADLINE_ONLY_WORDS
    # A headline alone has no text to confirm its names by, and is never judged on
    # them (only looked up by them): its capitals are read as in any title.
    title_case = not headline_only and _title_case(title_sentences)
    entities = _Names(title_sentences, text_sentences, title_case)
    in_title = entities.scan(title_sentences, TITLE_WEIGHT, title=True)
    in_text = entities.scan(text_sentences, 1)
    found = in_title + in_text
    subjects = frozenset(name for name in in_title if name[0] == "@" and name in in_text)
    return Features(dict(terms), dict(found), headline_only, frozenset(in_title), meaning,
                    subjects, frozenset(title_terms))  # fmt: skip


def _sentences(part: str) -> list[list[str]]:
    """The part's sentences, each as its tokens. A cut drops only what ends a sentence;
    a dotted abbreviation's own dots are dropped wherever it is read."""
    return [_TOKEN.findall(sentence) for sentence in _SENTENCE_END.split(part)]


class _Names:
    """Capitalised words that are names, and numbers precise enough to identify an event.

    A name is capitalised wherever it stands and never written in lower case elsewhere
    in the article ("Storm" in a title-case headline is not a name when the text says
    "storm"); a sentence's first word counts only if it is also capitalised inside a
    sentence somewhere. In a title-case headline every word stands where a sentence's
    first word does: its words count only if the text capitalises them inside a
    sentence ("Keeps", "Guessing", "Falls" are not names; "Stadia" is).
    """

    def __init__(self, title: list[list[str]], text: list[list[str]], title_case: bool):
        self.title_case = title_case
        self.lower = {_fold(t) for s in (*title, *text) for t in s if t.islower()}
        # A title-case title's capitals confirm nothing, in itself or in the text.
        confirming = text if title_case else (*title, *text)
        self.inside = {_fold(t) for s in confirming for t in s[1:] if t[0].isupper()}

    def scan(self, sentences: list[list[str]], weight: int, title: bool = False) -> Counter[str]:
        """The names and figures of `sentences` (the `title`'s, or the text's). In a
        title-case title each word stands as a sentence's first does."""
        every_word_first = title and self.title_case
        found: Counter[str] = Counter()
        for sentence in sentences:
            for position, token in enumerate(sentence):
                if _is_abbreviation(token):  # U.S. and US, N.A.A.C.P. and NAACP: one name
                    found["@" + token.replace(".", "").casefold()] += weight
                    continue
                if token[0].isdigit():
                    number = token.replace(",", "")
                    # 7.1 or 4300 say something; 12 or a year is everywhere.
                    if ("." in number or len(number) >= 3) and not _YEAR.match(number):
                        found["#" + number] += weight
                    continue
                word = _fold(token)
                if not token[0].isupper() or len(word) < 3 or word in STOP_WORDS:
                    continue
                if word in COMMON_TITLES:
                    continue
                if word in self.lower or (
                    (position == 0 or every_word_first) and word not in self.inside
                ):
                    continue
                found["@" + word] += weight
        return found


def _title_case(sentences: list[list[str]]) -> bool:
    """Whether a title capitalises its words as a style (Title Case), not as names: most
    of its longer words (of TITLE_CASE_LETTERS or more, where lower-case function
    words are few) start with a capital."""
    words = [t for s in sentences for t in s if t[0].isalpha() and len(t) >= TITLE_CASE_LETTERS]
    capitals = sum(t[0].isupper() for t in words)
    return len(words) >= 3 and capitals >= TITLE_CASE_SHARE * len(words)


def name_terms(entities: Iterable[str]) -> set[str]:
    """The terms that are these names as well ("@tovrek" is also the term "tovrek"): a
    name is counted among an article's terms too, and two events in one country share
    it there as much as in their names."""
    return {_stem(name[1:].replace(".", "")) for name in entities if name[0] == "@"}


def _is_abbreviation(token: str) -> bool:
    """Dotted letters, or a short all-capitals word (NATO, FBI, GM): a name even at a
    sentence's start, and even when the word in lower case is common (US, AIDS)."""
    return bool(_ABBREVIATION.match(token)) and token.replace(".", "").isupper()


@lru_cache(maxsize=200_000)
def _fold(token: str) -> str:
    """The token as matched: lower case, no possessive, in plain Latin letters. Two
    translations of one report may keep a name's accents or drop them (Erdoğan and
    Erdogan, São Paulo and Sao Paulo, Łódź and Lodz), or leave it in its own script."""
    if not token.isascii():
        token = anyascii(token)
    return _POSSESSIVE.sub("", token.casefold())


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    """flood, floods, flooded, flooding: one term, so that reports in other words meet."""
    return _STEMMER.stemWord(word)
