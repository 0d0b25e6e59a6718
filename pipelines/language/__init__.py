"""Which language an article is written in; called by the extraction worker.

- `detection`: the decision (script, detector, page and source) and `LanguageSetup`.
- `guess`: the `Guess` value and the `Detector` protocol.
- `codes`: language tags to ISO 639-1.
- `scripts`: which writing systems a text uses, and what a script alone settles.
- `chinese`: Simplified or Traditional Chinese, from the characters.
- `lingua_backend`, `langdetect_backend`, `fasttext_backend`: the detectors.
- `hybrid`: the primary detector restricted to our languages, backed by the fallback.
"""
