"""Translate stage: title and text to English.

- `stage`: the item pipeline; translation off the reactor, in threads.
- `threads`: the translation thread pool every crawler of a process shares.
- `article`: `ArticleTranslator`, one article through the cache and the chain.
- `chain`: the providers tried in order, with retries, backoff and budgets.
- `chunking`: texts split under each provider's size limit.
- `language_codes`: our language codes as each provider spells them.
- `providers/`: the provider interface and each provider's client.
"""
