"""Translate stage: an article's title and text to English.

- `stage`: the item pipeline; a failed translation leaves the article pending.
- `article`: `ArticleTranslator`, one article through the cache and the chain (also
  used by `scrapy retranslate`).
- `chain`: the provider chain of NEWS_TRANSLATORS: retries, budgets.
- `chunking`: text split under a provider's size limit.
- `language_codes`: our language codes as each provider spells them.
- `threads`: the translation thread pool, one per Python process.
- `providers/`: the provider interface and the providers.
"""
