"""Large synthetic fixture sites for benchmarks: many articles recombined from the
fixture paragraphs of one language, listed in an RSS feed."""

from __future__ import annotations

import random
from datetime import timedelta

from newsspiders.testing.sites import FixtureArticle, Site, load_sites


def synthetic_site(key: str, language: str, articles: int, seed: int = 1) -> Site:
    """A site of `articles` distinct articles in `language` (a fixture language)."""
    templates = [s for s in load_sites().values() if s.language == language]
    if not templates:
        raise ValueError(f"no fixture site writes {language!r}")
    template = templates[0]
    pool = [
        (p, e)
        for a in template.articles
        for p, e in zip(a.paragraphs, a.paragraphs_en, strict=True)
    ]
    rng = random.Random(seed)
    newest = max(a.published for a in template.articles)
    made = []
    for n in range(articles):
        picked = rng.sample(pool, 5)
        base = template.articles[n % len(template.articles)]
        made.append(
            FixtureArticle(
                site=key,
                slug=f"{base.slug}-{n}",
                published=newest - timedelta(minutes=7 * n),
                author=base.author,
                section=base.section,
                title=f"{base.title} ({n})",
                title_en=f"{base.title_en} ({n})",
                description=base.description,
                # A numbered sentence keeps every article's text distinct.
                paragraphs=[*(p for p, _ in picked), f"{base.title} — {n}."],
                paragraphs_en=[*(e for _, e in picked), f"{base.title_en} — {n}."],
                comments=[],
            )
        )
    return Site(key, f"{template.name} ({key})", language, template.country, template.chrome, made)
