"""Language identification parts, one job per module; `pipelines.language` puts them together.

- `base`: the `Guess` value and the `Detector` protocol every detector implements.
- `codes`: language tags to ISO 639-1.
- `scripts`: which writing systems a text uses, and what a script alone settles.
- `chinese`: Simplified or Traditional Chinese, from the characters.
- `lingua_backend`, `langdetect_backend`, `fasttext_backend`: the detectors.
- `hybrid`: the primary detector restricted to our languages, backed by the fallback.
"""
